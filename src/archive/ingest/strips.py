"""Stage 2, strips: gutters that start and stop — strips of blank running down a range of a
page's rows, not the whole page (regions.py makes regions of them).

A strip opens at a row with text on both sides of a gap, goes on down the rows that leave it free
(a short line, a heading in one column leave it free), and stops at the first row whose text
covers it (a full-width line, a row of other columns). It is a gutter if lines lie beside it on
both sides in two rows apart at least, the columns beside it are not narrow, and it is not one
of the word spaces of loosely spaced Latin lines.
Nothing here knows about the newsletter: it is page geometry only."""
from __future__ import annotations

from dataclasses import dataclass, field

from .gutters import COLUMN_MIN_ROWS, GUTTER_SEARCH, MIN_COLUMN
from .layout import Fragment

STRIP_MIN_WIDTH = 0.8  # body sizes: the narrowest gutter
STRIP_GAP = 0.5  # body sizes: glyphs closer than this are one piece of a row (a wider gap may be a gutter)
HEADING_RATIO = 1.1  # type this much larger than the body's is a heading's
INDENT = 4.0  # body sizes: the deepest indent of a paragraph's first line
EDGE_LINE = 0.25  # body sizes: lines ending (starting) this close to a gutter's edge are in line there


@dataclass
class Strip:
    x0: float
    x1: float
    top: float  # the height it runs down
    bottom: float
    solid: float  # the lowest point where text lay right beside it on both sides
    left: set[int] = field(default_factory=set)  # rows with text left of it, right of it
    right: set[int] = field(default_factory=set)
    both: set[int] = field(default_factory=set)  # rows with text left of it that text right of it lies beside


Span = tuple[float, float, float, float]  # x0, x1, top, bottom of a piece of a row
Covered = tuple[float, float, float, int]  # x0, x1, top of a piece covering a slice, and its row
SPACED = 0.5  # a gutter is more than twice as wide as a gap between the pieces of text beside it
RAGGED_SHARE = 1 / 3  # in_line: rows beside a gutter that may be ragged on both sides of it


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


def slices(rows: list[list[Fragment]], size: float) -> list[tuple[float, float, list[Covered]]]:
    """The page cut across at every top and bottom of a piece: (top, bottom, the pieces covering
    it) for each slice with text. Lines of two columns set on baselines a little apart share a slice."""
    spans = [(p, i) for i, r in enumerate(rows) for p in pieces(r, size)]
    ys = sorted({y for p, _ in spans for y in (p[2], p[3])})
    out = []
    for a, b in zip(ys, ys[1:]):
        covered = sorted((p[0], p[1], p[2], i) for p, i in spans if p[2] < b and p[3] > a)
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
            still.append(s)
        active = still
        for (a0, b0, t0, _), (a1, b1, t1, _) in zip(spans, spans[1:]):
            if a1 - b0 >= STRIP_MIN_WIDTH * size and lo <= (b0 + a1) / 2 <= hi \
                    and not any(s.x0 < a1 and s.x1 > b0 for s in active):  # from the top of the higher line
                active.append(Strip(b0, a1, min(t0, t1), bottom, bottom))
    strips = done + active
    for s in strips:
        s.solid = solid_end(s, rows, reach)
    mids = [(min(f.top for f in r) + max(f.bottom for f in r)) / 2 for r in rows]
    spans = [pieces(r, size) for r in rows]
    for new in strips:  # the tail of a strip closed just above the one opening, left free there too
        for old in strips:
            if old.solid < old.bottom and old.solid - size <= new.top <= old.bottom + size and new.x0 > old.x1 \
                    and all(meets(row, old, new, size) for row, mid in zip(rows, mids) if old.solid < mid < new.top):
                old.bottom = old.solid
                new.top = min(new.top, old.solid)
    for s in strips:
        note_beside(s, spans, mids)
    found = [s for s in strips if min(len(s.left), len(s.right), lines_apart(s.both, spans)) >= COLUMN_MIN_ROWS
             and sum(1 for m in mids if s.top <= m <= s.bottom) >= COLUMN_MIN_ROWS]
    found = [s for s in found if not word_space(s, found, spans, mids, size) and in_line(s, spans, size)]
    kept: list[Strip] = []  # the best shown first: a strip leaving a narrow column beside one kept goes
    for s in sorted(found, key=lambda s: -len(s.left | s.right)):
        if wide_beside(s, kept, left, right, size):
            kept.append(s)
    return sorted(kept, key=lambda s: s.x0)


