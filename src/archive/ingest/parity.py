"""Do the two stage-1 readers (pdf.READERS) give the same records? A file is parsed with each, and
what an issue's record holds is compared: its fields, review flags, page methods, sections, and
each item's text, page span, kind, heading, source, author and units. (Coordinates are not
compared: the records are what is stored, searched and exported.) tests/test_reader_parity.py runs
it over the fixtures and samples; `python -m scripts.eval.reader_parity DIR...` over any folders."""
from __future__ import annotations

from pathlib import Path

from ..errors import RefusedPDF
from ..model import Issue
from .parse import parse_issues
from .units import Registry

FIELDS = ("publication", "year", "number", "number_end", "special", "total_number", "date", "publisher",
          "collection_period", "distribution", "cc", "email", "title", "pages", "source_pages", "needs_review",
          "page_methods", "page_rotations")
ITEM_FIELDS = ("text", "page_start", "page_end", "kind", "heading", "source", "author", "units")


def record(issue: Issue) -> dict:
    """What a record holds of an issue, as plain values to compare."""
    out = {f: getattr(issue, f) for f in FIELDS}
    out["reviews"] = sorted(repr(r.as_dict()) for r in issue.reviews)
    out["sections"] = [{"title": s.title, "items": [{f: getattr(it, f) for f in ITEM_FIELDS} for it in s.items]}
                       for s in issue.sections]
    return out


def records(data: bytes, reader: str, registry: Registry, ocr_cache: Path | None = None) -> list[dict] | str:
    """Each issue's record as `reader` gives it, or the refusal's kind."""
    try:
        return [record(i) for i in parse_issues(data, registry.copy(), ocr_cache=ocr_cache, reader=reader)]
    except RefusedPDF as exc:
        return f"refused: {exc.kind}"


def differences(a: list[dict] | str, b: list[dict] | str) -> list[str]:
    """Where two files' records differ, one line each (empty: the same)."""
    if isinstance(a, str) or isinstance(b, str) or len(a) != len(b):
        return [] if a == b else [f"issues: {summary(a)} vs {summary(b)}"]
    out = []
    for n, (x, y) in enumerate(zip(a, b), 1):
        for key in x:
            if key == "sections":
                out += section_differences(n, x[key], y[key])
            elif x[key] != y[key]:
                out.append(f"issue {n} {key}: {x[key]!r} vs {y[key]!r}")
    return out


def section_differences(n: int, a: list[dict], b: list[dict]) -> list[str]:
    if [s["title"] for s in a] != [s["title"] for s in b]:
        return [f"issue {n} sections: {[s['title'] for s in a]} vs {[s['title'] for s in b]}"]
    out = []
    for s, t in zip(a, b):
        if len(s["items"]) != len(t["items"]):
            out.append(f"issue {n} section {s['title']!r}: {len(s['items'])} vs {len(t['items'])} items")
            first = next((i for i, (p, q) in enumerate(zip(s["items"], t["items"])) if p != q), None)
            if first is not None:
                out.append(f"  first differing item: {s['items'][first]['text'][:80]!r} vs {t['items'][first]['text'][:80]!r}")
            continue
        for k, (p, q) in enumerate(zip(s["items"], t["items"]), 1):
            for f in ITEM_FIELDS:
                if p[f] != q[f]:
                    out.append(f"issue {n} section {s['title']!r} item {k} {f}: {short(p[f])} vs {short(q[f])}")
    return out


def summary(r: list[dict] | str) -> str:
    return r if isinstance(r, str) else f"{len(r)} issue(s)"


def short(value) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def compare_file(path: Path, registry: Registry, ocr_cache: Path | None = None,
                 readers: tuple[str, str] = ("pdfplumber", "pdfium")) -> list[str]:
    """The differences between the records the two readers give of one file."""
    data = Path(path).read_bytes()
    return differences(records(data, readers[0], registry, ocr_cache), records(data, readers[1], registry, ocr_cache))
