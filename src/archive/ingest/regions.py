"""Stage 2, regions: a page set in several column regions (newspaper style: a full-width headline
and lead, two columns under it, a full-width item, three columns…) → its regions, top to bottom,
each with its own gutters ([] for a full-width region).

A gutter here is a strip of blank running down a range of rows, not the whole page: it opens at a
row with text on both sides of a gap, goes on down the rows that leave it free (a short line, a
heading in one column leave it free), and stops at the first row whose text covers it (a
full-width line, a row of other columns). A strip over too few rows, or without text on each side
in enough of them, is none. Rows under the same strips form a region.
Nothing here knows about the newsletter: it is page geometry only."""
from __future__ import annotations

from dataclasses import dataclass

from .gutters import COLUMN_MIN_ROWS, GUTTER_SEARCH, MIN_COLUMN, Gutter
from .layout import Fragment

STRIP_MIN_WIDTH = 0.8  # body sizes: the narrowest gutter
STRIP_GAP = 0.5  # body sizes: glyphs closer than this are one piece of a row (a wider gap may be a gutter)
STRIP_MATCH = 1.0  # body sizes: two regions' gutters this close are the same gutters


@dataclass
class Strip:
    x0: float
    x1: float
    top: float  # the height it runs down
    bottom: float
    solid: float  # the lowest point where text lay right beside it on both sides
    left: int = 0  # slices with text right beside it on the left, on the right
    right: int = 0


@dataclass
class Region:
    first: int  # rows first..last of the page
    last: int
    gutters: list[Gutter]


Span = tuple[float, float, float, float]  # x0, x1, top, bottom of a piece of a row


def pieces(row: list[Fragment], size: float) -> list[Span]:
    """The x ranges a row's text covers, glyphs closer than STRIP_GAP sizes taken together."""
    glyphs = sorted((c for f in row for c in f.chars if c.text.strip()), key=lambda c: c.x0)
    out: list[list[float]] = []
    for c in glyphs:
        if out and c.x0 - out[-1][1] < STRIP_GAP * size:
            out[-1][1] = max(out[-1][1], c.x1)
            out[-1][2], out[-1][3] = min(out[-1][2], c.top), max(out[-1][3], c.bottom)
        else:
            out.append([c.x0, c.x1, c.top, c.bottom])
    return [(a, b, t, u) for a, b, t, u in out]


def slices(rows: list[list[Fragment]], size: float) -> list[tuple[float, float, list[tuple[float, float, float]]]]:
    """The page cut across at every top and bottom of a piece: (top, bottom, the x ranges covered
    with the top of the piece covering each)
    for each slice with text. Lines of two columns set on baselines a little apart share a slice."""
    spans = [p for r in rows for p in pieces(r, size)]
    ys = sorted({y for p in spans for y in (p[2], p[3])})
    out = []
    for a, b in zip(ys, ys[1:]):
        covered = sorted((p[0], p[1], p[2]) for p in spans if p[2] < b and p[3] > a)
        if covered:
            out.append((a, b, covered))
    return out


