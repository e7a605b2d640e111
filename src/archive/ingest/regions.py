"""Stage 2, regions: a page set in several column regions (newspaper style: a full-width headline
and lead, two columns under it, a full-width item, three columns…) → its regions, top to bottom,
each with its own gutters ([] for a full-width region).

A gutter here is a strip of blank running down a range of rows (strips.py). Rows under the same
strips form a region, its strips kept where they part it into columns of one width that its
lines fill. A region whose gutters are among the page's (gutters.py) is read in those; a row
under none that shows the columns of a region the page has elsewhere goes into them.
Nothing here knows about the newsletter: it is page geometry only."""
from __future__ import annotations

from dataclasses import dataclass, field

from .gutters import HANG, MIN_COLUMN, Gutter, crosses
from .layout import FRAGMENT_GAP, Fragment
from .strips import STRIP_MIN_WIDTH, find_strips

EVEN_COLUMNS = 0.75  # a region's narrowest column is at least this share of its widest
BODY_RATIO = 1.1  # type this much larger than the body's is a title's
INDENT = 4.0  # body sizes: the deepest indent of a paragraph's first line
INDENTED = 0.8  # body sizes: a line starting this far in from its column's edge opens a paragraph
EDGE_MATCH = 0.25  # body sizes: a justified line ends this close to its column's edge
FULL_LINE = 0.75  # a line filling a column spans at least this share of its width (columns of one width
GUTTER_MAX = 4.0  # with gutters of at most this many body sizes between them, whatever blank the strips found)
STRIP_MATCH = 1.0  # body sizes: two regions' gutters this close are the same gutters


@dataclass
class Region:
    first: int  # rows first..last of the page
    last: int
    gutters: list[Gutter]
    shared: bool = False  # read in the page's gutters (its own are among them)


def find_regions(rows: list[list[Fragment]], left: float, right: float, size: float,
                 page: list[Gutter] = (), before: list[Layout] = ()) -> tuple[list[Region], list[Layout]]:
    """The page's rows as regions top to bottom: runs of rows under the same strips, the strips
    of a run kept where they part its text into columns of one width that its lines fill. A run whose
    strips are all among the page's gutters `page` (none: a full-width row; or some: columns that
    start late or end early) is read in the page's gutters, together with the runs next to it
    that are so too: a page whose gutters hold all the way down is one region. Rows under none
    go into a layout this page's regions in columns of their own, or the page before's (`before`),
    show (place_rows). Also returns this page's layouts."""
    strips = find_strips(rows, left, right, size)
    mids = [(min(f.top for f in r) + max(f.bottom for f in r)) / 2 for r in rows]
    of = [sorted((s.x0, s.x1) for s in strips if s.top <= mid <= s.bottom) for mid in mids]
    for run in runs_of(of, size):  # (the run's text may not reach the page's edge: a last column left empty
        # or holding a short line)
        part = rows[run.first:run.last + 1]
        a, b = min(f.x0 for r in part for f in r), max(f.x1 for r in part for f in r)
        more = more_columns(part, run.gutters, a, b, size)
        gutters = max(even_columns(more, a, b), even_columns(more, a, right), key=len)
        gutters = gutters if filled(part, gutters, a, b, size) else []
        of[run.first:run.last + 1] = [gutters] * len(part)
    runs = [r for r in runs_of(of, size) if r.gutters]
    layouts = layouts_of(rows, [r for r in runs if not among(r.gutters, page, size)], size)
    shared = [Region(r.first, r.last, list(page)) for r in runs if among(r.gutters, page, size)]
    place_rows(rows, of, layouts + layouts_of(rows, shared[:1], size, shared) + list(before), left, size)
    if runs or before:  # a page set in columns
        justified_blocks(rows, of, left, right, size)
    out: list[Region] = []
    for run in runs_of(of, size):
        shared = among(run.gutters, page, size)
        gutters = list(page) if shared else run.gutters
        if out and (out[-1].shared and shared or not out[-1].shared and not shared
                    and same_gutters(out[-1].gutters, gutters, size)):
            out[-1].last = run.last
        else:
            out.append(Region(run.first, run.last, gutters, shared))
    return out, layouts


