"""Stage 2, second half: a page's rows → lines in reading order, column by column.

The columns come from the page's gutters (gutters.py: any number, from geometry alone); tables
from stage 1's grids come into the flow as one piece each (tables.py). Rows are found again
column by column, then rows that cannot belong to one column split the page into bands, read top to bottom: a row that
crosses a gutter (the masthead, a title centred over the page), a row that does not sit in its
column as column text does (a date set at the right), and a title-like row standing alone across
the page (a section title between columns: nothing beside it, type larger than the body's or a
wide gap above). Inside a band the columns are read left to right, each top to bottom.
Nothing here knows about the newsletter: it is page geometry only."""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Line
from .gutters import Gutter, crosses, find_gutters, fit_gutters, gutters_fit, overhang_gutter
from .layout import Fragment, dominant_size, group_rows, make_fragment, split_fragments, to_line
from .pdf import Page
from .regions import Region, find_regions, same_gutters
from .tables import TABLE_FONT, take_tables

# How a fragment sits in a column (in body sizes): from its left edge, indented at most INDENT_MAX,
# or centred within CENTRE_TOLERANCE; it may overhang the left edge by LEFT_SLACK and the right by RIGHT_SLACK.
LEFT_SLACK, RIGHT_SLACK, INDENT_MAX, CENTRE_TOLERANCE = 1.0, 1.5, 4.5, 1.5
SHORT_PAGE_LINES = 10  # a page of fewer lines shows no right edge of its own (carry_edges)
RIGHT_EDGE_RANK = 0.8  # a column's right edge: where this share of its lines end (ragged lines end before it)
LEFT_EDGE_RANK = 0.1  # its left edge: the leftmost start shared by a tenth of its lines...
LEFT_CLUSTER = 0.5  # ...within this many sizes
# A row standing alone across the page (nothing within ALONE_MARGIN of its sizes above or below it
# in the other columns) splits the columns when it looks like a title: type TITLE_RATIO larger
# than the body's, or a gap of WIDE_GAP sizes under the lowest text of the band above it.
ALONE_MARGIN, TITLE_RATIO, WIDE_GAP = 0.5, 1.1, 1.5
PAGE_CENTRE_AWAY = 4.0  # sizes: a row centred in its column this far from the page's middle heads that column
HEADING_FREE = 2.0  # ...if it leaves this much of the column free on each side
START_TOLERANCE = 0.5  # sizes: a glyph this close to a column's left edge starts that column's line
STEP_PT = 1.0  # ...after a space this much wider than the line's usual space between glyphs
FOLIO_CHARS = 8  # a piece of this many glyphs at most over a whole gutter is a folio, no column's text
OPENING_MARKS = "“‘「『（《〈【〔"
REGION_MIN_ROWS = 3  # rows: columns on part of a page of one column show over this many rows at least
GUTTER_GAP = 0.5  # a fragment is cut at a gap of this many body sizes inside a gutter (hanging punctuation
# narrows the gap between two columns' lines below the fragment gap)


@dataclass
class ColumnBox:
    left: float
    right: float
    size: float

    @property
    def center(self) -> float:
        return (self.left + self.right) / 2

    def fits(self, f: Fragment) -> bool:
        """Does the fragment sit in this column as a column's text does: from its left edge
        (indented at most a few characters), or centred in it?"""
        if f.x0 < self.left - LEFT_SLACK * self.size or f.x1 > self.right + RIGHT_SLACK * self.size:
            return False
        return (f.x0 <= self.left + INDENT_MAX * self.size
                or abs(f.center - self.center) <= CENTRE_TOLERANCE * self.size)