def meets(row: list[Fragment], old: Strip, new: Strip, size: float) -> bool:
    """Does the row's text right of the old strip start at the new one, or a paragraph's indent
    after it (the next region's second column beside a heading in its first), if it has any and
    does not run across the new one (a title over the columns)? A heading (type larger than the
    body's) may lie anywhere right of the new strip (centred in the column there)."""
    right = [f for f in row if f.x0 >= old.x1]
    if not right or any(f.x0 < new.x0 and f.x1 > new.x1 for f in row):
        return True
    first = min(right, key=lambda f: f.x0)
    if first.size >= HEADING_RATIO * size:
        return first.x0 >= new.x1 - EDGE_LINE * size
    return -EDGE_LINE * size <= first.x0 - new.x1 <= INDENT * size


def note_beside(s: Strip, spans: list[list[Span]], mids: list[float]) -> None:
    """The rows down the strip with text left of it, right of it, and both (a line right of it
    beside one left of it, in the same row or set on a baseline a little apart) — not where a row
    beside covers the strip (a line drawn in two rows half a line apart, as a producer that lost
    the Latin's place draws it, is one line across)."""
    inside = [i for i, mid in enumerate(mids) if s.top <= mid <= s.bottom]
    rights = [p for i in inside for p in spans[i] if p[0] >= s.x1]
    across = [p for row in spans for p in row if p[0] < s.x1 and p[1] > s.x0]
    for i in inside:
        lefts = [p for p in spans[i] if p[1] <= s.x0]
        if lefts:
            s.left.add(i)
        if any(p[0] >= s.x1 for p in spans[i]):
            s.right.add(i)
        top, bottom = min(p[2] for p in spans[i]), max(p[3] for p in spans[i])
        if any(a[2] < b[3] and b[2] < a[3] for a in lefts for b in rights) \
                and not any(p[2] < bottom and top < p[3] for p in across):
            s.both.add(i)


def in_line(s: Strip, spans: list[list[Span]], size: float) -> bool:
    """Are the rows with text on both sides of the strip set in columns beside it: in most
    (RAGGED_SHARE at most not), the text left of it ends at its left edge (a justified line) or the
    text right of it starts at its right edge or a paragraph's indent after it? A masthead's pieces
    — the number left and 总第 right in one row, the publisher left and the date right under it —
    lie apart, ragged on both sides; in columns, a short last line beside a heading centred in the
    next column is one row of many."""
    ragged = 0
    for i in s.both:
        left_end = max((p[1] for p in spans[i] if p[1] <= s.x0), default=None)
        right_start = min((p[0] for p in spans[i] if p[0] >= s.x1), default=None)
        if left_end is not None and right_start is not None \
                and s.x0 - left_end > EDGE_LINE * size and right_start - s.x1 > INDENT * size:
            ragged += 1
    return ragged <= RAGGED_SHARE * len(s.both)


def lines_apart(rows: set[int], spans: list[list[Span]]) -> int:
    """How many of the rows lie each below the last (rows that overlap are one line drawn in two:
    the Latin of a CJK line set half a line lower by a producer that lost its place)."""
    count, bottom = 0, -float("inf")
    for i in sorted(rows):
        top = min(p[2] for p in spans[i])
        if top >= bottom:
            count += 1
            bottom = max(p[3] for p in spans[i])
    return count


def word_space(s: Strip, strips: list[Strip], spans: list[list[Span]], mids: list[float], size: float) -> bool:
    """Is the strip a gap running down a few lines of loosely spaced Latin? There it is one of its
    lines' word spaces, all about as wide: most rows with text on both sides of it have another
    gap half as wide or more in the same column (between the strips on either side) — and its
    edges are ragged: a gutter between loosely spaced columns has their lines' ends on one side
    of it, or their starts on the other, in line (justified lines, lines from the column's edge),
    in three rows with text on both sides, or all of them."""
    spaced = clean = 0
    ends: list[float] = []
    starts: list[float] = []
    for row, mid in zip(spans, mids):
        if not s.top <= mid <= s.bottom:
            continue
        lo = max([o.x1 for o in strips if o.x1 <= s.x0 and o.top <= mid <= o.bottom], default=-float("inf"))
        hi = min([o.x0 for o in strips if o.x0 >= s.x1 and o.top <= mid <= o.bottom], default=float("inf"))
        near = [p for p in row if p[0] >= lo and p[1] <= hi]
        left = [p for p in near if p[1] <= s.x0]
        right = [p for p in near if p[0] >= s.x1]
        if not left or not right:
            continue
        ends.append(left[-1][1])
        starts.append(right[0][0])
        gap = right[0][0] - left[-1][1]
        others = [b[0] - a[1] for a, b in zip(near, near[1:]) if not (a[1] <= s.x0 and b[0] >= s.x1)]
        if any(g >= SPACED * gap for g in others):
            spaced += 1
        else:
            clean += 1
    in_line = max(sum(1 for x in ends if s.x0 - x <= EDGE_LINE * size),
                  sum(1 for x in starts if x - s.x1 <= EDGE_LINE * size))
    return (spaced >= clean > 0 or spaced > clean) and in_line < min(COLUMN_MIN_ROWS + 1, len(ends))


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
