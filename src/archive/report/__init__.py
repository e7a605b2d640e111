"""Report writers: search hits or unit activities as DOCX, XLSX, CSV or Markdown.

    from archive.report import ReportMeta, write_report
    meta = ReportMeta(title="检索结果：党史", query="党史", filters={"单位": "云铝文山"},
                      date_from="2021-01", date_to="2021-06", generated=datetime.now())
    n = write_report(hits, meta, "xlsx", "out.xlsx")   # or a binary file object

Rows are plain dicts shaped like a search hit (README, "Search"): id, issue, publication, year,
number, number_end, special, total_number, date, section, heading, text, units, author, source,
page_start, page_end, citation, citation_gbt; an activity row may add ``unit`` and ``activity``.
Rows are read once, in order, and never collected into a list: XLSX, CSV and Markdown stream
them; DOCX builds the document in memory (python-docx), keeping only each row's GB/T line.

The writers take issue and page labels from store.citation, nothing else from ``archive``; they never read the clock (the
time printed and stamped in the files is ``meta.generated``), so the same rows and meta give the
same bytes."""
from __future__ import annotations

import importlib
import os
import re
from pathlib import Path
from typing import BinaryIO, Iterable, Mapping

from .labels import kind_label
from .meta import KINDS, ReportMeta

__all__ = ["FORMATS", "MIME", "EXTENSIONS", "KINDS", "ReportMeta", "write_report", "suggested_filename"]

FORMATS = ("docx", "xlsx", "csv", "md")
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}
EXTENSIONS = {"docx": ".docx", "xlsx": ".xlsx", "csv": ".csv", "md": ".md"}
_WRITERS = {"docx": ("docx_writer", "write_docx"), "xlsx": ("xlsx_writer", "write_xlsx"),
            "csv": ("csv_writer", "write_csv"), "md": ("md_writer", "write_md")}


def _format(fmt: str) -> str:
    key = str(fmt).strip().lower().lstrip(".") if fmt is not None else ""
    if key not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}: expected one of {', '.join(FORMATS)}")
    return key


def write_report(rows: Iterable[Mapping], meta: ReportMeta, fmt: str,
                 out: BinaryIO | str | os.PathLike) -> int:
    """Write ``rows`` as a ``fmt`` report to ``out``; return the number of rows written.

    ``out`` is a binary file object (left open; need not be seekable) or a path (written to a
    temporary file beside it and renamed into place, so a failed report leaves no partial file).
    Raises ValueError for a format not in FORMATS, before anything is written."""
    key = _format(fmt)
    if not isinstance(meta, ReportMeta):
        raise TypeError("meta must be a ReportMeta")
    module, name = _WRITERS[key]  # imported on use: CSV/Markdown need neither python-docx nor openpyxl
    writer = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    if isinstance(out, (str, os.PathLike)):
        path = Path(out)
        part = path.with_name(f".{path.name}.part")
        try:
            with open(part, "wb") as f:
                n = writer(rows, meta, f)
            os.replace(part, path)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        return n
    return writer(rows, meta, out)


def period_label(date_from: str | None, date_to: str | None, year: str | None = None) -> str:
    """2021 (a whole year), 2021-01至2021-06, 2021-03起, 至2021-06, or the year filter."""
    lo, hi = (date_from or "").strip(), (date_to or "").strip()
    if lo and hi and lo[:4] == hi[:4] and lo in (lo[:4], lo[:4] + "-01", lo[:4] + "-01-01") \
            and hi in (hi[:4], hi[:4] + "-12", hi[:4] + "-12-31"):
        return lo[:4]
    if lo and hi:
        return f"{lo}至{hi}"
    return f"{lo}起" if lo else (f"至{hi}" if hi else (year or ""))


def suggested_filename(meta: ReportMeta, fmt: str) -> str:
    """What the file holds, as its name: 兰州铝业-活动记录-2021.xlsx, 党史-云铝文山-检索结果-2021-01至2021-06.docx
    (the words, the unit, what kind of report, the period; non-ASCII: encode it for a header)."""
    key = _format(fmt)

    def clean(text) -> str:
        return re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", str(text or "").strip()).strip("._")[:40]
    filters = meta.filters or {}
    unit = filters.get("单位")
    parts = [clean(meta.query), clean(unit) if unit and unit != meta.query else "", kind_label(meta.kind),
             clean(period_label(meta.date_from, meta.date_to, filters.get("年份")))]
    return "-".join(p for p in parts if p) + EXTENSIONS[key]
