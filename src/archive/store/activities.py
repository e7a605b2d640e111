"""Each unit's own activities: the sentences of an item that belong to the units it names.

A 践·铝之行 paragraph names a dozen units, one sentence each (「中州铝业充分利用…。抚顺铝业、广西华昇、
遵义铝业组织党员…。青海分公司开展…」). A sentence, or a clause after 「，」 or 「；」, that a unit or a
list of units opens starts an activity of those units; it runs on, over the sentences no other unit
opens, up to the next one that another unit opens. Text before the first opener (an introduction)
belongs to no unit. An item signed or credited by a unit (「…（山西中润 吴昊）」, 「…（西南铝业）」) is one
activity of that unit; a table row that names units is one activity of them; a paragraph that names
units but where none opens a sentence gives each sentence that names units to those units.

Pure functions over what an item stores (its text, its units as printed and their canonical names,
its line boxes), so that activities are made again whenever an item changes: at import, after a
correction, and for data folders written before activities (schema 3)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..chars import ASCII_SENTENCE_ENDS, SENTENCE_ENDS
from .spans import line_of, offsets

SENTENCE_END = SENTENCE_ENDS + ASCII_SENTENCE_ENDS
CLOSERS = "”’」』）)》】"  # a quote or bracket closed right after the sentence's end belongs to it
CLAUSE_END = "，,："
# what may stand between two units of a list: a sub-body (中州铝业党委、广西华昇党委) and a joiner
LIST_GAP = re.compile(r"^(?:党委|党总支|党支部|纪委|工会|团委|机关|公司)?(?:、|和|与|及|以及|，|,|/)$")
# what may follow an opener without breaking it: a sub-body, then anything
TRAILING_PAREN = re.compile(r"[（(]((?:[^（()）]|[（(][^（()）]{1,10}[）)]){1,120})[）)]\s*$")


@dataclass(frozen=True)
class Activity:
    """What units did, as a span of their item's text (start, end: character offsets)."""
    units: tuple[str, ...]  # the units as printed, in the order printed
    start: int
    end: int
    page_start: int
    page_end: int

    def text_of(self, text: str) -> str:
        """The activity's text as printed (a clause's trailing comma left out)."""
        return text[self.start:self.end].strip().rstrip("，,、：")