def find_strips(rows: list[list[Fragment]], left: float, right: float, size: float) -> list[Strip]:
    """Strips of blank down the page, each opened at a gap with text on both sides, narrowed to
    what the text below leaves free, closed where text covers it. A strip's tail where the text
    no longer lay beside it on both sides goes to a strip that opens right under it (the columns
    changed: a heading over the next region's first column left the old gutter free)."""
    lo, hi = left + (right - left) * GUTTER_SEARCH[0], left + (right - left) * GUTTER_SEARCH[1]
    reach = MIN_COLUMN * size
    active: list[Strip] = []
    done: list[Strip] = []
    for top, bottom, spans in slices(rows, size):
        still = []
        for s in active:
            free = free_part(s, spans)
            if free[1] - free[0] < STRIP_MIN_WIDTH * size:
                done.append(s)
                continue
            s.x0, s.x1 = free
            s.bottom = bottom
            s.left += any(b <= s.x0 for a, b, _ in spans)
            s.right += any(a >= s.x1 for a, b, _ in spans)
            still.append(s)
        active = still
        for (a0, b0, t0), (a1, b1, t1) in zip(spans, spans[1:]):
            if a1 - b0 >= STRIP_MIN_WIDTH * size and lo <= (b0 + a1) / 2 <= hi \
                    and not any(s.x0 < a1 and s.x1 > b0 for s in active):  # from the top of the higher line
                active.append(Strip(b0, a1, min(t0, t1), bottom, bottom, 1, 1))
    strips = done + active
    for s in strips:
        s.solid = solid_end(s, rows, reach)
    for new in strips:  # the tail of a strip closed just above the one opening, left free there too
        for old in strips:
            if old.solid < old.bottom and old.solid - size <= new.top <= old.bottom + size and new.x0 > old.x1:
                old.bottom = old.solid
                new.top = min(new.top, old.solid)
    mids = [(min(f.top for f in r) + max(f.bottom for f in r)) / 2 for r in rows]
    found = sorted((s for s in strips if min(s.left, s.right) >= COLUMN_MIN_ROWS
                    and sum(1 for m in mids if s.top <= m <= s.bottom) >= COLUMN_MIN_ROWS), key=lambda s: s.x0)
    return [s for s in found if wide_beside(s, found, left, right, size)]


def solid_end(s: Strip, rows: list[list[Fragment]], reach: float) -> float:
    """Where the strip's tail begins: the bottom of its last row that has no text right of it, or
    has some right beside it (not only further right, where other columns begin)."""
    for row in reversed(rows):
        top, bottom = min(f.top for f in row), max(f.bottom for f in row)
        if (top + bottom) / 2 > s.bottom or not any(c.text.strip() for f in row for c in f.chars):
            continue
        if (top + bottom) / 2 < s.top:
            break
        beyond = [c.x0 for f in row for c in f.chars if c.text.strip() and c.x0 >= s.x1]
        if not beyond or min(beyond) <= s.x1 + reach:
            return min(s.bottom, bottom)
    return s.top


def wide_beside(s: Strip, strips: list[Strip], left: float, right: float, size: float) -> bool:
    """Are the columns on each side of the strip at least MIN_COLUMN wide (up to the next strip
    over the same rows, or the text's edge)? A gap down a few lines of loosely justified Latin
    leaves narrow "columns"."""
    over = [o for o in strips if o is not s and o.top < s.bottom and o.bottom > s.top]
    lo = max([o.x1 for o in over if o.x1 <= s.x0] + [left])
    hi = min([o.x0 for o in over if o.x0 >= s.x1] + [right])
    return s.x0 - lo >= MIN_COLUMN * size and hi - s.x1 >= MIN_COLUMN * size


def free_part(s: Strip, spans: list[tuple[float, float, float]]) -> tuple[float, float]:
    """The widest part of the strip the row's text leaves free (a gap opened wide by a heading
    narrows to the gutter under it)."""
    free, at = [], s.x0
    for a, b, *_ in sorted(spans):
        if b <= at or a >= s.x1:
            continue
        if a > at:
            free.append((at, a))
        at = max(at, b)
    if at < s.x1:
        free.append((at, s.x1))
    return max(free, key=lambda ab: ab[1] - ab[0], default=(s.x0, s.x0))


def find_regions(rows: list[list[Fragment]], left: float, right: float, size: float) -> list[Region]:
    """The page's rows as regions top to bottom: runs of rows under the same strips."""
    strips = find_strips(rows, left, right, size)
    out: list[Region] = []
    for i, row in enumerate(rows):
        mid = (min(f.top for f in row) + max(f.bottom for f in row)) / 2
        gutters = sorted((s.x0, s.x1) for s in strips if s.top <= mid <= s.bottom)
        if out and same_gutters(out[-1].gutters, gutters, size):
            out[-1].last = i
        else:
            out.append(Region(i, i, gutters))
    return out


def same_gutters(a: list[Gutter], b: list[Gutter], size: float) -> bool:
    return len(a) == len(b) and all(abs((p0 + p1) - (q0 + q1)) / 2 <= STRIP_MATCH * size + (p1 - p0 + q1 - q0) / 2
                                    for (p0, p1), (q0, q1) in zip(a, b))
