"""A span of an item's text → the printed lines it lies on, their pages and its boxes on them.

An item keeps one box per printed line, in text order ([page, x0, top, x1, bottom]), and where each
line begins in its text (`line_starts`, made at import from the lines themselves: ingest.textrepair.
line_starts). Items written before the offsets were kept have none: their lines' offsets are then
estimated from the boxes' widths (the lines of a column hold characters in proportion to their
width). Within a line, a character's place is estimated from the widths of the characters before it
(a Chinese character is a full em, Latin letters and digits about half of one), which for Chinese
text, set on a fixed pitch, is where it is printed.

Pure functions over what an item stores; the searcher, the page view, the activities and the
reports ask here."""
from __future__ import annotations

import math
import unicodedata
from bisect import bisect_right

NARROW = 0.55  # of an em: the width of a Latin letter, digit or space next to a Chinese character


def offsets(text: str, boxes: list, starts: list[int] | None) -> list[int]:
    """Each line's offset in `text`: the stored ones, else estimated from the lines' widths."""
    if starts and len(starts) == len(boxes):
        return list(starts)
    if not boxes:
        return []
    widths = [max(0.0, b[3] - b[1]) for b in boxes]
    if not sum(widths):
        widths = [1.0] * len(boxes)
    total, out, seen = sum(widths), [], 0.0
    for w in widths:
        out.append(min(len(text), math.ceil(seen / total * len(text))))
        seen += w
    return out


def line_of(starts: list[int], offset: int) -> int:
    """The line a character offset is printed on (its index in the item's boxes)."""
    return max(0, bisect_right(starts, offset) - 1)


def span_lines(starts: list[int], start: int, end: int) -> range:
    """The lines a span [start, end) of the text is printed on."""
    if not starts:
        return range(0)
    first = line_of(starts, start)
    last = line_of(starts, max(start, end - 1))
    return range(first, last + 1)


def item_pages(item: dict) -> list[int]:
    first = item.get("page_start") or 1
    return list(range(first, max(first, item.get("page_end") or first) + 1))


def span_pages(item: dict, start: int, end: int) -> list[int]:
    """The pages a span of an item's text is printed on, in order (the item's pages when it has
    no line boxes: where its words are is not known)."""
    boxes = item.get("boxes") or []
    starts = offsets(item.get("text") or "", boxes, item.get("line_starts"))
    pages = list(dict.fromkeys(int(boxes[k][0]) for k in span_lines(starts, start, end)))
    return pages or item_pages(item)


def spans_pages(item: dict, spans: list[tuple[int, int]]) -> list[int]:
    """The pages some spans of an item's text are printed on, in page order."""
    return sorted({p for s, e in spans for p in span_pages(item, s, e)}) or item_pages(item)


def weight(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else NARROW


def span_boxes(item: dict, start: int, end: int, page: int | None = None) -> list[list[float]]:
    """A span's boxes: on each line it lies on, the part of the line's box its characters take
    ([page, x0, top, x1, bottom]); only those on `page` when one is given."""
    text = item.get("text") or ""
    boxes = item.get("boxes") or []
    starts = offsets(text, boxes, item.get("line_starts"))
    out = []
    for k in span_lines(starts, start, end):
        b = boxes[k]
        if page is not None and int(b[0]) != page:
            continue
        a, z = starts[k], (starts[k + 1] if k + 1 < len(starts) else len(text))
        chars = text[a:z].rstrip()
        if not chars:
            continue
        widths = [weight(c) for c in chars]
        total = sum(widths)
        s, e = max(start, a) - a, min(end, a + len(chars)) - a
        if e <= s:
            continue
        left, right = sum(widths[:s]) / total, sum(widths[:e]) / total
        x0, x1 = b[1] + (b[3] - b[1]) * left, b[1] + (b[3] - b[1]) * right
        out.append([b[0], round(x0, 1), b[2], round(x1, 1), b[4]])
    return out
