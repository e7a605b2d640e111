"""CSV report: UTF-8 with a BOM (so Excel opens the Chinese right), one row per hit or activity.

Columns are labels.columns(meta): labels.COLUMNS (and 全文 when the report holds whole items). Streams: each row is written as it arrives. Dates are ISO text at
their own precision (2021-04-16, 2021-04). A cell that would start a formula in Excel
(=, +, -, @, tab, CR) is prefixed with an apostrophe (CSV injection)."""
from __future__ import annotations

import csv
import io
from typing import BinaryIO, Iterable, Mapping

from .labels import columns, iso_date, table_cells
from .meta import ReportMeta

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(rows: Iterable[Mapping], meta: ReportMeta, out: BinaryIO) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    n = 0
    try:
        writer = csv.writer(text)  # excel dialect: CRLF line ends, quoted where needed
        writer.writerow(columns(meta))
        for row in rows:
            cells = table_cells(row, meta)
            cells[0] = iso_date(cells[0])
            writer.writerow([_safe(c) for c in cells])
            n += 1
        text.flush()
    finally:
        text.detach()  # leave the caller's file open
    return n
