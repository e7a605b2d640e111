"""XLSX report (openpyxl, write-only workbook: rows stream to a temporary file, not to memory).

Sheet 1 (检索结果, or 活动记录 for activities): a header row of labels.columns(meta), frozen (A2) and
with an auto-filter, then one row per hit or activity. 日期 is a real Excel date: yyyy-mm-dd for
a day; a month-only date ("2021-04") is the 1st of that month shown as yyyy-mm (and a year-only
one 1 January shown as yyyy), so the column sorts and filters as dates. 正文 wraps. Every text
cell is stored as text (report/cells.py), so a heading that starts with "=" never becomes a formula; text over
Excel's 32,767-character cell limit is cut and marked.

Sheet 2 (检索条件): title, query, each filter, date range, generation time and the count."""
from __future__ import annotations

import datetime as dt
from typing import BinaryIO, Iterable, Mapping

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from ._zip import FixedTimeZipFile
from .cells import text_cell
from .labels import (clean, columns, condition_pairs, date_range_label, excel_date, kind_label,
                     table_cells)
from .meta import ReportMeta

WIDTHS = {"日期": 12, "期号": 18, "页码": 11, "栏目": 16, "标题": 30, "单位": 18, "作者": 12,
          "正文": 80, "全文": 80, "引用": 46, "GB/T": 60, "专题": 20}
MAX_CELL = 32767
_CUT = "…（已截断）"
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", start_color="FFD9D9D9")


def _text_cell(ws, value, alignment=_TOP, font=None) -> WriteOnlyCell:
    text = clean(value)
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL - len(_CUT)] + _CUT
    cell = text_cell(WriteOnlyCell(ws), text) if text else WriteOnlyCell(ws, value=None)  # never a formula
    cell.alignment = alignment
    if font is not None:
        cell.font = font
    return cell


def _row_cells(ws, row: Mapping, names: list[str], cells_of) -> list[WriteOnlyCell]:
    values = cells_of(row)
    wrap = {i for i, name in enumerate(names) if name in ("正文", "全文")}
    cells = []
    date_at = names.index("日期")
    for i, value in enumerate(values):
        if i == date_at:
            date, fmt = excel_date(value)
            cell = WriteOnlyCell(ws, value=date) if fmt else _text_cell(ws, date)
            if fmt:
                cell.number_format = fmt
                cell.alignment = _TOP
        else:
            cell = _text_cell(ws, value, _WRAP if i in wrap else _TOP)
        cells.append(cell)
    return cells


def _naive(when: dt.datetime) -> dt.datetime:
    """Excel has no time zones: an aware time is shown as its own wall time."""
    return when.replace(tzinfo=None)


def _conditions_sheet(wb: Workbook, meta: ReportMeta, n: int) -> None:
    ws = wb.create_sheet("检索条件")
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 70
    bold = Font(bold=True)
    pairs = [("标题", meta.title), ("类型", kind_label(meta.kind))]
    pairs += [(k, v) for k, v in condition_pairs(meta) if k != "日期"]
    if not clean(meta.query).strip():
        pairs.append(("检索词", "（无）"))
    pairs.append(("日期范围", date_range_label(meta.date_from, meta.date_to) or "不限"))
    for name, value in pairs:
        ws.append([_text_cell(ws, name, font=bold), _text_cell(ws, value, _WRAP)])
    when = WriteOnlyCell(ws, value=_naive(meta.generated))
    when.number_format = "yyyy-mm-dd hh:mm:ss"
    when.alignment = Alignment(horizontal="left")
    ws.append([_text_cell(ws, "生成时间", font=bold), when])
    count = WriteOnlyCell(ws, value=n)
    count.alignment = Alignment(horizontal="left")
    ws.append([_text_cell(ws, "条数", font=bold), count])


def write_xlsx(rows: Iterable[Mapping], meta: ReportMeta, out: BinaryIO) -> int:
    wb = Workbook(write_only=True)
    props = wb.properties  # set here: openpyxl would otherwise stamp the clock
    props.title, props.creator, props.lastModifiedBy = clean(meta.title), "archive", "archive"
    props.created = props.modified = _naive(meta.generated)
    ws = wb.create_sheet(kind_label(meta.kind))
    names, cells_of = columns(meta), (lambda row: table_cells(row, meta))
    if meta.kind == "chronicle":  # the 大事记's columns (report/chronicle_layout.py)
        from .chronicle_layout import CHRONICLE_COLUMNS, chronicle_cells
        names, cells_of = list(CHRONICLE_COLUMNS), chronicle_cells
    for i, name in enumerate(names, 1):  # before any row: write-only sheets write <cols> first
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS[name]
    ws.freeze_panes = "A2"
    header = []
    for name in names:
        cell = _text_cell(ws, name, Alignment(horizontal="center", vertical="center"), _HEAD_FONT)
        cell.fill = _HEAD_FILL
        header.append(cell)
    ws.append(header)
    n = 0
    for row in rows:
        ws.append(_row_cells(ws, row, names, cells_of))
        n += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{n + 1}"  # written with the sheet's tail
    _conditions_sheet(wb, meta, n)
    # ExcelWriter rather than wb.save(): save_workbook() sets properties.modified to now
    ExcelWriter(wb, FixedTimeZipFile(out, meta.generated)).save()
    return n