def column_box(frags: list[Fragment], body_size: float) -> ColumnBox:
    """A column's edges from its lines: on the left, the leftmost start that enough lines share (within
    LEFT_CLUSTER sizes: OCR'd lines start a point or two apart; one stray start does not count; lines
    opening with a quote or bracket do not count where others are there); on
    the right, where RIGHT_EDGE_RANK of the lines end (ragged lines end before it)."""
    lefts = sorted(f.x0 for f in [f for f in frags if not opens_with_mark(f)] or frags)
    rights = sorted(f.x1 for f in frags)
    if not lefts:
        return ColumnBox(0.0, 0.0, body_size)
    need = max(2, LEFT_EDGE_RANK * len(lefts)) if len(lefts) > 2 else 1
    left = lefts[0]
    for i, x in enumerate(lefts):
        if sum(1 for y in lefts[i:] if y - x <= LEFT_CLUSTER * body_size) >= need:
            left = x
            break
    right = rights[int(len(rights) * RIGHT_EDGE_RANK)]
    return ColumnBox(left, right, body_size)


def opens_with_mark(f: Fragment) -> bool:
    """Does the fragment open with an opening quote or bracket? A full-width one may hang half an
    em into the margin (Typst and others trim its blank left half): no start for a column's edge."""
    glyphs = [c for c in f.chars if c.text.strip()]
    return bool(glyphs) and min(glyphs, key=lambda c: c.x0).text in OPENING_MARKS


def split_at_gutters(row: list[Fragment], gutters: list[Gutter], size: float) -> list[Fragment]:
    """The row's fragments, each cut where a gap between its glyphs lies in a gutter."""
    out = []
    for f in row:
        if not any(crosses([f], g) for g in gutters):
            out.append(f)
            continue
        part, end = [], None  # the glyphs of the piece being made, and where its last visible one ends
        for c in sorted(f.chars, key=lambda c: c.x0):
            if c.text.strip() and end is not None and c.x0 - end >= GUTTER_GAP * size \
                    and any(end < g1 and c.x0 > g0 for g0, g1 in gutters):
                out.append(make_fragment(part))
                part = []
            part.append(c)
            if c.text.strip():
                end = c.x1
        out.append(make_fragment(part))
    return out


