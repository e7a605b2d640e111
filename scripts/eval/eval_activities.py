"""Measure how each unit's activities are split out of the items: precision and recall of
(unit, sentence) pairs against the truth.

    .venv/bin/python -m scripts.eval.eval_activities [TRUTH_DIR ...] [--export EXPORT.json]

Each folder is imported into a fresh data folder and exported (or --export is read, for one
folder). The truth's pairs: an item's "activities" where the truth file writes them out
(scripts/fixtures/shapes: sentences opened by one unit or a list, clauses opened by another); otherwise,
as ../shared/corpus/make_corpus.py builds its activity paragraphs, each sentence of a 践·铝之行
item with units belongs to the unit (or the list of units) it opens with, and a sentence no unit
opens to the units of the one before; an item signed or credited by a unit
(`unit` in the truth) is one activity of that unit. A found activity gives a pair for each of the
truth's sentences it holds most of, or lies mostly inside (so a clause split finer than the truth still counts as that
sentence's: it lies mostly inside it). Tables are left out (the truth does not say what a row's activity is).
Without folders: ../shared/corpus/dev/* and out/shapes/* (scripts/fixtures/render_shapes.py all)."""
from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.common import ROOT, SHARED

END = "。！？；!?;"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", (text or "").replace("\u00ad", ""))


