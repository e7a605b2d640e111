"""Stage 2, second half: a page's rows → lines in reading order, region by region.

A page is read as regions top to bottom (regions.py): runs of rows set in the same columns. The
page's own gutters (gutters.py: valleys of coverage across all its rows, any number of columns,
the page before's where this one is too short to show them) part every region whose gutters are
among them — a page of one region is read in the page's columns; a region whose columns the
page's gutters do not part (newspaper style: two columns under a full-width lead, three further
down) is read in its own. Inside a region, columns left to right, each top to bottom, rows that
cannot belong to one column splitting it into bands (reader.py). Tables from stage 1's grids come
into the flow as one piece each (tables.py).
Nothing here knows about the newsletter: it is page geometry only."""
from __future__ import annotations

from ..model import Line
from .gutters import Gutter, crosses, find_gutters, fit_gutters, gutters_fit, overhang_gutter
from .layout import Fragment, dominant_size, group_rows, make_fragment, split_fragments, to_line
from .pdf import Page
from .reader import (RIGHT_EDGE_RANK, RIGHT_SLACK, TITLE_RATIO, ColumnBox, Reader, column_box, column_boxes,
                     column_of, line_gap, pieces_fit, region_boxes)
from .regions import Columns, find_regions
from .tables import TABLE_FONT, take_tables

SHORT_PAGE_LINES = 10  # a page of fewer lines shows no right edge of its own (carry_edges)
START_TOLERANCE = 0.5  # sizes: a glyph this close to a column's left edge starts that column's line
STEP_PT = 1.0  # ...after a space this much wider than the line's usual space between glyphs
GUTTER_GAP = 0.5  # a fragment is cut at a gap of this many body sizes inside a gutter (hanging punctuation
# narrows the gap between two columns' lines below the fragment gap)


def page_lines(page: Page) -> list[Line]:
    """All lines of a page in reading order."""
    return layout_page(page)[0]


def layout_page(page: Page, hint: Columns | None = None) -> tuple[list[Line], Columns]:
    """All lines of a page in reading order, and the page's columns (its gutters, [] for one
    column; its regions' own layouts). `hint`: the pages before's (Columns.then), their gutters
    tried where this page has too few lines to show its own, their layouts for rows that show
    them (a column region going on from the page before)."""
    hint = hint or Columns()
    if not any(c.text.strip() for c in page.chars):
        return [], Columns()
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
    gutters = page_gutters(rows, body, left, right, full, size, hint.gutters)
    regions, layouts = find_regions(rows, left, right, size, gutters, hint.layouts)
    shared = [r for region in regions if region.shared for r in rows[region.first:region.last + 1]]
    lines: list[Line] = []
    for region in regions:
        part = rows[region.first:region.last + 1]
        lines += read_region(page, part, region.gutters, full, size, shared if region.shared else None, rows)
    return lines, Columns(gutters, layouts)


def page_gutters(rows: list[list[Fragment]], body: list[list[Fragment]], left: float, right: float,
                 full: ColumnBox, size: float, hint: list[Gutter] | None) -> list[Gutter]:
    """The gutters of the page's columns, from all its rows."""
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
    return gutters


def read_region(page: Page, rows: list[list[Fragment]], gutters: list[Gutter], full: ColumnBox, size: float,
                shared: list[list[Fragment]] | None, every: list[list[Fragment]]) -> list[Line]:
    """The lines of a region's rows, set in the columns the gutters part (full width without
    gutters). `shared`: the rows of all the page's regions read in the page's gutters, whose
    columns' edges are found from them all; None for a region in columns of its own. `every`:
    all the page's rows."""
    if not gutters:
        return [to_line(page.number, r, full.left, full.right) for r in rows]

    def boxes(cut: list[list[Fragment]]) -> list[ColumnBox]:
        if shared is None:
            return region_boxes(cut, gutters, full, size)
        whole = cut if len(shared) == len(rows) else [split_at_gutters(r, gutters, size) for r in shared]
        return column_boxes(whole, gutters, size)

    cut = [split_at_gutters(r, gutters, size) for r in rows]
    first = boxes(cut)
    cut = [split_at_column_starts(r, gutters, first) for r in cut]
    columns = boxes(cut)  # again: lines so freed show the columns' edges
    rows = regroup_in_columns(rows, cut, [pieces_fit(c, columns, gutters) for c in cut], gutters)
    own = None if shared is not None else line_gap(every, [])
    return Reader(page.number, rows, gutters, full, size, columns, page.images, page.width, own).lines()


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