def more_columns(rows: list[list[Fragment]], gutters: list[Gutter], left: float, right: float,
                 size: float) -> list[Gutter]:
    """The gutters, and those further right at the columns' pitch that a row shows: a line ending
    right before it or one starting right after it, with nothing across it (a column holding a
    single line: the end of a paragraph balanced 2+2+1)."""
    if not gutters:
        return gutters
    gutters = list(gutters)
    pitch = (gutters[-1][1] - left) / len(gutters)
    near = EDGE_MATCH * size
    while gutters[-1][1] + pitch < right:
        g0, g1 = gutters[-1][0] + pitch, gutters[-1][1] + pitch
        if any(crosses(r, (g0, g1)) or any(g0 + HANG * size < f.x1 and f.x0 < g1 - HANG * size for f in r)
               for r in rows):
            break
        shown = False
        for r in rows:
            before = [f.x1 for f in r if f.x1 <= g0 + HANG * size]
            after = [f.x0 for f in r if f.x0 >= g1 - HANG * size]
            shown |= bool(before and after) and (abs(max(before) - g0) <= near or abs(min(after) - g1) <= near)
        if not shown:
            break
        gutters.append((g0, g1))
    return gutters


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


@dataclass
class Columns:
    """What a page's columns tell the next page's reader: the page's gutters ([] one column), and
    the layouts of its regions in columns of their own."""
    gutters: list[Gutter] = field(default_factory=list)
    layouts: list[Layout] = field(default_factory=list)

    def then(self, found: Columns) -> Columns:
        """The hint for the page after the one that `found` these (a page that shows none passes
        on the page before's)."""
        return Columns(found.gutters or self.gutters, found.layouts or self.layouts)


@dataclass
class Layout:
    """Columns a region of the page is set in: its gutters, where each column's justified lines
    end (all but the last column's), and where each column starts."""
    gutters: list[Gutter]
    edges: list[float]
    starts: list[float]


def layouts_of(rows: list[list[Fragment]], runs: list[Region], size: float,
               together: list[Region] | None = None) -> list[Layout]:
    """The layouts of the runs: each column's edge where most of its lines end (in all the runs
    `together`, for the page's own gutters)."""
    out = []
    for run in runs:
        edges = []
        part = [r for run_ in together or [run] for r in rows[run_.first:run_.last + 1]]
        for k, (g0, _) in enumerate(run.gutters):
            ends = [f.x1 for r in part for f in r if in_column([f], run.gutters, k, size)]
            edges.append(max(ends, key=lambda x: (sum(1 for y in ends if abs(x - y) <= EDGE_MATCH * size), x),
                             default=g0))
        first = min(f.x0 for r in part for f in r)
        out.append(Layout(run.gutters, edges, [first] + [g1 for _, g1 in run.gutters]))
    return out


def place_rows(rows: list[list[Fragment]], of: list[list[Gutter]], layouts: list[Layout], left: float,
               size: float) -> None:
    """Rows under no gutters that show the columns of a layout the page's regions have elsewhere
    are set in it: a row whose two pieces meet its gutter's edges (a column holding a line or
    two: a paragraph balanced 2+1) or open a paragraph each at their columns' starts, indented
    alike (a paragraph of a line in each column), or a row in a column ending right at its edge (a justified
    line: a column region whose text all went into its first column) — not the last line of a
    full-width paragraph above it. The rows next to them in the first column go with them. So
    is a region's tail (its last rows, in its first column only) from a paragraph's first line
    on: the next region's first column, its other columns left empty, under the strips' ends."""
    tails = tail_rows(rows, of, size)
    for i, row in enumerate(rows):
        if of[i] and i not in tails:
            continue
        above = rows[i - 1] if i else None
        layout = next((lay for lay in layouts if not same_gutters(lay.gutters, of[i], size)
                       and shows(row, above, lay, left, size)), None)
        if layout is None:
            continue
        j, n = i, i
        while j > 0 and not of[j - 1] and in_column(rows[j - 1], layout.gutters, 0, size):
            j -= 1
        while n + 1 < len(rows) and (not of[n + 1] or n + 1 in tails) \
                and in_column(rows[n + 1], layout.gutters, 0, size):
            n += 1
        of[j:n + 1] = [layout.gutters] * (n + 1 - j)


