"""The core's verbs over the stages: import files (importing), run web imports as bounded jobs
(jobs), check that records, originals and index agree (checking), correct the records (correcting).
The web and the command line are thin mirrors over these."""
