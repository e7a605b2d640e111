"""Stage 3: drop running headers, running footers and page numbers.

A line in the top or bottom margin band is furniture when it looks like a page number, or when
the same text (digits aside) sits in the margin of several pages (a sentence: of most pages), or when a page's first line
there repeats a title set in display type on another page (a book's chapter title as its header)."""
from __future__ import annotations

import re
from collections import Counter

from ..chars import ASCII_SENTENCE_ENDS, SENTENCE_ENDS
from .layout import body_size
from ..model import Line

MARGIN_SHARE = 0.14  # top and bottom bands of the page, as a share of its height
EDGE_LINES = 2  # lines at each end of a page that may be a running header, footer or page number
DISPLAY = 1.2  # a line this much larger than the body is a title, never furniture
HEADER_SIZE, HEADER_GAP = 0.95, 1.5  # a header printed once is smaller than the body, set this many sizes apart
HEADER_SAME = 1.05  # ...or no larger than it, naming both the issue and the document's title
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
    return in_top_band(line, height) or line.box.top >= height * (1 - MARGIN_SHARE)


def in_top_band(line: Line, height: float) -> bool:
    return line.box.bottom <= height * MARGIN_SHARE


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
    or repeating the document's title (the largest type of its first page); at the body's size
    only if it names both."""
    if len(lines) < 2:
        return None
    first, nxt = lines[0], lines[1]
    names_issue = bool(ISSUE_MARK.search(first.text))
    names_title = bool(title) and title in furniture_key(first.text)
    # at the body's size it must name both (a producer may print a header as large as a small body)
    small = first.size < body * HEADER_SIZE or (names_issue and names_title and first.size < body * HEADER_SAME)
    if not in_top_band(first, height) or not small:
        return None
    if nxt.box.top - first.box.bottom < first.size * HEADER_GAP:
        return None
    return first if names_issue or names_title else None


def display_titles(pages: list[list[Line]], body: float) -> dict[str, int]:
    """Titles set in display type (a chapter's 第三章 艰苦创业 on its opening page), by text, with
    the page each is on: a book repeats them as its running header at body size."""
    out: dict[str, int] = {}
    for number, lines in enumerate(pages, 1):
        for ln in lines:
            key = furniture_key(ln.text)
            if ln.size >= DISPLAY * body and len(key) >= 4:
                out.setdefault(key, number)
    return out


def repeated_title(lines: list[Line], height: float, number: int, body: float, titles: dict[str, int]) -> Line | None:
    """A page's first line, in the top band and not itself in display type, repeating a display
    title printed on another page."""
    if not lines or not in_top_band(lines[0], height) or lines[0].size >= DISPLAY * body:
        return None
    return lines[0] if titles.get(furniture_key(lines[0].text), number) != number else None


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
    repeated = {k for k, n in seen.items() if n >= 2 and n >= len(pages) * 0.3
                and (not is_sentence(k) or n > len(pages) * SENTENCE_PAGES)}
    body = body_size([ln for lines in pages for ln in lines])
    title = document_title(pages)
    titles = display_titles(pages, body)
    drops = []
    for number, (lines, height) in enumerate(zip(pages, heights), 1):
        drop = {id(ln) for ln in margin_candidates(lines, height) if ln.size < DISPLAY * body
                and (is_page_number(ln.text) or furniture_key(ln.text) in repeated)}  # (not a masthead's title)
        for header in (lone_header(lines, height, body, title) if number > 1 else None,
                       repeated_title(lines, height, number, body, titles)):
            if header is not None:
                drop.add(id(header))
        drops.append(drop)
    slots = [lines[0].box for lines, drop in zip(pages, drops) if lines and id(lines[0]) in drop
             and not is_page_number(lines[0].text)]
    for lines, height, drop in zip(pages, heights, drops):
        if len(lines) > 1 and id(lines[0]) not in drop and in_header_slot(lines[0], height, body, slots):
            drop.add(id(lines[0]))
    return [[ln for ln in lines if id(ln) not in drop] for lines, drop in zip(pages, drops)]


HEADER_CHARS = 16  # a running header is a short line...
SENTENCE_MARKS = re.compile(rf"[{SENTENCE_ENDS}，,{ASCII_SENTENCE_ENDS}]")  # ...with no sentence in it
SENTENCE_PAGES = 0.5  # a repeated sentence is furniture only in the margin of more than this share of the pages


def is_sentence(key: str) -> bool:
    """Does a margin line (its furniture_key) read as a sentence of the text: longer than a header,
    ending as a sentence or a lead-in does (。！？：)? Printed in the margin of two pages of four (a
    table's lead-in 「1月以来，各单位…情况如下：」 at the top of two pages of a volume's issue), it is
    text; a running footer that is a sentence (「本刊仅供内部交流，请勿外传。」) is on most pages."""
    return len(key) > HEADER_CHARS and key[-1:] in SENTENCE_ENDS + "：:" + ASCII_SENTENCE_ENDS


def in_header_slot(line: Line, height: float, body: float, slots: list) -> bool:
    """A page's first line set where another page's running header is (the same height, the same
    middle): the other header of a book's spread (书名 on the left page, 章名 on the right)."""
    if not in_top_band(line, height) or line.size >= DISPLAY * body:
        return False
    if len(furniture_key(line.text)) > HEADER_CHARS or SENTENCE_MARKS.search(line.text):
        return False
    mid_y, mid_x = (line.box.top + line.box.bottom) / 2, (line.box.x0 + line.box.x1) / 2
    return any(abs((b.top + b.bottom) / 2 - mid_y) <= line.size / 2 and abs((b.x0 + b.x1) / 2 - mid_x) <= 2 * line.size
               for b in slots)