def truth_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a squashed text."""
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in END:
            j = i + 1
            while j < len(text) and text[j] in "”’」』）)":
                j += 1
            if j > start:
                out.append((start, j))
            start = j
    if start < len(text):
        out.append((start, len(text)))
    return [(a, b) for a, b in out if a < b]


def truth_pairs(item: dict, section: str) -> list[tuple[str, tuple[int, int]]] | None:
    """The truth's (unit, (sentence start, end)) pairs of an item, in its squashed text; None where
    the truth says nothing (a table)."""
    text = squash(item["text"])
    if item.get("kind") == "table":
        return None
    spans = truth_sentences(text)
    if item.get("unit"):  # signed or credited: every sentence is the unit's
        return [(item["unit"], span) for span in spans]
    pairs = []
    if item.get("activities"):
        pos = 0
        for act in item["activities"]:
            a = squash(act["text"])
            at = text.find(a, pos)
            if at < 0:
                continue
            pos = at + len(a)
            for s0, s1 in spans:
                if s0 >= at and s1 <= pos:
                    pairs += [(u, (s0, s1)) for u in act["units"]]
        return pairs
    if item.get("units") and section == "践·铝之行" and item.get("kind", "paragraph") == "paragraph":
        names = sorted(item["units"], key=len, reverse=True)
        owners: list[str] = []
        for s0, s1 in spans:
            listed, at = [], s0  # the units listed at the sentence's start: 抚顺铝业、广西华昇、遵义铝业组织…
            while (u := next((u for u in names if text.startswith(u, at)), None)):
                listed.append(u)
                at += len(u)
                if text[at:at + 1] not in ("、", "和", "与", "及"):
                    break
                at += 1
            owners = listed or owners
            pairs += [(u, (s0, s1)) for u in owners]
    return pairs


def offsets(found: str, target: str):
    """A map from offsets of `found` to offsets of `target` (two readings of one text)."""
    if found == target:
        return lambda k: k
    ops = difflib.SequenceMatcher(None, found, target, autojunk=False).get_opcodes()

    def to_target(k: int) -> int:
        for tag, a0, a1, b0, b1 in ops:
            if a0 <= k < a1 or (k == a1 == len(found)):
                return b0 + min(k - a0, max(0, b1 - b0 - 1)) if tag != "equal" else b0 + (k - a0)
        return len(target)
    return to_target


def found_pairs(item: dict, truth_text: str) -> list[tuple[str, tuple[int, int]]]:
    text = squash(item["text"])
    spans = truth_sentences(truth_text)
    to_truth = offsets(text, truth_text)
    pairs, pos = [], 0
    for act in item.get("activities", []):
        a = squash(act["text"])
        at = text.find(a, pos)
        if at < 0:
            at = text.find(a)
        if at < 0:
            continue
        pos = at + len(a)
        t0, t1 = to_truth(at), to_truth(at + len(a) - 1) + 1
        for s0, s1 in spans:
            if min(s1, t1) - max(s0, t0) > min(s1 - s0, t1 - t0) / 2:  # the one mostly inside the other
                pairs += [(u, (s0, s1)) for u in act["units"]]
    return pairs


def match_items(truth: dict, record: dict):
    """(section title, truth item, found item or None) for each truth item, matched in order by text."""
    found = [(s["title"], it) for s in record.get("sections", []) for it in s["items"]]
    used = set()
    for section in truth["sections"]:
        for t in section["items"]:
            want = squash(t["text"])
            best, best_r = None, 0.6
            for k, (_, it) in enumerate(found):
                if k in used:
                    continue
                r = difflib.SequenceMatcher(None, want, squash(it["text"]), autojunk=False).quick_ratio()
                if r > best_r:
                    best, best_r = k, r
                    if r == 1.0:
                        break
            if best is not None:
                used.add(best)
            yield section["title"], t, found[best][1] if best is not None else None


def score(truth_dir: Path, export: list[dict]) -> dict:
    records = {r["id"]: r for r in export}
    tp = n_found = n_truth = 0
    misses: list[str] = []
    for path in sorted(truth_dir.glob("*.truth.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        record = records.get(truth.get("id") or path.name.split(".")[0], {})
        for section, t, it in match_items(truth, record):
            want = truth_pairs(t, section)
            if want is None:
                continue
            got = found_pairs(it, squash(t["text"])) if it else []
            hit = set(want) & set(got)
            tp += len(hit)
            n_found += len(set(got))
            n_truth += len(set(want))
            if set(want) != set(got) and len(misses) < 8:
                misses.append(f"{path.name}: {squash(t['text'])[:40]} want {sorted(set(want) - set(got))[:3]}"
                              f" extra {sorted(set(got) - set(want))[:3]}")
    return {"pairs": n_truth, "found": n_found, "precision": round(tp / n_found, 4) if n_found else 1.0,
            "recall": round(tp / n_truth, 4) if n_truth else 1.0, "misses": misses}


def export_of(truth_dir: Path) -> list[dict]:
    cli = [sys.executable, "-m", "archive.cli.main"]
    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp) / "data")
        subprocess.run(cli + ["--data", data, "import", str(truth_dir)], capture_output=True, check=False)
        out = subprocess.run(cli + ["--data", data, "export"], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("truth_dirs", nargs="*", type=Path)
    ap.add_argument("--export", type=Path, help="score this export (of the one folder given) instead of importing")
    ap.add_argument("--verbose", action="store_true", help="show some differences")
    args = ap.parse_args()
    dirs = args.truth_dirs or sorted(p for p in (SHARED / "corpus" / "dev").iterdir() if p.is_dir()) + sorted(
        p for p in (ROOT / "out" / "shapes").glob("*-*") if p.is_dir())
    print("| set | truth pairs | found | precision | recall |")
    print("|---|---|---|---|---|")
    total = {"tp_p": 0.0, "tp_r": 0.0, "found": 0, "pairs": 0}
    for d in dirs:
        export = json.loads(args.export.read_text(encoding="utf-8")) if args.export else export_of(d)
        f = score(d, export)
        print(f"| {d.parent.name}/{d.name} | {f['pairs']} | {f['found']} | {f['precision']} | {f['recall']} |", flush=True)
        if args.verbose:
            for m in f["misses"]:
                print(f"    {m}", file=sys.stderr)
        total["tp_p"] += f["precision"] * f["found"]
        total["tp_r"] += f["recall"] * f["pairs"]
        total["found"] += f["found"]
        total["pairs"] += f["pairs"]
    if len(dirs) > 1:
        p = total["tp_p"] / total["found"] if total["found"] else 1.0
        r = total["tp_r"] / total["pairs"] if total["pairs"] else 1.0
        print(f"| all | {total['pairs']} | {total['found']} | {p:.4f} | {r:.4f} |")


if __name__ == "__main__":
    main()
