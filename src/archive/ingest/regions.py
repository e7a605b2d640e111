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

from dataclasses import dataclass, field

from .gutters import COLUMN_MIN_ROWS, GUTTER_SEARCH, HANG, MIN_COLUMN, Gutter
from .layout import FRAGMENT_GAP, Fragment

STRIP_MIN_WIDTH = 0.8  # body sizes: the narrowest gutter
STRIP_GAP = 0.5  # body sizes: glyphs closer than this are one piece of a row (a wider gap may be a gutter)
EVEN_COLUMNS = 0.75  # a region's narrowest column is at least this share of its widest
EDGE_MATCH = 0.25  # body sizes: a justified line ends this close to its column's edge
FULL_LINE = 0.75  # a line filling a column spans at least this share of its width (columns of one width
GUTTER_MAX = 4.0  # with gutters of at most this many body sizes between them, whatever blank the strips found)
STRIP_MATCH = 1.0  # body sizes: two regions' gutters this close are the same gutters


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


@dataclass
class Region:
    first: int  # rows first..last of the page
    last: int
    gutters: list[Gutter]
    shared: bool = False  # read in the page's gutters (its own are among them)


Span = tuple[float, float, float, float]  # x0, x1, top, bottom of a piece of a row
Covered = tuple[float, float, float, int]  # x0, x1, top of a piece covering a slice, and its row
SPACED = 0.5  # a gutter is more than twice as wide as a gap between the pieces of text beside it


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
    for new in strips:  # the tail of a strip closed just above the one opening, left free there too
        for old in strips:
            if old.solid < old.bottom and old.solid - size <= new.top <= old.bottom + size and new.x0 > old.x1:
                old.bottom = old.solid
                new.top = min(new.top, old.solid)
    mids = [(min(f.top for f in r) + max(f.bottom for f in r)) / 2 for r in rows]
    spans = [pieces(r, size) for r in rows]
    for s in strips:
        note_beside(s, spans, mids)
    found = [s for s in strips if min(len(s.left), len(s.right), lines_apart(s.both, spans)) >= COLUMN_MIN_ROWS
             and sum(1 for m in mids if s.top <= m <= s.bottom) >= COLUMN_MIN_ROWS]
    found = [s for s in found if not word_space(s, found, spans, mids)]
    kept: list[Strip] = []  # the best shown first: a strip leaving a narrow column beside one kept goes
    for s in sorted(found, key=lambda s: -len(s.left | s.right)):
        if wide_beside(s, kept, left, right, size):
            kept.append(s)
    return sorted(kept, key=lambda s: s.x0)


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


def word_space(s: Strip, strips: list[Strip], spans: list[list[Span]], mids: list[float]) -> bool:
    """Is the strip a gap running down a few lines of loosely spaced Latin? There it is one of its
    lines' word spaces, all about as wide: most rows with text on both sides of it have another
    gap half as wide or more in the same column (between the strips on either side)."""
    spaced = clean = 0
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
        gap = right[0][0] - left[-1][1]
        others = [b[0] - a[1] for a, b in zip(near, near[1:]) if not (a[1] <= s.x0 and b[0] >= s.x1)]
        if any(g >= SPACED * gap for g in others):
            spaced += 1
        else:
            clean += 1
    return spaced >= clean > 0 or spaced > clean


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


def find_regions(rows: list[list[Fragment]], left: float, right: float, size: float,
                 page: list[Gutter] = ()) -> list[Region]:
    """The page's rows as regions top to bottom: runs of rows under the same strips, the strips
    of a run kept where they part it into columns of one width that its lines fill. A run whose
    strips are all among the page's gutters `page` (none: a full-width row; or some: columns that
    start late or end early) is read in the page's gutters, together with the runs next to it
    that are so too: a page whose gutters hold all the way down is one region."""
    strips = find_strips(rows, left, right, size)
    mids = [(min(f.top for f in r) + max(f.bottom for f in r)) / 2 for r in rows]
    of = [even_columns(sorted((s.x0, s.x1) for s in strips if s.top <= mid <= s.bottom), left, right)
          for mid in mids]
    for run in runs_of(of, size):
        if not filled(rows[run.first:run.last + 1], run.gutters, left, right, size):
            of[run.first:run.last + 1] = [[]] * (run.last - run.first + 1)
    narrow_blocks(rows, of, [g for g in of if not among(g, page, size)], size)
    out: list[Region] = []
    for run in runs_of(of, size):
        shared = among(run.gutters, page, size)
        gutters = list(page) if shared else run.gutters
        if out and (out[-1].shared and shared or not out[-1].shared and not shared
                    and same_gutters(out[-1].gutters, gutters, size)):
            out[-1].last = run.last
        else:
            out.append(Region(run.first, run.last, gutters, shared))
    return out


