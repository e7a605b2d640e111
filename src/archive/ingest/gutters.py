"""Stage 2, gutters: where a page's text columns are, from its geometry alone (any number of them).

A gutter is an x range that text in many rows avoids — a valley of coverage across rows, with
text rising on both sides — while rows have text wholly on each side of it. Narrow "columns" left
between two valleys (a gap running down a few lines of loosely justified Latin) are no columns."""
from __future__ import annotations

import itertools

from .layout import Fragment

Gutter = tuple[float, float]

HANG = 0.5  # sizes: a full-width mark may hang this far into a gutter (its box does, its ink less)
GUTTER_SEARCH = (0.1, 0.9)  # gutters are looked for in this part of the text width
GUTTER_MAX_COVER = 0.4  # a gutter: at most this share of the rows has text there...
GUTTER_VALLEY = 0.5  # ...and at most this share of the rows that have text beside it, on both sides
GUTTER_REACH = 8.0  # body sizes: the widest gutter (text beside it is looked for this far away)
MIN_COLUMN = 6.0  # body sizes: the narrowest column
GUTTER_MIN_ROWS = 4  # fewer rows than this show no columns
OVERHANG_GAP = 1.0  # body sizes: a piece this far beyond the lines' right edge is in a next column
COLUMN_MIN_ROWS = 2  # rows wholly on each side of a gutter, at least...
COLUMN_MIN_SHARE = 0.15  # ...and this share of the rows that do not cross it
CENTRED = 1.0  # sizes: a row whose middle lies this close to the text's is centred over it (not a column's)


def crosses(frags: list[Fragment], gutter: Gutter) -> bool:
    """Does a fragment reach over the gutter, from one column into the next (more than the half em
    a full-width mark's box may hang into a gutter at either end)?"""
    return any(f.x0 < gutter[0] - HANG * f.size and f.x1 > gutter[1] + HANG * f.size for f in frags)


def coverage(rows: list[list[Fragment]], lo: float, hi: float) -> list[int]:
    """For each point from lo to hi (1 pt apart): how many rows have text there."""
    steps = int(hi - lo) + 1
    starts = [0] * (steps + 1)  # +1 where a row's text begins, -1 after it ends: summed up below
    for frags in rows:
        spans = sorted((max(int(f.x0 - lo), 0), min(int(f.x1 - lo), steps - 1)) for f in frags)
        first, last = None, None
        for a, b in spans:
            if a > b:
                continue
            if last is not None and a <= last + 1:  # overlaps or touches the run so far: one run
                last = max(last, b)
                continue
            if last is not None:
                starts[first] += 1
                starts[last + 1] -= 1
            first, last = a, b
        if last is not None:
            starts[first] += 1
            starts[last + 1] -= 1
    return list(itertools.accumulate(starts[:steps]))

def valleys(cover: list[int], cutoff: float, reach: int) -> list[tuple[int, int]]:
    """Runs of points covered at most `cutoff` times that lie in a valley: within `reach` points
    on each side the coverage rises to twice theirs, and to COLUMN_MIN_ROWS at least (between two
    columns; not the ragged end of lines, an indent, or a picture inside a column)."""
    def rises(i: int) -> bool:
        want = max(COLUMN_MIN_ROWS, cover[i] / GUTTER_VALLEY)
        return (max(cover[max(i - reach, 0):i], default=-1) >= want
                and max(cover[i + 1:i + reach + 1], default=-1) >= want)

    low = [i for i, n in enumerate(cover) if n <= cutoff and rises(i)]
    return [least_stretch(cover, a, b) for a, b in runs_of(low)]

