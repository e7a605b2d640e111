"""ReportMeta: what a report is about (its title and search conditions) and when it was made."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

KINDS = ("hits", "activities", "chronicle")  # chronicle: a 大事记 (report/chronicle.py, chronicle_layout.py)
LAYOUTS = ("list", "table")  # DOCX and Markdown: a hit after another, or one table (序号 期号 日期 单位 内容 页码)


@dataclass(frozen=True, kw_only=True)
class ReportMeta:
    """The report's heading and conditions. Keyword-only; ``title`` and ``generated`` are required.

    filters: name → value as staff read it ({"单位": "云铝文山", "年份": "2021"}; a list value is
    joined with 、; None or "" is left out). date_from/date_to: "2021-01-05", "2021-01" or "2021".
    generated: when the report was made, passed in by the caller (the writers never read the
    clock, so the same rows and meta give the same bytes). kind: "hits" (search results) or
    "activities" (rows carrying ``unit`` and ``activity``). layout: "list" (each row as a heading,
    its text and citation) or "table" (one row of a table each; XLSX and CSV are tables anyway).
    whole: rows may carry ``whole_text``, the item's whole text, shown after the matched sentence
    (``excerpt``)."""

    title: str
    generated: dt.datetime
    query: str = ""
    filters: Mapping[str, Any] = field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None
    kind: str = "hits"
    layout: str = "list"
    whole: bool = False  # hits: each item's whole text after its matched sentence(s) (a 全文 column)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown report kind {self.kind!r}: expected one of {', '.join(KINDS)}")
        if self.layout not in LAYOUTS:
            raise ValueError(f"unknown report layout {self.layout!r}: expected one of {', '.join(LAYOUTS)}")
        if not isinstance(self.generated, dt.datetime):
            raise TypeError("ReportMeta.generated must be a datetime.datetime")