def runs_of(of: list[list[Gutter]], size: float) -> list[Region]:
    """Runs of rows under the same gutters."""
    runs: list[Region] = []
    for i, gutters in enumerate(of):
        if runs and same_gutters(runs[-1].gutters, gutters, size):
            runs[-1].last = i
        else:
            runs.append(Region(i, i, gutters))
    return runs


def among(gutters: list[Gutter], page: list[Gutter], size: float) -> bool:
    """Are the gutters all among the page's?"""
    return all(any(same_gutters([g], [h], size) for h in page) for g in gutters)


def narrow_blocks(rows: list[list[Fragment]], of: list[list[Gutter]], layouts: list[list[Gutter]],
                  size: float) -> None:
    """Rows under no gutters that hold a line ending right at the edge of a column the page's
    regions show elsewhere (where a justified line of that column ends), and the rows next to
    them that lie in that column too, are set in that column: a column region whose text all
    went into its first column (a short paragraph the producer would not split). `layouts`: the
    gutters of the page's regions in columns of their own."""
    for i, row in enumerate(rows):
        if of[i]:
            continue
        end = max(f.x1 for f in row)
        for gutters in layouts:
            k = next((k for k, (g0, _) in enumerate(gutters) if abs(end - g0) <= EDGE_MATCH * size), None)
            if k is None or not in_column(row, gutters, k, size):
                continue
            j = i
            while j > 0 and not of[j - 1] and in_column(rows[j - 1], gutters, k, size):
                j -= 1
            n = i
            while n + 1 < len(rows) and not of[n + 1] and in_column(rows[n + 1], gutters, k, size):
                n += 1
            of[j:n + 1] = [gutters] * (n + 1 - j)
            break


def in_column(row: list[Fragment], gutters: list[Gutter], k: int, size: float) -> bool:
    """Does the row lie in column k of those the gutters part?"""
    lo = gutters[k - 1][1] - HANG * size if k else -float("inf")
    hi = gutters[k][0] + HANG * size if k < len(gutters) else float("inf")
    return all(lo <= f.x0 and f.x1 <= hi for f in row)


def filled(rows: list[list[Fragment]], gutters: list[Gutter], left: float, right: float, size: float) -> bool:
    """Has each gutter a column beside it that a line of text fills, most of its width, without
    a gap of a size? (Holes in lines whose other glyphs the producer drew elsewhere leave gaps
    that run down a few rows; the lines beside them are short pieces. A column of a region may
    hold a short line only: the end of a paragraph.)"""
    if not gutters:
        return True
    starts = [left] + [g1 for _, g1 in gutters]
    ends = [g0 for g0, _ in gutters] + [right]
    width = (right - left - sum(min(g1 - g0, GUTTER_MAX * size) for g0, g1 in gutters)) / len(starts)
    full = [longest_run(rows, a, b, size) >= FULL_LINE * width for a, b in zip(starts, ends)]
    return all(a or b for a, b in zip(full, full[1:]))


def longest_run(rows: list[list[Fragment]], a: float, b: float, size: float) -> float:
    """The longest run of glyphs in a row between a and b, without a gap of a size."""
    longest = 0.0
    for row in rows:
        glyphs = sorted((c for f in row for c in f.chars if c.text.strip() and a <= c.x0 and c.x1 <= b),
                        key=lambda c: c.x0)
        start = None
        for prev, c in zip([None] + glyphs, glyphs):
            if prev is None or c.x0 - prev.x1 >= FRAGMENT_GAP * size:
                start = c.x0
            longest = max(longest, c.x1 - start)
    return longest


def even_columns(gutters: list[Gutter], left: float, right: float) -> list[Gutter]:
    """The gutters less those that part columns of uneven widths: a region set in columns of its
    own has columns of one width (a gap down a few lines of loosely spaced Latin inside one column
    is no gutter). A column's width is taken from where it starts to where the next starts (a
    column's lines start at its edge; they may end short of it)."""
    gutters = list(gutters)
    while gutters and not evenness(gutters, left, right) >= EVEN_COLUMNS:
        drop = max(range(len(gutters)), key=lambda k: evenness(gutters[:k] + gutters[k + 1:], left, right))
        del gutters[drop]
    return gutters


def evenness(gutters: list[Gutter], left: float, right: float) -> float:
    """The narrowest column's width over the widest's (1.0: no gutters)."""
    if not gutters:
        return 1.0
    gap = min(g1 - g0 for g0, g1 in gutters)
    starts = [left] + [g1 for _, g1 in gutters] + [right + gap]
    widths = [b - a for a, b in zip(starts, starts[1:])]
    return min(widths) / max(widths)


def same_gutters(a: list[Gutter], b: list[Gutter], size: float) -> bool:
    return len(a) == len(b) and all(abs((p0 + p1) - (q0 + q1)) / 2 <= STRIP_MATCH * size + (p1 - p0 + q1 - q0) / 2
                                    for (p0, p1), (q0, q1) in zip(a, b))
