"""The 大事记 layout of the report writers (a report of kind "chronicle", rows from report/chronicle.py):

    DOCX      a heading per month (「四月」), each entry a paragraph 「4月15日　兰州铝业组织……」 (the date
              set bold) and under it 「出处：《中铝股份党群工作》2021年第5期，第3页；……」
    XLSX      one row per entry: 日期 (a date cell), 单位, 正文, 专题, 引用 (every citation, 「；」 between)
    Markdown  「## 四月」, then 「- **4月15日**　兰州铝业组织……」 with its citations quoted under it

The writers (docx_writer, xlsx_writer, md_writer) keep their own page, styles and streaming; they
ask here only how a chronicle row is laid out."""
from __future__ import annotations

from typing import Mapping

from .labels import clean

CHRONICLE_COLUMNS = ("日期", "单位", "正文", "专题", "引用")
MONTHS = "一二三四五六七八九十"
GAP = "\u3000"  # the ideographic space between an entry's date and its text


def month_label(month) -> str:
    """四月, 十一月; 日期不详 for none."""
    if not month:
        return "日期不详"
    month = int(month)
    return (MONTHS[month - 1] if month <= 10 else "十" + MONTHS[month - 11]) + "月"


def entry_line(row: Mapping) -> tuple[str, str]:
    """(date label, text) of an entry."""
    return clean(row.get("date_label")).strip(), clean(row.get("text")).strip()


def citations_line(row: Mapping) -> str:
    cites = [clean(c).strip() for c in row.get("citations") or [row.get("citation")] if clean(c).strip()]
    return "出处：" + "；".join(cites) if cites else ""


class DocxEntries:
    """Adds a chronicle's rows to a DOCX body (docx_writer._Body): a month heading when the month
    changes, then the entry and its sources. Called as the writer calls its row layout: (body, n, row)."""

    def __init__(self, entry_style: str, cite_style: str, month_style: str):
        self.entry_style, self.cite_style, self.month_style = entry_style, cite_style, month_style
        self.month = object()

    def __call__(self, body, n: int, row: Mapping) -> None:
        from docx.oxml import OxmlElement
        if row.get("month") != self.month:
            self.month = row.get("month")
            body.add(month_label(self.month), self.month_style)
        label, text = entry_line(row)
        p = body.add("", self.entry_style)
        if label:
            run = p.add_r()
            run.get_or_add_rPr().append(OxmlElement("w:b"))
            run.text = label + GAP
        p.add_r().text = text
        cites = citations_line(row)
        if cites:
            body.add(cites, self.cite_style)


def chronicle_cells(row: Mapping) -> list:
    """One value per CHRONICLE_COLUMNS entry (the date as the row has it; the writer formats it)."""
    return [row.get("date"), clean(row.get("unit")).strip(), entry_line(row)[1],
            "、".join(clean(t) for t in row.get("topics") or ()), clean(row.get("citation")).strip()]


class MarkdownEntries:
    """A chronicle's rows as Markdown: 「## 四月」 when the month changes, each entry a list item."""

    def __init__(self, escape):
        self.escape = escape
        self.month = object()

    def __call__(self, n: int, row: Mapping) -> str:
        out = ""
        if row.get("month") != self.month:
            self.month = row.get("month")
            out += f"## {month_label(self.month)}\n\n"
        label, text = entry_line(row)
        out += f"- **{self.escape(label)}**{GAP}{self.escape(text)}\n" if label else f"- {self.escape(text)}\n"
        cites = citations_line(row)
        if cites:
            out += f"\n  > {self.escape(cites)}\n"
        return out + "\n"
