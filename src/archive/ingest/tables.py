"""Stage 2, tables: a ruled table (found in stage 1 by pdfplumber's table finder) → its text, rows
joined by "\\n" and cells by "\\t", each cell's wrapped lines joined first, as the reader reads them
(a company name wrapped inside a narrow cell is one name). The table's glyphs leave the page's
flow, and the table comes back into it as one piece at its place."""
from __future__ import annotations

from .layout import Fragment, group_rows, line_text, make_fragment
from .pdf import Char, Rect, TableGrid
from .textrepair import repair

TABLE_FONT = "TABLE"  # the font name of the one glyph that stands for a table in the flow


def inside(c: Char, box: Rect) -> bool:
    cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def cell_text(chars: list[Char]) -> str:
    lines = [line_text(row) for row in group_rows(chars)]
    return repair([ln for ln in lines if ln])


def table_text(grid: TableGrid, chars: list[Char]) -> str:
    """The table as text: a row a line, cells separated by tabs (a merged cell's place is empty)."""
    rows = []
    for row in grid.rows:
        cells = [cell_text([c for c in chars if inside(c, box)]) if box else "" for box in row]
        if any(cells):
            rows.append("\t".join(cells))
    return "\n".join(rows)


def take_tables(chars: list[Char], grids: list[TableGrid], size: float) -> tuple[list[Char], list[Fragment]]:
    """The page's glyphs outside its tables, and each table as one fragment of the flow (a single
    glyph carrying the table's text, at the table's box)."""
    if not grids:
        return chars, []
    rest = [c for c in chars if not any(inside(c, g.bbox) for g in grids)]
    pieces = []
    for g in grids:
        text = table_text(g, [c for c in chars if inside(c, g.bbox)])
        if text:
            x0, top, x1, bottom = g.bbox
            pieces.append(make_fragment([Char(text, x0, x1, top, bottom, size, TABLE_FONT)]))
    return rest, pieces
