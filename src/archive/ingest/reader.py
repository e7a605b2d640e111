"""Stage 2, reading a region: a region's rows, set in the columns its gutters part, → lines in
reading order. Each column's edges come from its lines (ColumnBox); rows that cannot belong to one
column split the region into bands, read top to bottom: a row that crosses a gutter (the masthead,
a title centred over the page), a row that does not sit in its column as column text does (a date
set at the right), and a title-like row standing alone across the region (a section title between
columns: nothing beside it, type larger than the body's or a wide gap above). Inside a band the
columns are read left to right, each top to bottom.
Nothing here knows about the newsletter: it is page geometry only."""
from __future__ import annotations

from dataclasses import dataclass

from ..chars import ASCII_SENTENCE_ENDS, OPENING_MARKS, PAUSE_MARKS, SENTENCE_ENDS
from ..model import Line
from .gutters import Gutter, crosses
from .layout import Fragment, make_fragment, to_line

# How a fragment sits in a column (in body sizes): from its left edge, indented at most INDENT_MAX,
# or centred within CENTRE_TOLERANCE; it may overhang the left edge by LEFT_SLACK and the right by RIGHT_SLACK.
LEFT_SLACK, RIGHT_SLACK, INDENT_MAX, CENTRE_TOLERANCE = 1.0, 1.5, 4.5, 1.5
RIGHT_EDGE_RANK = 0.8  # a column's right edge: where this share of its lines end (ragged lines end before it)
LEFT_EDGE_RANK = 0.1  # its left edge: the leftmost start shared by a tenth of its lines...
LEFT_CLUSTER = 0.5  # ...within this many sizes
# A row standing alone across the page (nothing within ALONE_MARGIN of its sizes above or below it
# in the other columns) splits the columns when it looks like a title: type TITLE_RATIO larger
# than the body's, or a gap of WIDE_GAP sizes under the lowest text of the band above it.
ALONE_MARGIN, TITLE_RATIO, WIDE_GAP = 0.5, 1.1, 1.5
PAGE_CENTRE_AWAY = 4.0  # sizes: a row centred in its column this far from the page's middle heads that column
HEADING_FREE = 2.0  # ...if it leaves this much of the column free on each side
FULL_END = 0.5  # sizes: a line ending this close to its column's right edge reached it
SENTENCE_END = SENTENCE_ENDS + "…" + ASCII_SENTENCE_ENDS + ".：:"  # a line ending with one of these may end its paragraph
MID_SENTENCE = PAUSE_MARKS  # ...and one ending with one of these (or a Chinese character) does not
BAND_BREAK = 0.55  # sizes: a blank across all columns this much wider than the space between lines
INDENTED = 0.8  # sizes: a column's first line starting this far in from its edge opens a paragraph
APART = 3.0  # sizes: a piece this far from all other lines of its column is set apart from them (a folio)
SHORT_COLUMN = 3  # lines: a column of fewer shows no edges of its own
FOLIO_CHARS = 8  # a piece of this many glyphs at most over a whole gutter is a folio, no column's text


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


def column_of(f: Fragment, gutters: list[Gutter]) -> int:
    """0 for the leftmost column, 1 for the next... by the fragment's centre."""
    return sum(1 for g0, g1 in gutters if f.center >= (g0 + g1) / 2)


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


