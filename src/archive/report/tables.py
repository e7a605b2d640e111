"""Units × years: how many activities each unit has per year, as a table (XLSX, CSV or text).

    table = units_table(records.units_by_year())       # UnitsTable(years, rows)
    write_units_table(table, "xlsx", "units.xlsx")

Rows are sorted by the total, most active first; a year column for every year from the first to
the last (a year without activities shows 0, so that a gap is seen). The XLSX has its header row
frozen, an autofilter, widths set and the totals row in bold; the CSV is UTF-8 with a BOM. A unit's
name is text in both, never a formula (an editor may name a unit anything: report/cells.py)."""
from __future__ import annotations

import csv
import io
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .cells import csv_cell, text_cell

TABLE_FORMATS = ("xlsx", "csv")


@dataclass
class UnitsTable:
    years: list[int]
    rows: list[tuple[str, list[int], int]]  # (unit, count per year, total)

    def totals(self) -> list[int]:
        return [sum(r[1][k] for r in self.rows) for k in range(len(self.years))]

    def as_dict(self) -> dict:
        return {"years": self.years, "units": [{"unit": u, "by_year": dict(zip(map(str, self.years), c)), "total": t}
                                                for u, c, t in self.rows]}


def units_table(by_year: dict[str, Counter]) -> UnitsTable:
    seen = sorted({y for c in by_year.values() for y in c})
    years = list(range(seen[0], seen[-1] + 1)) if seen else []
    rows = [(u, [c.get(y, 0) for y in years], sum(c.values())) for u, c in by_year.items()]
    rows.sort(key=lambda r: (-r[2], r[0]))
    return UnitsTable(years, rows)


def header(table: UnitsTable) -> list[str]:
    return ["单位", *[f"{y}年" for y in table.years], "合计"]


def write_units_table(table: UnitsTable, fmt: str, out: BinaryIO | str | os.PathLike) -> int:
    """Write the table; how many units. ValueError for a format not in TABLE_FORMATS."""
    if fmt not in TABLE_FORMATS:
        raise ValueError(f"unknown table format {fmt!r}: expected one of {', '.join(TABLE_FORMATS)}")
    data = _xlsx(table) if fmt == "xlsx" else _csv(table)
    if isinstance(out, (str, os.PathLike)):
        path = Path(out)
        part = path.with_name(f".{path.name}.part")
        part.write_bytes(data)
        os.replace(part, path)
    else:
        out.write(data)
    return len(table.rows)


def _rows(table: UnitsTable):
    """The header, a row per unit, the totals: what both formats write."""
    yield header(table)
    for unit, counts, total in table.rows:
        yield [unit, *counts, total]
    yield ["合计", *table.totals(), sum(r[2] for r in table.rows)]


def _csv(table: UnitsTable) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for row in _rows(table):
        w.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _xlsx(table: UnitsTable) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    wb = Workbook()
    ws = wb.active
    ws.title = "单位年度活动"
    for r, row in enumerate(_rows(table), 1):
        for c, value in enumerate(row, 1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                text_cell(cell, value)
            else:
                cell.value = value
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
    for cell in ws[ws.max_row]:
        cell.font = bold
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{max(1, ws.max_row - 1)}"
    width = max([len(u) for u, _, _ in table.rows] + [4])
    ws.column_dimensions["A"].width = min(60, 2.2 * width + 2)
    for k in range(2, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(k)].width = 9
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