def runs_of(points: list[int]) -> list[tuple[int, int]]:
    """Consecutive integers → (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for i in points:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs

def least_stretch(cover: list[int], a: int, b: int) -> tuple[int, int]:
    """The widest stretch of a..b covered least (a gutter is where even the odd overhanging
    mark or a short column's indent leaves it)."""
    least = min(cover[a:b + 1])
    return max(runs_of([i for i in range(a, b + 1) if cover[i] == least]), key=lambda r: r[1] - r[0])

def find_gutters(rows: list[list[Fragment]], left: float, right: float, size: float) -> list[Gutter]:
    """The gutters between text columns, left to right ([] for a single column)."""
    width = right - left
    if width <= 0 or len(rows) < GUTTER_MIN_ROWS:
        return []
    lo, hi = left + width * GUTTER_SEARCH[0], left + width * GUTTER_SEARCH[1]
    cover = coverage(rows, lo, hi)
    found = [(a, b) for a, b in valleys(cover, len(rows) * GUTTER_MAX_COVER, int(GUTTER_REACH * size))
             if columns_beside(rows, (lo + a, lo + b + 1))]
    found = wide_columns(found, cover, left - lo, right - lo, size)
    return [(lo + a, lo + b + 1) for a, b in held_columns(rows, found, cover, lo, size)]

def wide_columns(found: list[tuple[int, int]], cover: list[int], left: float, right: float,
                 size: float) -> list[tuple[int, int]]:
    """The gutters less those that would leave a column narrower than MIN_COLUMN (a gap that runs
    down a few lines of loosely justified Latin text): of the two bounding a narrow column, the
    one more covered goes."""
    found = list(found)
    while True:
        edges = [left] + [x for a, b in found for x in (a, b + 1)] + [right]
        narrow = [k for k in range(len(found) + 1) if edges[2 * k + 1] - edges[2 * k] < MIN_COLUMN * size]
        if not narrow or not found:
            return found
        k = narrow[0]
        bounding = [j for j in (k - 1, k) if 0 <= j < len(found)]
        del found[max(bounding, key=lambda j: (min(cover[found[j][0]:found[j][1] + 1]), -(found[j][1] - found[j][0])))]

def held_columns(rows: list[list[Fragment]], found: list[tuple[int, int]], cover: list[int], lo: float,
                 size: float) -> list[tuple[int, int]]:
    """The gutters less those bounding a column that holds no text of its own (a valley between
    the end of a short full-width line and a folio, under a title and a caption that cross it): of
    the two bounding such a column, the one more covered goes."""
    found = list(found)
    while found:
        edges = [-float("inf")] + [lo + x for a, b in found for x in (a, b + 1)] + [float("inf")]
        empty = [k for k in range(len(found) + 1)
                 if not any(f.x0 >= edges[2 * k] - HANG * f.size and f.x1 <= edges[2 * k + 1] + HANG * f.size
                            for r in rows for f in r)]
        if not empty:
            return found
        k = empty[0]
        bounding = [j for j in (k - 1, k) if 0 <= j < len(found)]
        del found[max(bounding, key=lambda j: (min(cover[found[j][0]:found[j][1] + 1]), -(found[j][1] - found[j][0])))]
    return found


def columns_beside(rows: list[list[Fragment]], gutter: Gutter) -> bool:
    """Are there rows with text wholly on each side of the gutter (not a right-set date, not a
    short line's end)?"""
    whole = [r for r in rows if not crosses(r, gutter) and not centred(r, rows)]
    mid = (gutter[0] + gutter[1]) / 2
    left = sum(1 for r in whole if any(f.x1 <= mid for f in r))
    right = sum(1 for r in whole if any(f.x0 >= mid for f in r))
    clean = all(f.x1 <= gutter[0] or f.x0 >= gutter[1] or f.x0 < gutter[0] and f.x1 > gutter[1]
                for r in rows for f in r)
    # a gutter no text ends or starts in may have a short column beside it (a picture with its
    # caption; a column the producer did not balance, under a folio centred over the page)
    need = COLUMN_MIN_ROWS if clean else max(COLUMN_MIN_ROWS, COLUMN_MIN_SHARE * len(whole))
    return left >= need and right >= need

def centred(row: list[Fragment], rows: list[list[Fragment]]) -> bool:
    """Is the row one piece centred over the whole text (a title, a masthead's number line), which
    tells nothing of columns: on a page of few lines (a photo above the masthead) short last lines
    end left of the middle and such titles begin right of it, a valley between them but no gutter."""
    if len(row) != 1:
        return False
    lo, hi = min(f.x0 for r in rows for f in r), max(f.x1 for r in rows for f in r)
    f = row[0]
    return abs((f.x0 + f.x1) - (lo + hi)) / 2 <= CENTRED * f.size


def fit_gutters(rows: list[list[Fragment]], gutters: list[Gutter]) -> list[Gutter] | None:
    """The page before's gutters narrowed to what this page leaves free (its lines may end a little
    further right); None where one is filled."""
    out = []
    for g0, g1 in gutters:
        taken = sorted((max(f.x0, g0), min(f.x1, g1)) for r in rows for f in r
                       if f.x0 < g1 and f.x1 > g0 and not (f.x0 < g0 and f.x1 > g1))
        free, at = [], g0
        for a, b in taken:
            if a > at:
                free.append((at, a))
            at = max(at, b)
        if at < g1:
            free.append((at, g1))
        widest = max(free, key=lambda ab: ab[1] - ab[0], default=None)
        if widest is None or widest[1] - widest[0] < 1.0:
            return None
        out.append(widest)
    return out

def gutters_fit(rows: list[list[Fragment]], gutters: list[Gutter], found: list[Gutter]) -> bool:
    """Do the gutters of the page before fit this page (a short last page, columns balanced; a
    column holding a single line)? Text may cross a gutter (a title over the columns) but not end
    or start inside one, each has text beside it on both sides — or on its left only, reaching
    its edge (`left_column_only`: a section set in the first column alone, above a full-width
    版记) — and the gutters this page shows by itself are among them."""
    if not gutters or any(f.x0 < g1 and f.x1 > g0 and not (f.x0 < g0 and f.x1 > g1)
                          for r in rows for f in r for g0, g1 in gutters):
        return False  # this page is set differently
    if not all(any(a < g1 and b > g0 for g0, g1 in gutters) for a, b in found):
        return False
    for g in gutters:
        mid = (g[0] + g[1]) / 2
        whole = [r for r in rows if not crosses(r, g)]
        if not (any(f.x1 <= mid for r in whole for f in r)
                and (any(f.x0 >= mid for r in whole for f in r) or left_column_only(whole, g))):
            return False
    return True


def left_column_only(whole: list[list[Fragment]], gutter: Gutter) -> bool:
    """Does all the text that crosses no gutter lie left of `gutter`, lines reaching its left
    edge (within the gutter's width)? Then the columns right of it are empty on this page (the
    last page of an issue: a short section in the first column, the 版记 full width under it);
    a page set narrower than the column by chance does not reach its edge. A piece over the
    gutter (a centred folio) is in no column."""
    g0, g1 = gutter
    frags = [f for r in whole for f in r if not (f.x0 < g0 and f.x1 > g1)]
    return bool(frags) and all(f.x1 <= g0 for f in frags) and max(f.x1 for f in frags) >= g0 - (g1 - g0)


def overhang_gutter(rows: list[list[Fragment]], edge: float, size: float) -> list[Gutter]:
    """A gutter right of the text's right edge `edge` (where the lines end) when a row's line ends
    at that edge and the same row goes on with a piece lying wholly beyond it: a next column of a
    line or two (a column the producer did not balance) — no single-column page has text beyond
    the edge its lines end at. [] when there is none, or text starts or ends inside the gap."""
    beyond = [f for r in rows for f in r if f.x0 > edge + OVERHANG_GAP * size
              and any(abs(o.x1 - edge) <= HANG * size for o in r if o is not f)]
    if not beyond or len(rows) < GUTTER_MIN_ROWS:
        return []
    gutter = (edge + HANG * size, min(f.x0 for f in beyond))
    clean = all(f.x1 <= gutter[0] or f.x0 >= gutter[1] or f.x0 < gutter[0] and f.x1 > gutter[1]
                for r in rows for f in r)
    return [gutter] if clean and gutter[0] < gutter[1] else []