def line_gap(rows: list[list[Fragment]], gutters: list[Gutter]) -> float:
    """The usual blank between a column's lines (0.0 where there are too few)."""
    gaps = []
    for k in range(len(gutters) + 1):
        frags = sorted((f for r in rows for f in r if column_of(f, gutters) == k and not any(crosses([f], g) for g in gutters)),
                       key=lambda f: f.top)
        gaps += [b.top - a.bottom for a, b in zip(frags, frags[1:]) if b.top > a.bottom]
    return sorted(gaps)[len(gaps) // 2] if len(gaps) >= 3 else 0.0


def region_boxes(rows: list[list[Fragment]], gutters: list[Gutter], full: ColumnBox, size: float) -> list[ColumnBox]:
    """Each column's edges in a region of columns of its own, which may hold a few lines only
    (too few for column_box's counts): it starts where its lines start (not a folio set apart
    under them); a column of SHORT_COLUMN lines or more ends where its lines end (column_box), a
    shorter one is as wide as the widest column or, if wider, as the columns' pitch (start to
    start) less the narrowest gutter — never over the next column's start."""
    whole = [r for r in rows if not any(crosses(r, g) for g in gutters)]
    frags = [[f for r in whole for f in r if column_of(f, gutters) == k] for k in range(len(gutters) + 1)]
    frags = [[f for f in fs if f.size < TITLE_RATIO * size] or fs for fs in frags]
    frags = [[f for f in fs if any(o is not f and abs(o.top - f.top) <= APART * size for o in fs)] or fs
             for fs in frags]
    starts = [min((f.x0 for f in frags[0]), default=full.left)] + [g1 for _, g1 in gutters]
    own = [ColumnBox(min((f.x0 for f in fs), default=x),
                     column_box(fs, size).right if len(fs) >= SHORT_COLUMN else max((f.x1 for f in fs), default=x), size)
           for fs, x in zip(frags, starts)]
    # the pitch and the blank between columns as their lines show them (a layout's gutters may be
    # narrower than the blank: a column's lines start a little after it)
    lefts = [b.left if fs else x for b, fs, x in zip(own, frags, starts)]
    blanks = [lefts[k + 1] - own[k].right for k in range(len(gutters))
              if frags[k] and frags[k + 1] and lefts[k + 1] > own[k].right]
    gutter = min(blanks) if blanks else min(g1 - g0 for g0, g1 in gutters)
    width = max([b.right - b.left for b in own] + [(lefts[-1] - lefts[0]) / len(gutters) - gutter])
    for k, (box, fs) in enumerate(zip(own, frags)):
        if len(fs) < SHORT_COLUMN:
            box.right = max(box.right, box.left + width)
        if k < len(gutters):
            box.right = min(box.right, gutters[k][1])
    return own


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
                 columns: list[ColumnBox], images: list | None = None, width: float = 0.0, own: float | None = None):
        """`own`: for a region in columns of its own (not the page's), the page's usual blank
        between lines."""
        self.page, self.rows, self.gutters, self.full, self.size = page, rows, gutters, full, size
        self.columns, self.images = columns, images or []
        # the middle of the page (of its text where the page's width is not known: the text may
        # not reach the last column, on a page of columns that were not balanced)
        self.middle = width / 2 if width > 0 else (min(f.x0 for r in rows for f in r)
                                                   + max(f.x1 for r in rows for f in r)) / 2
        self.leading = line_gap(rows, gutters) or own or 0.0
        self.own = own is not None

    def lines(self) -> list[Line]:
        out: list[Line] = []
        band: list[list[Fragment]] = []
        for i, row in enumerate(self.rows):
            if self.splits(i, band):
                out.extend(self.read_band(band))
                band = []
                out.append(to_line(self.page, row, self.full.left, self.full.right))
            elif self.breaks(i, band):
                out.extend(self.read_band(band))
                band = [row]
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

    def breaks(self, i: int, band: list[list[Fragment]]) -> bool:
        """Does row i open a new band of the columns (a column region over another set in the
        same columns)? Where a blank across all the columns above it, wider than the space between
        paragraphs, lies between the first's columns ending together and the next's starting
        together (or the next's first only, a paragraph: not a heading with its space above it) —
        not a blank beside a picture, nor one under a heading (a heading goes with what follows
        it); or where a heading opens a column under a line that ran on into the next column
        (see runs_on)."""
        columns = {column_of(f, self.gutters) for r in band for f in r}
        if len(columns) < 2:
            return False
        lasts: dict[int, Fragment] = {}
        for r in band:
            for f in r:
                lasts[column_of(f, self.gutters)] = f
        top = min(f.top for f in self.rows[i])
        below = [r for r in self.rows[i:] if min(f.top for f in r) < top + self.size]
        if self.runs_on(i, below, lasts):
            return True
        if self.opens_mid_paragraph(band):
            return False  # its columns' text goes on from under the blank: no region of its own
        if not self.leading or len({column_of(f, self.gutters) for r in below for f in r}) < 2 \
                and any(f.size >= TITLE_RATIO * self.size for r in below for f in r):
            return False  # (only the first column going on: under a heading, its own space above it)
        bottom = max(f.bottom for r in band for f in r)
        gap = min(f.top for r in below for f in r) - bottom
        return gap >= self.leading + BAND_BREAK * self.size \
            and not any(f.size >= TITLE_RATIO * self.size for f in lasts.values()) \
            and not any(im[1] < bottom + gap and im[3] > bottom for im in self.images)

    def opens_mid_paragraph(self, band: list[list[Fragment]]) -> bool:
        """Does a later column of the band open with a paragraph's later line (body type, not
        indented) though the column before it ended its paragraph within the band? Then that
        column's first lines go on from text further down (a photographed page's second column a
        little higher than the first's heading): the blank under the band is no region's end."""
        firsts: dict[int, Fragment] = {}
        lasts: dict[int, list[Fragment]] = {}
        for r in band:
            for f in r:
                k = column_of(f, self.gutters)
                firsts.setdefault(k, f)
                lasts[k] = r
        for k, f in firsts.items():
            if k == 0 or k - 1 not in lasts or f.size >= TITLE_RATIO * self.size:
                continue
            if f.x0 - self.columns[k].left <= INDENTED * self.size \
                    and not self.runs_over([g for g in lasts[k - 1] if column_of(g, self.gutters) == k - 1]):
                return True
        return False

    def runs_over(self, row: list[Fragment]) -> bool:
        """Does the row reach its column's right edge in mid-sentence (after a character, a comma)?"""
        f = max(row, key=lambda f: f.x1)
        text = "".join(c.text for c in f.chars).strip()
        return bool(text) and (text[-1] in MID_SENTENCE or "\u4e00" <= text[-1] <= "\u9fff") \
            and f.x1 >= self.columns[column_of(f, self.gutters)].right - FULL_END * self.size

    def runs_on(self, i: int, below: list[list[Fragment]], lasts: dict[int, Fragment]) -> bool:
        """Does a heading in row i (or the rows level with it, `below`) open a column whose last
        line above it reached the column's edge in mid-sentence, the next column holding text
        above it and again beside or below it? That paragraph went on in the next column: the
        heading opens the next region."""
        for f in (f for r in below for f in r):
            k = column_of(f, self.gutters)
            last = lasts.get(k)
            if f.size < TITLE_RATIO * self.size or last is None or k + 1 not in lasts or last.bottom > f.top:
                continue
            text = "".join(c.text for c in last.chars).strip()
            again = any(column_of(o, self.gutters) == k + 1 for r in self.rows[i:] for o in r)
            if again and last.x1 >= self.columns[k].right - FULL_END * self.size and text and text[-1] not in SENTENCE_END:
                return True
        return False

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
        band of columns above it (a footer under short columns) — not a line that reaches its
        column's edge in mid-sentence (the first line of a paragraph in the next region's first
        column)."""
        row = self.rows[i]
        if max(f.size for f in row) >= TITLE_RATIO * self.size:
            return True
        above = [f.bottom for r in band for f in r]
        if len({column_of(f, self.gutters) for r in band for f in r}) < 2 or self.own or self.runs_over(row):
            return False  # no columns above it to end (a page's first lines under its running head; in a
            # region of columns of its own, a new band of them: breaks)
        top = min(f.top for f in row)
        lowest = max(above + [im[3] for im in self.images if min(f.top for r in band for f in r) < im[3] <= top])
        return top - lowest >= WIDE_GAP * self.size  # (a picture above the row counts as the band's too)
