"""Stages 1-6: a PDF's bytes → an Issue record (pdf → lines with boxes → repaired text → records).

Nothing here knows about the data folder, the database or the index: the orchestrator
(archive.service.importing) hands in bytes and settings and stores what comes out."""
