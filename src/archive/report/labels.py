"""The words every report writer prints: issue, page, date and condition labels, and the table columns.

All four writers (DOCX, XLSX, CSV, Markdown) take their labels from here, so a hit reads the same
in each of them:

    issue_label   2021年第5期 · 2021年第5-6期合刊 · 2021年增刊
    page_label    第2页 · 第2–3页
    date_label    2021年4月16日 · 2021年4月 · 2021年
    conditions    检索词：党史；单位：云铝文山；日期：2021年1月至2021年6月

Rows are plain dicts (a search hit, or an activity with ``unit`` and ``activity``); a missing key
is treated as empty, never as an error.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Mapping

from ..store import citation

COLUMNS = ("日期", "期号", "页码", "栏目", "标题", "单位", "作者", "正文", "引用", "GB/T")
TABLE_COLUMNS = ("序号", "期号", "日期", "单位", "内容", "页码")  # the table layout (DOCX, Markdown)

# characters XML 1.0 (and so DOCX and XLSX) cannot hold: C0 controls but tab/LF/CR, lone surrogates,
# U+FFFE/U+FFFF. A PDF's text layer can carry them; they are dropped.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


def clean(value: Any) -> str:
    """A printable string: None → "", XML-illegal characters dropped, CRLF → LF."""
    if value is None:
        return ""
    return _ILLEGAL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))


def parse_date(value: Any) -> tuple[dt.date | None, str]:
    """("2021-04-16" → (date, "day"), "2021-04" → (1 April, "month"), "2021" → (1 January, "year")).

    None or an unreadable string → (None, "")."""
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    m = _DATE.match(clean(value))
    if not m:
        return None, ""
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    try:
        return dt.date(year, month, day), ("day" if m[3] else "month" if m[2] else "year")
    except ValueError:
        return None, ""


def date_label(value: Any) -> str:
    """2021年4月16日 / 2021年4月 / 2021年; an unreadable date is shown as given."""
    d, precision = parse_date(value)
    if d is None:
        return clean(value).strip()
    if precision == "day":
        return f"{d.year}年{d.month}月{d.day}日"
    if precision == "month":
        return f"{d.year}年{d.month}月"
    return f"{d.year}年"


def excel_date(value: Any) -> tuple[Any, str | None]:
    """(cell value, number format) for a spreadsheet: a real date for a day, the 1st of the month
    shown as yyyy-mm for a month-only date, 1 January shown as yyyy for a year; text if unreadable."""
    d, precision = parse_date(value)
    if d is None:
        text = clean(value).strip()
        return (text or None), None
    return d, {"day": "yyyy-mm-dd", "month": "yyyy-mm", "year": "yyyy"}[precision]


def iso_date(value: Any) -> str:
    """The date as ISO text at its own precision (2021-04-16, 2021-04, 2021), for CSV."""
    d, precision = parse_date(value)
    if d is None:
        return clean(value).strip()
    return {"day": d.isoformat(), "month": f"{d.year:04d}-{d.month:02d}", "year": f"{d.year:04d}"}[precision]


def issue_label(row: Mapping) -> str:
    """2021年第5期; 2021年第5-6期合刊 (number_end); 2021年增刊 (special, + 第N期 if numbered): the
    citation's issue label (store.citation), without 总第N期. A document that is not the bulletin:
    《its title》, else its file's name."""
    if row.get("collection") == "other":
        title = clean(row.get("doc_title")).strip()
        return f"《{title}》" if title else clean(citation.document_name(row)).strip()
    return citation.issue_label(row.get("year"), row.get("number"), row.get("number_end"),
                                clean(row.get("special")).strip() or None)


def page_label(row: Mapping) -> str:
    """第2页, 第2–3页 (en dash, as the citations print it), or "" when the page is unknown."""
    return citation.pages_cn(row.get("page_start"), row.get("page_end"))


def title_label(row: Mapping) -> str:
    """栏目 › 标题 (either alone when the other is empty)."""
    parts = [clean(row.get(k)).strip() for k in ("section", "heading")]
    return " › ".join(p for p in parts if p)


def heading_label(row: Mapping) -> str:
    """The row's own title: its heading, else its section's title ("" when it has neither)."""
    return clean(row.get("heading")).strip() or clean(row.get("section")).strip()


def info_label(row: Mapping) -> str:
    """栏目：践·铝之行；日期：2021年4月16日；期号：2021年第5期；页码：第2–3页；单位：…；作者：… —
    the set ones, as an office writes them (the section only when the heading is not it)."""
    section = clean(row.get("section")).strip()
    pairs = [("栏目", section if section != heading_label(row) else ""), ("日期", date_label(row.get("date"))),
             ("期号", issue_label(row)), ("页码", page_label(row)), ("单位", unit_label(row)),
             ("作者", clean(row.get("author")).strip())]
    return "；".join(f"{k}：{v}" for k, v in pairs if v)


