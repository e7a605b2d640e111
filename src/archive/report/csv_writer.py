"""CSV report: UTF-8 with a BOM (so Excel opens the Chinese right), one row per hit or activity.

Columns are labels.columns(meta): labels.COLUMNS (and 全文 when the report holds whole items).
Streams: each row is written as it arrives. Dates are ISO text at their own precision (2021-04-16,
2021-04). A cell that would start a formula in a spreadsheet is prefixed with an apostrophe
(report/cells.py: CSV injection)."""
from __future__ import annotations

import csv
import io
from typing import BinaryIO, Iterable, Mapping

from .cells import csv_cell
from .labels import columns, iso_date, table_cells
from .meta import ReportMeta


def write_csv(rows: Iterable[Mapping], meta: ReportMeta, out: BinaryIO) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    n = 0
    try:
        writer = csv.writer(text)  # excel dialect: CRLF line ends, quoted where needed
        writer.writerow([csv_cell(c) for c in columns(meta)])
        for row in rows:
            cells = table_cells(row, meta)
            cells[0] = iso_date(cells[0])
            writer.writerow([csv_cell(c) for c in cells])
            n += 1
        text.flush()
    finally:
        text.detach()  # leave the caller's file open
    return n