def tail_rows(rows: list[list[Fragment]], of: list[list[Gutter]], size: float) -> set[int]:
    """The rows ending each run of columns that lie in its first column only, from the first of
    them that opens a paragraph (indented from the column's edge)."""
    out: set[int] = set()
    for run in runs_of(of, size):
        if not run.gutters:
            continue
        edge = min(f.x0 for r in rows[run.first:run.last + 1] for f in r)
        i = run.last
        while i > run.first and in_column(rows[i], run.gutters, 0, size):
            i -= 1
        opening = [k for k in range(i + 1, run.last + 1) if min(f.x0 for f in rows[k]) - edge >= INDENTED * size]
        out.update(range(opening[0], run.last + 1) if opening else ())
    return out


def shows(row: list[Fragment], above: list[Fragment] | None, layout: Layout, left: float, size: float) -> bool:
    """Does the row show the layout's columns (see place_rows)?"""
    near = EDGE_MATCH * size
    if any(crosses(row, g) for g in layout.gutters):
        return False
    for k, ((g0, g1), edge) in enumerate(zip(layout.gutters, layout.edges)):
        before = [f for f in row if layout.starts[k] - HANG * size <= f.x0 and f.x1 <= g0 + HANG * size]
        after = [f for f in row if f.x0 >= g1 - HANG * size]
        if before and after:
            start, end, indent = min(f.x0 for f in before), max(f.x1 for f in before), min(f.x0 for f in after) - g1
            if abs(end - edge) <= near and abs(indent) <= near:  # a line running on into the next column
                return True
            if indent >= INDENTED * size and abs(start - layout.starts[k] - indent) <= near:
                return True  # two paragraphs, each opening its column, indented alike
        end = max(f.x1 for f in row)
        if in_column(row, layout.gutters, k, size) and abs(end - edge) <= near:
            last_line = above is not None and any(crosses(above, g) for g in layout.gutters) \
                and min(f.x0 for f in row) <= left + HANG * size  # (flush left: no paragraph's first line)
            return not last_line
    return False


def justified_blocks(rows: list[list[Fragment]], of: list[list[Gutter]], left: float, right: float,
                     size: float) -> None:
    """Rows under no gutters, two in a row ending at one x well short of the text's right edge,
    one of them in mid-sentence (justified lines of a column), and the rows next to them lying
    left of that edge, or with a line only well right of it (the next column's): a column region
    the page shows nowhere else, its text in its first column, or a line in its second."""
    ends = [max(f.x1 for f in r) for r in rows]
    for i in range(len(rows) - 1):
        edge = ends[i]
        pair = rows[i:i + 2]
        if of[i] or of[i + 1] or abs(ends[i + 1] - edge) > EDGE_MATCH * size \
                or edge > right - MIN_COLUMN * size or edge - left < MIN_COLUMN * size \
                or not any(mid_sentence(r) for r in pair) or any(f.size >= BODY_RATIO * size for r in pair for f in r) \
                or any(min(f.x0 for f in r) > left + INDENT * size for r in pair) \
                or min(f.top for f in pair[1]) - max(f.bottom for f in pair[0]) > size:
            continue  # (two lines of body text, one under the other, from the left edge)
        gutter = (max(ends[i], ends[i + 1]), float("inf"))

        def beside(k: int) -> bool:
            return not of[k] and in_column(rows[k], [gutter], 0, size) or \
                not of[k] and all(f.x1 <= gutter[0] + HANG * size or f.x0 >= gutter[0] + STRIP_MIN_WIDTH * size
                                  and f.size < BODY_RATIO * size for f in rows[k]) \
                and in_column(rows[k][:1], [gutter], 0, size)
        j, n = i, i + 1
        while j > 0 and beside(j - 1):
            j -= 1
        while n + 1 < len(rows) and beside(n + 1):
            n += 1
        starts = [f.x0 for r in rows[j:n + 1] for f in r if f.x0 > gutter[0] + HANG * size]
        gutter = (gutter[0], min(starts, default=gutter[0] + GUTTER_MAX * size))
        of[j:n + 1] = [[gutter]] * (n + 1 - j)


def mid_sentence(row: list[Fragment]) -> bool:
    """Does the row's text end in mid-sentence (a Chinese character, a comma)?"""
    text = "".join(c.text for f in sorted(row, key=lambda f: f.x0) for c in f.chars).strip()
    return bool(text) and (text[-1] in "，、" or "\u4e00" <= text[-1] <= "\u9fff")


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
