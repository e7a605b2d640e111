"""Stage 2, tables: a ruled table (found in stage 1 by pdfplumber's table finder) → its text, rows
joined by "\\n" and cells by "\\t", each cell's wrapped lines joined first, as the reader reads them
(a company name wrapped inside a narrow cell is one name). The table's glyphs leave the page's
flow, and the table comes back into it as one piece at its place.

A table ruled only across (三线表: a rule above, one under the header, one at the foot; no cell
borders, which the table finder needs) is found here from the horizontal rules: a stack of rules
of one width, with columns of text between them parted by blank running down the whole table,
and a header of a few lines. Its rows come from the text: a cell's line that fills the column and
has the next line close under it goes on in that line (unless another column starts a row there),
and cells that lie beside each other, overlapping in height, are one row."""
from __future__ import annotations

from .layout import Fragment, group_rows, line_text, make_fragment
from .pdf import TABLE_MIN_COLUMNS, TABLE_MIN_ROWS, Char, Rect, TableGrid
from .textrepair import repair

TABLE_FONT = "TABLE"  # the font name of the one glyph that stands for a table in the flow
RULE_ALIGN = 3.0  # pt: rules of one table start and end this close
RULE_MERGE = 3.0  # pt: rules this close above each other are one (a double rule)
CELL_GAP = 0.8  # sizes: blank this wide, down the whole table, parts two columns
HEADER_MAX_LINES = 3  # the header (between the first two rules) has at most this many lines in a column
WRAP_SLACK = 1.5  # sizes: a line ending this close to its column's widest line may have wrapped...
WRAP_GAP = 0.6  # sizes: ...into the next line of the column, this close under it
ROW_ALIGN = 0.3  # sizes: lines of two columns whose tops are this close start a row together
CELL_MAX_LINES = 8  # a cell of more lines is a column of text, no table's
TITLE_SIZE = 1.15  # a glyph this much larger than the region's usual is a title's: no table holds one
SPREAD_MIN = 0.5  # at least this share of a table's rows have cells in two columns or more
FILLED_MAX = 0.5  # at most this share of a table's lines fill the room to the next column (text columns' do)


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


def take_tables(chars: list[Char], grids: list[TableGrid], size: float,
                rules: list[Rect] = ()) -> tuple[list[Char], list[Fragment]]:
    """The page's glyphs outside its tables, and each table as one fragment of the flow (a single
    glyph carrying the table's text, at the table's box). `rules` are the page's horizontal rules:
    tables ruled only across are found from them."""
    grids = list(grids) + rule_tables(chars, list(rules), grids, size)
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


def rule_stacks(rules: list[Rect]) -> list[list[Rect]]:
    """Rules of one width (same start and end), top to bottom, a double rule taken as one."""
    stacks: list[list[Rect]] = []
    for r in sorted(rules, key=lambda r: r[1]):
        stack = next((s for s in stacks if abs(s[0][0] - r[0]) <= RULE_ALIGN and abs(s[0][2] - r[2]) <= RULE_ALIGN),
                     None)
        if stack is None:
            stacks.append([r])
        elif r[1] - stack[-1][3] > RULE_MERGE:
            stack.append(r)
    return [s for s in stacks if len(s) >= 3]


def rule_tables(chars: list[Char], rules: list[Rect], grids: list[TableGrid], size: float) -> list[TableGrid]:
    """Tables ruled only across: from each stack of rules, the widest runs from a rule to a later
    one (at least three rules: above, under the header, at the foot) that hold a table, and no
    table the finder found (a form's boxes)."""
    out: list[TableGrid] = []
    for stack in rule_stacks(rules):
        stack = [r for r in stack if not any(g.bbox[1] - RULE_MERGE <= r[1] <= g.bbox[3] + RULE_MERGE
                                             and g.bbox[0] - RULE_ALIGN <= r[0] <= g.bbox[2] for g in grids)]
        i = 0
        while i + 2 < len(stack):
            found = next(((j, g) for j in range(len(stack) - 1, i + 1, -1)
                          if not any(g.bbox[1] < stack[j][1] and g.bbox[3] > stack[i][3] for g in grids)
                          for g in [grid_between(chars, stack[i], stack[i + 1], stack[j], stack[i + 1:j], size)] if g),
                         None)
            if found is None:
                i += 1
                continue
            out.append(found[1])
            i = found[0]
    return out


def text_columns(chars: list[Char], x0: float, x1: float, size: float) -> list[tuple[float, float]]:
    """Columns of the text between x0 and x1: parted by blank at least CELL_GAP sizes wide that no
    glyph of any line covers."""
    covered = sorted((c.x0, c.x1) for c in chars if c.text.strip())
    columns: list[list[float]] = []
    for a, b in covered:
        if columns and a - columns[-1][1] < CELL_GAP * size:
            columns[-1][1] = max(columns[-1][1], b)
        else:
            columns.append([a, b])
    return [(a, b) for a, b in columns]


