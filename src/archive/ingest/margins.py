"""Stage 3: drop running headers, running footers and page numbers.

A line in the top or bottom margin band is furniture when it looks like a page number, or when
the same text (digits aside) sits in the margin of several pages."""
from __future__ import annotations

import re
from collections import Counter

from .layout import body_size
from ..model import Line

MARGIN_SHARE = 0.14  # top and bottom bands of the page, as a share of its height
EDGE_LINES = 2  # lines at each end of a page that may be a running header, footer or page number
DISPLAY = 1.2  # a line this much larger than the body is a title, never furniture
HEADER_SIZE, HEADER_GAP = 0.95, 1.5  # a header printed once is smaller than the body, set this many sizes apart
PAGE_NUMBER = re.compile(
    r"^[\s\-—–_·•.°一]*(第\s*)?(\d{1,4}|[ivxlcIVXLC]{1,6})(\s*页)?"
    r"(\s*[/／]\s*\d{1,4}|\s*of\s*\d{1,4}|\s*[,，]?\s*共\s*\d{1,4}\s*页)?[\s\-—–_·•.°一]*$")  # OCR reads a dash as 一, a dot as ° at times
PAGE_WORD = re.compile(r"^\s*(page|p\.)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?\s*$", re.I)


def is_page_number(text: str) -> bool:
    return bool(PAGE_NUMBER.match(text) or PAGE_WORD.match(text))


def furniture_key(text: str) -> str:
    """Running headers differ from page to page only in numbers and spacing."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def in_margin(line: Line, height: float) -> bool:
    return line.box.bottom <= height * MARGIN_SHARE or line.box.top >= height * (1 - MARGIN_SHARE)


def margin_candidates(lines: list[Line], height: float) -> list[Line]:
    """The outermost lines of a page (the two highest and the two lowest, wherever the reading
    order puts them: a page number under the middle of three columns) that lie in the margin bands."""
    by_top = sorted(lines, key=lambda ln: ln.box.top)
    ends = by_top[:EDGE_LINES] + [ln for ln in by_top[-EDGE_LINES:] if all(ln is not e for e in by_top[:EDGE_LINES])]
    return [ln for ln in ends if in_margin(ln, height)]


ISSUE_MARK = re.compile(r"\d{4}\s*年\s*第\s*\S{1,4}\s*期|[Nn]o\.\s*\d+|Vol\.\s*\d+")


def lone_header(lines: list[Line], height: float, body: float, title: str = "") -> Line | None:
    """A page's first line when it reads like a running header even if printed once: in the top
    band, smaller than the body text, set apart from what follows, naming an issue (2021年第5期)
    or repeating the document's title (the largest type of its first page)."""
    if len(lines) < 2:
        return None
    first, nxt = lines[0], lines[1]
    if first.box.bottom > height * MARGIN_SHARE or first.size >= body * HEADER_SIZE:
        return None
    if nxt.box.top - first.box.bottom < first.size * HEADER_GAP:
        return None
    return first if ISSUE_MARK.search(first.text) or (title and title in furniture_key(first.text)) else None


def document_title(pages: list[list[Line]]) -> str:
    """The text of the largest type on the first page with text (a masthead's name), spaces dropped."""
    first = next((lines for lines in pages if lines), [])
    if not first:
        return ""
    big = max(first, key=lambda ln: ln.size)
    return furniture_key(big.text) if len(furniture_key(big.text)) >= 4 else ""


def strip_furniture(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    seen: Counter[str] = Counter()
    for lines, height in zip(pages, heights):
        keys = {furniture_key(ln.text) for ln in margin_candidates(lines, height)}
        seen.update(k for k in keys if k)
    repeated = {k for k, n in seen.items() if n >= 2 and n >= len(pages) * 0.3}
    body = body_size([ln for lines in pages for ln in lines])
    title = document_title(pages)
    out = []
    for number, (lines, height) in enumerate(zip(pages, heights), 1):
        drop = {id(ln) for ln in margin_candidates(lines, height) if ln.size < DISPLAY * body
                and (is_page_number(ln.text) or furniture_key(ln.text) in repeated)}  # (not a masthead's title)
        header = lone_header(lines, height, body, title) if number > 1 else None
        if header is not None:
            drop.add(id(header))
        out.append([ln for ln in lines if id(ln) not in drop])
    return out
