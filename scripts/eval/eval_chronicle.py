"""Measure each activity's event date and topics against the truth of a rendered set
(scripts/fixtures/make_dated_corpus.py render), end to end: the PDFs imported, the records exported.

    .venv/bin/python -m scripts.eval.eval_chronicle out/dated [MORE_DIRS…] [--after-only DIR…]

For each truth activity ("activity_truth" of an item) the exported activity of the same units whose
text is the same (white space left out) is looked up; event-date accuracy is the share whose
`date` equals the truth's (a missing activity counts as wrong), `date_source` agreement is told
apart; topic precision and recall are over (activity, topic) pairs. Every exported activity of
every folder (those given with --after-only too: sets without dated truth, such as
../shared/corpus/dev/*) is checked never to be dated after its issue."""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path



def squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def export(folder: Path, data: Path) -> list[dict]:
    cmd = [sys.executable, "-m", "archive.cli.main", "--data", str(data)]
    subprocess.run(cmd + ["import", str(folder)], capture_output=True, text=True)
    return json.loads(subprocess.run(cmd + ["export"], capture_output=True, text=True, check=True).stdout)


def after_issue(records: list[dict]) -> list[tuple[str, str, str]]:
    """(issue id, activity date, issue date) of every activity dated after its issue."""
    bad = []
    for r in records:
        for s in r["sections"]:
            for it in s["items"]:
                for a in it["activities"]:
                    d, issue = a["date"], r["date"]
                    if d and issue and d[:len(issue)] > issue[:len(d)]:
                        bad.append((r["id"], d, issue))
    return bad


def score(folder: Path, records: list[dict]) -> dict:
    found = {}
    for r in records:
        for s in r["sections"]:
            for it in s["items"]:
                for a in it["activities"]:
                    found[(tuple(a["units"]), squash(a["text"]))] = a
    n = date_ok = source_ok = tp = fp = fn = missing = 0
    wrong = []
    for path in sorted(folder.glob("*.truth.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        for s in truth["sections"]:
            for it in s["items"]:
                for t in it.get("activity_truth", []):
                    n += 1
                    got = found.get((tuple(t["units"]), squash(t["text"])))
                    if got is None:
                        missing += 1
                        fn += len(t["topics"])
                        continue
                    date_ok += got["date"] == t["date"]
                    source_ok += got["date_source"] == t["date_source"]
                    if got["date"] != t["date"]:
                        wrong.append((truth["id"], t["text"][:40], t["date"], got["date"]))
                    tags, want = set(got["topics"]), set(t["topics"])
                    tp, fp, fn = tp + len(tags & want), fp + len(tags - want), fn + len(want - tags)
    return {"activities": n, "missing": missing, "date_acc": round(date_ok / n, 4) if n else None,
            "source_acc": round(source_ok / n, 4) if n else None,
            "topic_precision": round(tp / (tp + fp), 4) if tp + fp else None,
            "topic_recall": round(tp / (tp + fn), 4) if tp + fn else None, "wrong": wrong[:20]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--after-only", nargs="*", type=Path, default=[])
    args = ap.parse_args()
    after_total = 0
    for folder in [*args.folders, *args.after_only]:
        with tempfile.TemporaryDirectory() as tmp:
            records = export(folder, Path(tmp) / "data")
        after = after_issue(records)
        after_total += len(after)
        acts = sum(len(it["activities"]) for r in records for s in r["sections"] for it in s["items"])
        line = {"folder": str(folder), "issues": len(records), "exported_activities": acts, "after_issue": len(after)}
        if folder in args.folders:
            line.update(score(folder, records))
        print(json.dumps(line, ensure_ascii=False))
    print(json.dumps({"after_issue_total": after_total}))


if __name__ == "__main__":
    main()