def mentions_in(text: str, units: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Where each printed unit name occurs: (start, end, name), longest names first, never
    overlapping, in text order."""
    names = sorted({u for u, _ in units if u}, key=len, reverse=True)
    taken = [False] * len(text)
    found = []
    for name in names:
        for m in re.finditer(re.escape(name), text):
            if not any(taken[m.start():m.end()]):
                found.append((m.start(), m.end(), name))
                for k in range(m.start(), m.end()):
                    taken[k] = True
    return sorted(found)


def sentences(text: str, ends: str = SENTENCE_END) -> list[tuple[int, int]]:
    """(start, end) of each sentence (or clause, with `ends` the clause marks) of text; white space
    between them is left out, a closing quote after the end mark kept in."""
    out, start = [], 0
    for m in sentence_end(ends).finditer(text):
        out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return [(a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in out if text[a:b].strip()]


@functools.lru_cache(maxsize=8)
def sentence_end(ends: str) -> re.Pattern:
    """An end mark (or a line break) and the closing quotes or brackets right after it."""
    return re.compile(f"[{re.escape(ends)}\n][{re.escape(CLOSERS)}]*")


def openers(text: str, start: int, end: int, found: list[tuple[int, int, str]],
            lead: bool = True) -> tuple[tuple[str, ...], int]:
    """The units that open text[start:end], and where their list ends: a unit at its start (after
    white space or, when `lead`, after leading clauses that name no unit: 「近日，」「3月5日，」
    「为深入贯彻…部署要求，」), and the units listed right after it. ((), start) if no unit opens it."""
    inside = [m for m in found if start <= m[0] < end]
    if not inside:
        return (), start
    first = inside[0]
    head = text[start:first[0]]
    if head.strip():
        if not lead or head.rstrip()[-1:] not in CLAUSE_END or any(c in head for c in SENTENCE_END):
            return (), start
    units = [first[2]]
    last_end = first[1]
    for m in inside[1:]:
        if not LIST_GAP.match(text[last_end:m[0]]):
            break
        units.append(m[2])
        last_end = m[1]
    return tuple(dict.fromkeys(units)), last_end


def page_finder(text: str, boxes: list[list[float]], starts: list[int] | None, page_start: int, page_end: int):
    """A character offset → the page it is printed on: the line it lies on (store.spans), from
    the lines' offsets kept with the item (estimated from their widths where none were)."""
    if page_start == page_end or not boxes or not text:
        return lambda offset: page_start
    at = offsets(text, boxes, starts)
    return lambda offset: int(boxes[line_of(at, offset)][0])


def split_activities(text: str, units: list[tuple[str, str]], kind: str = "paragraph",
                     boxes: list[list[float]] | None = None, page_start: int = 1,
                     page_end: int | None = None, starts: list[int] | None = None) -> list[Activity]:
    """An item's activities. `units`: its units as (printed, canonical), as stored."""
    page_end = page_end or page_start
    if not text or not units or kind == "caption":
        return []
    found = mentions_in(text, units)
    if not found:
        return []
    page_of = page_finder(text, boxes or [], starts, page_start, page_end)

    def make(owners, a, b):
        return Activity(tuple(owners), a, b, page_of(a), max(page_of(a), page_of(max(a, b - 1))))

    if kind == "table":
        return [make(us, a, b) for a, b in sentences(text, "\n")
                if (us := tuple(dict.fromkeys(m[2] for m in found if a <= m[0] < b)))]
    signer = signed_by(text, found)
    if signer:
        return [make(signer, 0, len(text))]
    starts = opening_points(text, found)
    spans = [(us, a, starts[k + 1][1] if k + 1 < len(starts) else len(text)) for k, (us, a) in enumerate(starts)]
    if not spans:  # units named, none opening a sentence: each sentence to the units it names
        for s0, s1 in sentences(text):
            named = tuple(dict.fromkeys(m[2] for m in found if s0 <= m[0] < s1))
            if named:
                spans.append((named, s0, s1))
    return [make(us, a, len(text[:b].rstrip())) for us, a, b in spans]


def opening_points(text: str, found: list[tuple[int, int, str]]) -> list[tuple[tuple[str, ...], int]]:
    """Where each activity starts, and whose it is: each sentence a unit (or a list) opens, and each
    clause after the opening list that another unit opens; a point with the same owners as the one
    before it continues that activity."""
    points: list[tuple[tuple[str, ...], int]] = []
    for s0, s1 in sentences(text):
        opened, listed_to = openers(text, s0, s1, found)
        if opened:
            points.append((opened, s0))
        for c0, c1 in clauses(text, s0, s1):
            if c0 >= listed_to and c0 > s0 and (us := openers(text, c0, c1, found, lead=False)[0]):
                points.append((us, c0))
    merged: list[tuple[tuple[str, ...], int]] = []
    for us, at in points:
        if not merged or merged[-1][0] != us:
            merged.append((us, at))
    return merged


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence's clauses, split after 「，」「：」 (offsets into text)."""
    return [(start + a, start + b) for a, b in sentences(text[start:end], CLAUSE_END + SENTENCE_END)] or [(start, end)]


def signed_by(text: str, found: list[tuple[int, int, str]]) -> tuple[str, ...]:
    """The unit(s) an item is signed or credited by: a closing bracket that opens with a unit."""
    m = TRAILING_PAREN.search(text)
    if not m:
        return ()
    inner_start = m.start(1)
    first = [f for f in found if f[0] == inner_start]
    return (first[0][2],) if first else ()