def grid_between(chars: list[Char], top: Rect, header: Rect, bottom: Rect, inner: list[Rect],
                 size: float) -> TableGrid | None:
    """The table between the rules `top` and `bottom` (None if the text there is no table)."""
    x0, x1 = min(top[0], bottom[0]), max(top[2], bottom[2])
    region = [c for c in chars if c.text.strip() and x0 <= (c.x0 + c.x1) / 2 <= x1
              and top[3] <= (c.top + c.bottom) / 2 <= bottom[1]]
    if not region or any(c.top < r[1] < c.bottom for c in region for r in inner):
        return None
    sizes = sorted(c.size for c in region)
    if sizes[-1] > TITLE_SIZE * sizes[len(sizes) // 2]:
        return None
    columns = text_columns(region, x0, x1, size)
    if len(columns) < TABLE_MIN_COLUMNS:
        return None
    lines = [column_lines([c for c in region if a <= c.x0 and c.x1 <= b]) for a, b in columns]
    heads = [sum(1 for ln in col if ln[3] <= header[1]) for col in lines]
    if max(heads) > HEADER_MAX_LINES or sum(1 for n in heads if n) < TABLE_MIN_COLUMNS:
        return None
    if filled_share(lines, columns, x1, size) > FILLED_MAX:
        return None
    cells = cells_of(lines, columns, x1, inner, size)
    rows = table_rows(cells)
    longest = max(sum(1 for ln in lines[k] if top <= ln[2] and ln[3] <= bottom) for k, top, bottom in cells)
    spread = sum(1 for r in rows if len({c[0] for c in r}) >= TABLE_MIN_COLUMNS) / max(len(rows), 1)
    if len(rows) < TABLE_MIN_ROWS or longest > CELL_MAX_LINES or spread < SPREAD_MIN:
        return None
    grid_rows = []
    for cells in rows:
        r_top, r_bottom = min(c[1] for c in cells) - 0.5, max(c[2] for c in cells) + 0.5
        grid_rows.append([(a - 0.5, r_top, b + 0.5, r_bottom) if any(c[0] == k for c in cells) else None
                          for k, (a, b) in enumerate(columns)])
    return TableGrid((x0, top[1], x1, bottom[3]), grid_rows)


Span = tuple[float, float, float, float]  # a line's x0, x1, top, bottom


def column_lines(chars: list[Char]) -> list[Span]:
    return sorted(((min(c.x0 for c in r), max(c.x1 for c in r), min(c.top for c in r), max(c.bottom for c in r))
                   for r in group_rows(chars)), key=lambda ln: ln[2])


def room_of(k: int, columns: list[tuple[float, float]], right: float, size: float) -> float:
    """How wide column k's lines may run: up to the next column's text, less the blank between."""
    return (columns[k + 1][0] - CELL_GAP * size if k + 1 < len(columns) else right) - columns[k][0]


def filled_share(lines: list[list[Span]], columns: list[tuple[float, float]], right: float, size: float) -> float:
    """The share of the lines that fill their column's room (most of a column of body text do)."""
    filled = [ln[1] - columns[k][0] >= room_of(k, columns, right, size) - WRAP_SLACK * size
              for k, col in enumerate(lines) for ln in col]
    return sum(filled) / max(len(filled), 1)


def cells_of(lines: list[list[Span]], columns: list[tuple[float, float]], right: float, inner: list[Rect],
             size: float) -> list[tuple[int, float, float]]:
    """(column, top, bottom) of each cell: a column's lines, a line joined with the next one when
    that one's first glyph would not have fitted after it in the room up to the next column (it
    wrapped), unless another column has lines level with both, the second not wrapped on (one row
    a line there: the next row)."""
    goes_on = {}  # (column, line index) -> may the line go on from the one above it?
    for k, col in enumerate(lines):
        left, room = columns[k][0], room_of(k, columns, right, size)
        for n in range(1, len(col)):
            above, ln = col[n - 1], col[n]
            goes_on[k, n] = (above[1] - left + min(size, ln[1] - ln[0]) >= room - WRAP_SLACK * size
                             and ln[2] - above[3] <= WRAP_GAP * size
                             and not any(above[3] <= r[1] <= ln[2] for r in inner))

    def level(j: int, top: float, starts_only: bool = False) -> bool:
        return any(abs(ln[2] - top) <= ROW_ALIGN * size and not (starts_only and goes_on.get((j, n)))
                   for n, ln in enumerate(lines[j]))

    cells: list[tuple[int, float, float]] = []
    for k, col in enumerate(lines):
        for n, ln in enumerate(col):
            next_row = any(level(j, ln[2], True) and level(j, col[n - 1][2]) for j in range(len(lines)) if j != k)
            if goes_on.get((k, n)) and not next_row:
                cells[-1] = (k, cells[-1][1], ln[3])
            else:
                cells.append((k, ln[2], ln[3]))
    return cells


def table_rows(cells: list[tuple[int, float, float]]) -> list[list[tuple[int, float, float]]]:
    """Cells that lie beside each other, overlapping in height, are one row; rows top to bottom."""
    rows: list[list[tuple[int, float, float]]] = []
    for cell in sorted(cells, key=lambda c: c[1]):
        if rows and cell[1] < max(c[2] for c in rows[-1]):
            rows[-1].append(cell)
        else:
            rows.append([cell])
    return rows