def unit_label(row: Mapping) -> str:
    """The activity's one unit when the row has one, else the item's units joined with 、."""
    unit = clean(row.get("unit")).strip()
    if unit:
        return unit
    seen: list[str] = []
    for u in row.get("units") or ():
        u = clean(u).strip()
        if u and u not in seen:
            seen.append(u)
    return "、".join(seen)


def body_text(row: Mapping) -> str:
    """The activity sentence when the row carries one, else the sentence(s) a hit matched, else
    the item's text."""
    activity = clean(row.get("activity")).strip() or clean(row.get("excerpt")).strip()
    return activity or clean(row.get("text")).strip()


WHOLE_LABEL = "全文"


def whole_text(row: Mapping) -> str:
    """The item's whole text, when the report asked for it after the matched sentence(s)."""
    return clean(row.get("whole_text")).strip()


def columns(meta) -> tuple[str, ...]:
    """The table's columns: COLUMNS, and 全文 after 正文 when the report holds each item's whole text."""
    if not getattr(meta, "whole", False):
        return COLUMNS
    at = COLUMNS.index("正文") + 1
    return COLUMNS[:at] + (WHOLE_LABEL,) + COLUMNS[at:]


def table_cells(row: Mapping, meta=None) -> list[Any]:
    """One value per column (`columns(meta)`); the date is left as the row has it (each writer
    formats it)."""
    cells = [row.get("date"), issue_label(row), page_label(row), clean(row.get("section")).strip(),
             clean(row.get("heading")).strip(), unit_label(row), clean(row.get("author")).strip(),
             body_text(row), clean(row.get("citation")).strip(), clean(row.get("citation_gbt")).strip()]
    if getattr(meta, "whole", False):
        cells.insert(COLUMNS.index("正文") + 1, whole_text(row) or body_text(row))
    return cells


def table_layout_cells(n: int, row: Mapping) -> list[str]:
    """One value per TABLE_COLUMNS entry: 序号, 期号, 日期 (2021-04-16: a narrow column), 单位, 内容
    (the row's title, then its text or activity sentence), 页码 (2–3: the column says 页码)."""
    title = heading_label(row)
    text = body_text(row)
    content = f"{title}\n{text}" if title and text else title or text
    pages = page_label(row).removeprefix("第").removesuffix("页")
    return [str(n), issue_label(row), iso_date(row.get("date")), unit_label(row), content, pages]


def date_range_label(date_from: str | None, date_to: str | None) -> str:
    """2021年1月至2021年6月 · 2021年1月起 · 截至2021年6月 · "" (no range)."""
    start, end = date_label(date_from) if date_from else "", date_label(date_to) if date_to else ""
    if start and end:
        return start if start == end else f"{start}至{end}"
    if start:
        return f"{start}起"
    if end:
        return f"截至{end}"
    return ""


def _value_label(value: Any) -> str:
    if isinstance(value, (list, tuple, set, frozenset)):
        return "、".join(clean(v).strip() for v in value if clean(v).strip())
    return clean(value).strip()


def condition_pairs(meta) -> list[tuple[str, str]]:
    """[(name, value)] of the conditions that are set: 检索词, each filter, 日期."""
    pairs = []
    query = clean(meta.query).strip()
    if query:
        pairs.append(("检索词", query))
    for name, value in (meta.filters or {}).items():
        text = _value_label(value)
        if text:
            pairs.append((clean(name).strip(), text))
    dates = date_range_label(meta.date_from, meta.date_to)
    if dates:
        pairs.append(("日期", dates))
    return pairs


def conditions_label(meta) -> str:
    """检索词：党史；单位：云铝文山；日期：2021年1月至2021年6月 (全部条目 when nothing is set)."""
    pairs = condition_pairs(meta)
    return "；".join(f"{k}：{v}" for k, v in pairs) if pairs else "全部条目（未设检索条件）"


def count_label(n: int) -> str:
    return f"共 {n} 条"


def kind_label(kind: str) -> str:
    return {"activities": "活动记录", "chronicle": "大事记"}.get(kind, "检索结果")


def generated_label(when: dt.datetime) -> str:
    """2024年5月1日 14:30 (the wall time it was given; no time-zone conversion)."""
    return f"{when.year}年{when.month}月{when.day}日 {when.hour:02d}:{when.minute:02d}"


EMPTY_LABEL = "没有符合条件的结果"
