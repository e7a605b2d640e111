"""Stage 6a: a file that holds several issues — a bound annual volume (合订本: a cover, a 目录 listing
the issues, then each issue from its own masthead page) or a scanner's batch (masthead page after
masthead page) — cut into the file pages of each issue; and the volume's 目录 checked against what
was found.

An issue begins on a page whose first blocks are a masthead (structure.masthead_on_page: short lines
up to the issue's number line, with the publication's name in display type among them). A cover or a
contents page may look like one too (「2012年合订本（第1期—第4期）」, 「中铝股份党群工作 2012年第1期」 drawn
on a cover): of masthead pages with no body text between them only the last counts, the one nearest
its issue's text — as structure.split_masthead picks one masthead within an issue. A contents page
(the number lines of several issues) is never a masthead. An issue ends at its 版记 (the footer's
labelled rows, or the 公文 印发 line): pages after it and before the next masthead are the volume's
(a blank verso, the next issue's own cover), as are the cover and 目录 before the first masthead.
One masthead, or none: the file is one issue, read as it always was."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from . import masthead as mh
from .layout import body_size
from ..model import Block, Issue, Line, Review
from .paragraphs import make_blocks
from .structure import (MASTHEAD_BLOCKS, MASTHEAD_LINE, SENTENCE_MARK, block_raw, block_text, imprint_at, is_section_title,
                        masthead_on_page, rows_of, starts_block)
from .textrepair import squash

TITLE_RATIO = 1.12  # the masthead's name is set at least this much larger than its page's body text
# dot leaders and rules between a 目录 entry and its folio (……, ·····, ———, spaces)
LEADERS = re.compile(r"[.…·．•・_—–\-\s\u3000]{3,}|[…]+")
# a 目录 row: what it names, then leaders or a space, then a folio (7, 第7页, 7页) at the row's end
CONTENTS_ROW = re.compile(r"(?:[.…·．•・_—–\-]{2,}|[…]|\s)\s*(?:第\s*)?\d{1,4}\s*页?[.…·．•・_\s\u3000]*$")
# a 目录 entry: what it names, leaders, the folio (7, 第7页, 7页) at the row's end
ENTRY = re.compile(r"^(?P<what>.+?)[.…·．•・_—–\-\s\u3000]*(?:第\s*)?(?P<page>\d{1,4})\s*页?[.…·．•・_\s\u3000]*$")


@dataclass(frozen=True)
class Masthead:
    """A page whose top is a masthead: the page, and where its blocks lie in the document's blocks."""
    page: int
    start: int
    end: int


@dataclass(frozen=True)
class Entry:
    """A 目录 row naming an issue: its number, as the masthead would read it, and its folio (None
    where none was read)."""
    number: mh.IssueNumber
    page: int | None


def opens_issue(lines: list[Line]) -> bool:
    """Is this page (its lines in reading order) an issue's masthead page? Asked while pages are
    read: the columns of the page before, another issue's, are no hint for it."""
    top = lines[:2 * MASTHEAD_BLOCKS]
    if not any(mh.is_number_line(squash(ln.text)) for ln in top):
        return False
    return bool(masthead_pages(make_blocks(lines, starts_block)))


def page_body(blocks: list[Block], page: int) -> float:
    """The body type size of a page (by characters)."""
    return body_size([ln for b in blocks if b.page_start == page for ln in b.lines if ln.page == page])


def masthead_pages(blocks: list[Block]) -> list[Masthead]:
    """Every page whose top is a masthead: short lines up to a number line, the publication's name
    in display type among them, on a page that is no contents list."""
    by_page: dict[int, list[int]] = {}
    for i, b in enumerate(blocks):
        by_page.setdefault(b.page_start, []).append(i)
    found = []
    for page, indices in by_page.items():
        first, last = indices[0], indices[-1] + 1
        top = blocks[first:first + MASTHEAD_BLOCKS]
        if not any(b.page_start == page and mh.is_number_line(squash(block_text(b))) for b in top):
            continue  # (cheap: most pages name no issue at their top)
        at = masthead_on_page(blocks[first:last + MASTHEAD_BLOCKS], page)
        if at is None:
            continue
        own = blocks[first:last]
        if max(b.size for b in blocks[first + at[0]:first + at[1]]) < TITLE_RATIO * page_body(own, page) \
                or is_contents_page(own, page):
            continue
        found.append(Masthead(page, first + at[0], first + at[1]))
    return found


