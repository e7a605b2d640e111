"""The project's scripts, by purpose; run each from the repository root as a module, e.g.
`.venv/bin/python -m scripts.eval.score_corpus ../shared/corpus/dev/single`:

    bench/     timings and load: bench_import, bench_ocr, bench_search, bench_http, bench_load, soak
    eval/      accuracy against truth files: score_corpus, score_shapes, score_outlines, score_volumes,
               score_photo_corners, eval_activities, eval_chronicle
    fixtures/  what the tests and the scores read: render_* (born-digital issues by producer and
               shape, shapes/ their content and engines), degrade_scans (scans/ its parts),
               degrade_photos, make_outlines, make_dated_corpus (chronicle_content), make_rule_tables,
               synth_unseen_units, build_wordlist (the hyphenation word list)
    docs/      what docs/ shows: make_screenshots, make_report_samples, make_chronicle_samples
    common.py  the repository and ../shared paths, make_corpus loaded by its path, run_module
    setup.sh   the machine's packages (CI and README run it by path)

`archive` is imported as installed (the venv's editable install); a script that starts the archive in
a process of its own names this checkout's src/ on that process's PYTHONPATH. The server helpers the
load scripts share with the tests are tests/servers.py (`from tests.servers import ...`)."""