def split_at_column_starts(row: list[Fragment], gutters: list[Gutter], columns: list[ColumnBox]) -> list[Fragment]:
    """A fragment over a gutter with no gap wide enough to cut it at (a full-width mark hanging
    into the gutter, a line overset into it) is cut where a glyph starts the next column — right
    after the gutter or at the next column's left edge — if what lies left of it ends at its
    column's right edge, and the space before that glyph is wider than the line's own spacing
    (a line running over the columns has no such step)."""
    out = []
    for f in row:
        k = next((k for k, g in enumerate(gutters) if crosses([f], g)), None)
        if k is None:
            out.append(f)
            continue
        starts = (gutters[k][1], columns[k + 1].left)
        glyphs = sorted((c for c in f.chars if c.text.strip()), key=lambda c: c.x0)
        gaps = [b.x0 - a.x1 for a, b in zip(glyphs, glyphs[1:])]
        spacing = sorted(gaps)[len(gaps) // 2] if gaps else 0.0
        at = next((i for i, c in enumerate(glyphs) if i
                   and any(abs(c.x0 - x) <= START_TOLERANCE * f.size for x in starts)
                   and gaps[i - 1] > spacing + STEP_PT
                   and abs(max(g.x1 for g in glyphs[:i]) - columns[k].right) <= RIGHT_SLACK * f.size), None)
        if at is None:
            out.append(f)
        else:
            out += [make_fragment(glyphs[:at]), make_fragment(glyphs[at:])]
    return out


def regroup_in_columns(rows: list[list[Fragment]], cut: list[list[Fragment]], fit: list[bool],
                       gutters: list[Gutter]) -> list[list[Fragment]]:
    """The rows again, found column by column: lines of neighbouring columns set on baselines a
    little apart (a scan, a producer that does not align columns) were grouped across the page
    into one row, and a line OCR cut in two may have landed in two rows. A row over a gutter stays
    as it is, and so does a row whose pieces are no column text unless a piece joins another
    row's line (a letter-spaced title cut at a gutter, a publisher and a date set apart)."""
    origin: dict[int, int] = {}
    by_column: dict[int, list] = {}
    for n, (pieces, ok) in enumerate(zip(cut, fit)):
        if any(crosses(pieces, g) for g in gutters):
            continue
        for f in pieces:
            for c in f.chars:
                origin[id(c)] = n
            by_column.setdefault(column_of(f, gutters), []).extend(f.chars)
    regrouped = [r for chars in by_column.values() for r in group_rows(chars)]
    joined = {n for r in regrouped if len({origin[id(c)] for c in r}) > 1 for n in {origin[id(c)] for c in r}}
    kept = {n for n in range(len(rows)) if n not in origin.values() or not fit[n] and n not in joined}
    out = [rows[n] for n in sorted(kept)]
    out += [frags for r in regrouped if origin[id(r[0])] not in kept for frags in [split_fragments(r)] if frags]
    return sorted(out, key=lambda r: (min(f.top for f in r) + max(f.bottom for f in r)) / 2)


def column_of(f: Fragment, gutters: list[Gutter]) -> int:
    """0 for the leftmost column, 1 for the next... by the fragment's centre."""
    return sum(1 for g0, g1 in gutters if f.center >= (g0 + g1) / 2)


def carry_edges(lines: list[Line], before: list[Line]) -> None:
    """A page of one column with too few lines to show its text's right edge (the end of an issue:
    a paragraph of two ragged lines and the 版记) takes the edge of the page before, where its own
    lines end short of it and none runs past it."""
    ends = sorted(ln.box.x1 for ln in before if ln.column == 0)
    if not lines or len(ends) < 2 * SHORT_PAGE_LINES or any(ln.column for ln in lines + before) \
            or len(lines) >= SHORT_PAGE_LINES:
        return
    edge = ends[int(len(ends) * RIGHT_EDGE_RANK)]
    for ln in lines:
        if ln.right < edge and ln.box.x1 <= edge + RIGHT_SLACK * ln.size:
            ln.right = edge


def page_lines(page: Page) -> list[Line]:
    """All lines of a page in reading order."""
    return layout_page(page)[0]


def layout_page(page: Page, hint: list[Gutter] | None = None) -> tuple[list[Line], list[Gutter]]:
    """All lines of a page in reading order, and the column gutters found ([]: one column).
    `hint` is the previous page's gutters, tried where this page has too few lines to show its own."""
    if not any(c.text.strip() for c in page.chars):
        return [], []
    size = dominant_size(page.chars)
    chars, tables = take_tables(page.chars, page.tables, size, page.rules)
    rows = [r for r in (split_fragments(r) for r in group_rows(chars)) if r]
    for table in tables:  # a table is a row of its own, at its place
        at = next((i for i, r in enumerate(rows) if min(f.top for f in r) > table.top), len(rows))
        rows.insert(at, [table])
    size = dominant_size([c for r in rows for f in r for c in f.chars if c.fontname != TABLE_FONT]) or size
    left, right = min(f.x0 for r in rows for f in r), max(f.x1 for r in rows for f in r)
    # the body's type: titles, a masthead may reach past the text's right edge (a page of short columns)
    body = [kept for r in rows for kept in [[f for f in r if f.size < TITLE_RATIO * size]] if kept] or rows
    full = column_box([f for r in rows for f in r], size)
    full = ColumnBox(full.left, max(column_box([f for r in body for f in r], size).right, 0), size)
    gutters = find_gutters(rows, left, right, size)
    # titles over the columns fill the valley between columns that are short (not balanced: a
    # section's text fills one column before the next), and a title centred over four columns lies
    # on the middle gutter: the body's type may show more gutters, among them those found
    more = find_gutters(body, left, right, size)
    if len(more) > len(gutters) and all(any(a < g1 and b > g0 for g0, g1 in more) for a, b in gutters):
        gutters = more
    if not gutters:  # a next column holding a line or two beside the first's last lines
        gutters = overhang_gutter(body, full.right, size)
    if hint and len(hint) > len(gutters):
        fitted = fit_gutters(rows, hint)
        if fitted and gutters_fit(rows, fitted, gutters):
            gutters = fitted
    regions = find_regions(rows, left, right, size)
    if several_regions(regions, gutters, size):
        lines: list[Line] = []
        for region in regions:
            lines += read_region(page, rows[region.first:region.last + 1], region.gutters, full, size)
        return lines, next((r.gutters for r in reversed(regions) if r.gutters), [])
    return read_region(page, rows, gutters, full, size), gutters


def several_regions(regions: list[Region], gutters: list[Gutter], size: float) -> bool:
    """Is the page set in regions of different columns (gutters that start and stop, not those
    of the whole page)?"""
    if not gutters:  # columns in part of the page only, over a few rows at least
        return any(r.gutters and r.last - r.first + 1 >= REGION_MIN_ROWS for r in regions)
    return any(r.gutters and apart(r.gutters, gutters, size) and apart(gutters, r.gutters, size) for r in regions)


def apart(a: list[Gutter], b: list[Gutter], size: float) -> bool:
    """Has `a` a gutter that `b` lacks? (Regions whose gutters are some of the page's are its
    columns starting late or ending early, not columns of their own.)"""
    return any(not any(same_gutters([g], [h], size) for h in b) for g in a)


def read_region(page: Page, rows: list[list[Fragment]], gutters: list[Gutter], full: ColumnBox,
                size: float) -> list[Line]:
    """The lines of rows set in the columns the gutters part (full width without gutters)."""
    if not gutters:
        return [to_line(page.number, r, full.left, full.right) for r in rows]
    cut = [split_at_gutters(r, gutters, size) for r in rows]
    first = column_boxes(cut, gutters, size)
    cut = [split_at_column_starts(r, gutters, first) for r in cut]
    columns = column_boxes(cut, gutters, size)  # again: lines so freed show the columns' edges
    rows = regroup_in_columns(rows, cut, [pieces_fit(c, columns, gutters) for c in cut], gutters)
    return Reader(page.number, rows, gutters, full, size, columns, page.images, page.width).lines()


def column_boxes(rows: list[list[Fragment]], gutters: list[Gutter], size: float) -> list[ColumnBox]:
    """Each column's edges, from the rows that lie wholly in columns, in the body's type where the
    column has any (titles centred over the page may lie wholly in a middle column that holds
    only a few lines of text), and not from a folio set over a gutter (beside a short column)."""
    whole = [r for r in rows if not any(crosses(r, g) for g in gutters)]
    columns = []
    for k in range(len(gutters) + 1):
        frags = [f for r in whole for f in r if column_of(f, gutters) == k]
        inside = [f for f in frags if not (sum(1 for c in f.chars if c.text.strip()) <= FOLIO_CHARS
                                           and any(f.x0 < g0 and f.x1 > g1 for g0, g1 in gutters))]
        frags = inside or frags
        box = column_box([f for f in frags if f.size < TITLE_RATIO * size] or frags, size)
        if k < len(gutters):
            box.right = min(box.right, gutters[k][0])
        columns.append(box)
    return columns


def column_parts(row: list[Fragment], gutters: list[Gutter]) -> dict[int, Fragment]:
    """The row's text in each column, as one fragment a column (a loosely justified line is
    several fragments)."""
    by_column: dict[int, list[Fragment]] = {}
    for f in row:
        by_column.setdefault(column_of(f, gutters), []).append(f)
    return {k: make_fragment([c for f in frags for c in f.chars]) for k, frags in by_column.items()}


def fits_column(k: int, f: Fragment, columns: list[ColumnBox], gutters: list[Gutter]) -> bool:
    """Does the fragment sit in column k as its text does? In the last column a line may run
    on past the column's edge (a producer may overset a line): nothing is there to meet."""
    col = columns[k]
    if k < len(gutters):
        return col.fits(f)
    return ColumnBox(col.left, max(col.right, f.x1), col.size).fits(f)


def pieces_fit(row: list[Fragment], columns: list[ColumnBox], gutters: list[Gutter]) -> bool:
    return not any(crosses(row, g) for g in gutters) and \
        all(fits_column(k, f, columns, gutters) for k, f in column_parts(row, gutters).items())


class Reader:
    """Reads the rows of a page with columns: bands top to bottom, columns left to right."""

    def __init__(self, page: int, rows: list[list[Fragment]], gutters: list[Gutter], full: ColumnBox, size: float,
                 columns: list[ColumnBox], images: list | None = None, width: float = 0.0):
        self.page, self.rows, self.gutters, self.full, self.size = page, rows, gutters, full, size
        self.columns, self.images = columns, images or []
        # the middle of the page (of its text where the page's width is not known: the text may
        # not reach the last column, on a page of columns that were not balanced)
        self.middle = width / 2 if width > 0 else (min(f.x0 for r in rows for f in r)
                                                   + max(f.x1 for r in rows for f in r)) / 2

    def lines(self) -> list[Line]:
        out: list[Line] = []
        band: list[list[Fragment]] = []
        for i, row in enumerate(self.rows):
            if self.splits(i, band):
                out.extend(self.read_band(band))
                band = []
                out.append(to_line(self.page, row, self.full.left, self.full.right))
            else:
                band.append(row)
        out.extend(self.read_band(band))
        return out

    def read_band(self, band: list[list[Fragment]]) -> list[Line]:
        out = []
        for k, col in enumerate(self.columns):
            for row in band:
                frags = [f for f in row if column_of(f, self.gutters) == k]
                if frags:
                    out.append(to_line(self.page, frags, col.left, col.right, k + 1))
        return out

    def splits(self, i: int, band: list[list[Fragment]]) -> bool:
        """Does row i end the band of columns above it (it cannot be read as part of one column)?"""
        row = self.rows[i]
        if any(crosses(row, g) for g in self.gutters):
            return True
        if not pieces_fit(row, self.columns, self.gutters):
            return True
        return self.stands_alone(i) and self.title_like(i, band) and not self.column_heading(i)

    def column_heading(self, i: int) -> bool:
        """A heading centred in its own column, away from the middle of the page: a column's heading
        with nothing beside it (the columns were not balanced: the next column is short or empty
        there), not a title over the columns."""
        row = self.rows[i]
        x0, x1 = min(f.x0 for f in row), max(f.x1 for f in row)
        col = self.columns[column_of(row[0], self.gutters)]
        centre = (x0 + x1) / 2
        free = min(x0 - col.left, col.right - x1)
        return (free >= HEADING_FREE * self.size and abs(centre - col.center) <= CENTRE_TOLERANCE * self.size
                and abs(centre - self.middle) > PAGE_CENTRE_AWAY * self.size)

    def stands_alone(self, i: int) -> bool:
        """Nothing beside the row: it lies in one column, and no text of another row is within a
        margin above or below it."""
        row = self.rows[i]
        if len({column_of(f, self.gutters) for f in row}) > 1:
            return False
        top, bottom = min(f.top for f in row), max(f.bottom for f in row)
        margin = ALONE_MARGIN * self.size
        for j in range(max(0, i - 3), min(len(self.rows), i + 4)):
            if j != i and any(f.bottom > top - margin and f.top < bottom + margin for f in self.rows[j]):
                return False
        return True

    def title_like(self, i: int, band: list[list[Fragment]]) -> bool:
        """A title between bands: type larger than the body's, or set well below all the text of the
        band of columns above it (a footer under short columns)."""
        row = self.rows[i]
        if max(f.size for f in row) >= TITLE_RATIO * self.size:
            return True
        above = [f.bottom for r in band for f in r]
        if len({column_of(f, self.gutters) for r in band for f in r}) < 2:
            return False  # no columns above it to end (a page's first lines under its running head)
        top = min(f.top for f in row)
        lowest = max(above + [im[3] for im in self.images if min(f.top for r in band for f in r) < im[3] <= top])
        return top - lowest >= WIDE_GAP * self.size  # (a picture above the row counts as the band's too)