def is_contents_page(blocks: list[Block], page: int) -> bool:
    """Does the page list several issues (a volume's 目录: the number lines of two issues or more)?"""
    numbers = set()
    for text in rows_of([b for b in blocks if b.page_start == page]):
        number = mh.parse_issue_number(squash(strip_leaders(text)))
        if number:
            numbers.add((number.year, number.number, number.special))
    return len(numbers) >= 2


def strip_leaders(text: str) -> str:
    return LEADERS.sub(" ", text)


def is_body(block: Block) -> bool:
    """Text of an issue (not a cover's or a 目录's lines): a section title, or a sentence or a line
    longer than a masthead's (leaders not counted), that names no issue and is no 目录 row (a title,
    leaders or a space, and a folio)."""
    if is_section_title(block):
        return True
    raw = block_raw(block)  # (printed spaces kept: 「…困难职工　12」)
    text = squash(strip_leaders(raw))
    if mh.is_number_line(text) or CONTENTS_ROW.search(raw.strip()):
        return False
    return len(text) > MASTHEAD_LINE or bool(SENTENCE_MARK.search(text))


def issue_starts(blocks: list[Block]) -> list[Masthead]:
    """The mastheads that begin an issue: those followed by body text before the next masthead."""
    heads = masthead_pages(blocks)
    out: list[Masthead] = []
    for head, nxt in zip(heads, heads[1:] + [None]):
        upto = nxt.start if nxt is not None else len(blocks)
        if has_body(blocks[head.end:upto]):
            if out and names_issue(blocks, out[-1]) == names_issue(blocks, head):
                out.pop()  # the same issue twice (its cover, with its highlights, then its masthead page)
            out.append(head)
    return out


def has_body(blocks: list[Block]) -> bool:
    """Is there body text among the blocks, outside contents pages (asked page by page, as needed:
    the first body block usually follows at once)?"""
    listing: dict[int, bool] = {}
    for b in blocks:
        if is_body(b):
            if b.page_start not in listing:
                listing[b.page_start] = is_contents_page([x for x in blocks if x.page_start == b.page_start], b.page_start)
            if not listing[b.page_start]:
                return True
    return False


def names_issue(blocks: list[Block], head: Masthead) -> tuple:
    """The issue a masthead names: (year, number, special) of its number line."""
    for b in blocks[head.start:head.end]:
        n = mh.parse_issue_number(squash(block_text(b)))
        if n:
            return n.year, n.number, n.special
    return None, None, None


def issue_ranges(blocks: list[Block], starts: list[Masthead], n_pages: int) -> list[tuple[int, int]]:
    """The file pages (first, last) of each issue: from its masthead page to its 版记's last page
    (or, without one, to its last page with text before the next masthead)."""
    out = []
    for head, nxt in zip(starts, starts[1:] + [None]):
        limit = nxt.page - 1 if nxt is not None else n_pages
        inside = range(head.start, nxt.start if nxt is not None else len(blocks))  # (blocks run in page order)
        footer = [blocks[i].page_end for i in inside
                  if mh.is_footer(squash(block_text(blocks[i]))) or imprint_at(blocks, i)]
        last = max(footer) if footer else max((min(blocks[i].page_end, limit) for i in inside), default=head.page)
        out.append((head.page, max(min(last, limit), head.page)))
    return out


# --- the volume's 目录 -------------------------------------------------------------------------------

def contents_entries(front: list[Block]) -> list[Entry]:
    """The 目录 rows of the front matter that name an issue, with their folio where one is read:
    「2012年第2期（总第2期）……7」, 「第2期 7」, the folio as 第7页. A year printed elsewhere (the
    cover's 2012年合订本) is the entries' year where a row names none. A row that prints no folio
    (or whose folio OCR lost) still lists its issue, on a contents page (is_contents_page)."""
    rows = rows_of(front)
    years = [n.year for n in (mh.parse_issue_number(squash(t)) for t in rows) if n.year]
    years += [int(m.group(1)) for t in rows for m in re.finditer(r"([12][0-9]{3})\s*年", t)]
    year = Counter(years).most_common(1)[0][0] if years else None
    listing = {page for page in {b.page_start for b in front} if is_contents_page(front, page)}
    out = []
    for page in sorted({b.page_start for b in front}):
        for text in rows_of([b for b in front if b.page_start == page]):
            text = strip_leaders(text).strip()
            m = ENTRY.match(text)
            number = mh.parse_issue_number(squash(m.group("what") if m else text))
            if number.number is None and number.special is None or not m and page not in listing:
                continue
            if number.year is None and year is not None:
                number = mh.IssueNumber(year, number.number, number.number_end, number.special, number.total)
            out.append(Entry(number, int(m.group("page")) if m else None))
    return out


def names(entry: Entry, issue: Issue) -> bool:
    """Does the 目录 entry name this issue (its number, or its special kind; the year where printed)?"""
    n = entry.number
    if n.year is not None and issue.year is not None and n.year != issue.year:
        return False
    if n.number is not None:
        return n.number == issue.number
    return n.special is not None and n.special == issue.special


def folio_offset(pairs: list[tuple[Entry, int]]) -> int:
    """What a 目录's folio is short of the file page (0: file pages; the front matter's length:
    folios counted from the first issue), as most of its entries agree."""
    deltas = Counter(first - e.page for e, first in pairs)
    return min(deltas, key=lambda d: (-deltas[d], d != 0, abs(d))) if deltas else 0


def check_contents(front: list[Block], issues: list[Issue], firsts: list[int], own_pages: bool = True) -> None:
    """Flag (review kind contents_differ) the issues a volume's 目录 disagrees with: an issue it
    lists that was not found (on the issue whose pages hold the folio it gives), one found where it
    says another page, one found that it does not list. `firsts`: the file page each issue begins
    on; the pages named are the issue's own (`own_pages`), else file pages (a lone issue: the whole
    file is its pages). Nothing is checked unless the 目录 lists two issues or more (a lone issue's
    own 目录 lists its sections)."""
    entries = contents_entries(front)
    if len(entries) < 2 or not issues or all(e.page is None for e in entries):
        return
    pairs, unlisted = [], []
    for k, issue in enumerate(issues):
        entry = next((e for e in entries if names(e, issue)), None)
        if entry is None:
            unlisted.append(k)
        elif entry.page is not None:
            pairs.append((entry, firsts[k]))
    missing = [e for e in entries if not any(names(e, issue) for issue in issues)]
    offset = folio_offset(pairs)
    flagged: dict[int, set[int]] = {}

    def flag(k: int, file_page: int) -> None:
        page = file_page - firsts[k] + 1 if own_pages else file_page
        flagged.setdefault(k, set()).add(max(1, min(page, issues[k].pages or page)))
    for k in unlisted:
        flag(k, firsts[k])
    for entry, first in pairs:
        if entry.page + offset != first:
            flag(firsts.index(first), first)
    for entry in missing:  # on the issue whose pages hold its folio; without one, the issue before it
        if entry.page is not None:
            page = entry.page + offset
            flag(max((k for k, f in enumerate(firsts) if f <= page), default=0), page)
        else:
            k = max((k for k, i in enumerate(issues) if (i.number or 0) < (entry.number.number or 0)), default=0)
            flag(k, firsts[k])
    for k, pages in sorted(flagged.items()):
        issues[k].flag(Review("contents_differ", pages=tuple(sorted(pages))))
