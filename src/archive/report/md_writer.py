"""Markdown report, for pasting into chat tools: a heading, the conditions, a numbered list.

    # 检索结果：党史

    检索词：党史；单位：云铝文山

    1. **2021年4月16日 · 2021年第5期 · 践·铝之行 › 党史学习教育进行篇**

       正文……

       > 《中铝股份党群工作》2021年第5期（总第5期），第2–3页

    共 1 条（生成时间：2024年5月1日 14:30）

Items are separated by blank lines (a "loose" list), which every renderer shows as lines of their
own, where a soft break would be joined. The count comes last, since the rows stream. Text is
escaped so that a `*`, `_`, `[`… in it is shown, not read as Markdown. ``meta.layout == "table"``:
one pipe table instead (序号 | 期号 | 日期 | 单位 | 内容 | 页码), a cell's lines joined by <br>."""
from __future__ import annotations

import io
import re
from typing import BinaryIO, Iterable, Mapping

from .labels import (EMPTY_LABEL, TABLE_COLUMNS, WHOLE_LABEL, body_text, clean, conditions_label, count_label, date_label,
                     generated_label, issue_label, page_label, table_layout_cells, title_label, whole_text)
from .meta import ReportMeta

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)([#+=>-]|\d+(?=[.)]))", re.M)


def escape(text: str) -> str:
    """Backslash-escape what Markdown would read as markup (inline marks anywhere; headings,
    list markers, quotes and rules at a line's start; entities)."""
    text = _INLINE.sub(r"\\\1", clean(text))
    text = _ENTITY.sub(r"\\&", text)
    return _LINE_START.sub(lambda m: m[1] + (m[2] + "\\" if m[2][0].isdigit() else "\\" + m[2]), text)


def _item(n: int, row: Mapping) -> str:
    pad = " " * len(f"{n}. ")
    head = " · ".join(escape(p) for p in (date_label(row.get("date")), issue_label(row), title_label(row)) if p)
    lines = [f"{n}. **{head}**" if head else f"{n}. （无标题）"]
    for para in body_text(row).split("\n"):
        if para.strip():
            lines += ["", pad + escape(para.strip())]
    whole = whole_text(row)
    if whole:  # the item the sentence was found in, after it
        start, end = row.get("item_pages") or (row.get("page_start"), row.get("page_end"))
        lines += ["", f"{pad}*{WHOLE_LABEL}（{page_label({'page_start': start, 'page_end': end})}）：*"]
        for part in whole.split("\n"):
            if part.strip():
                lines += ["", pad + escape(part.strip())]
    citation = clean(row.get("citation")).strip()
    if citation:
        lines += ["", f"{pad}> {escape(citation)}"]
    return "\n".join(lines) + "\n\n"


def _table_row(cells) -> str:
    return "| " + " | ".join("<br>".join(escape(line) for line in str(c).split("\n") if line.strip())
                             for c in cells) + " |\n"


def write_md(rows: Iterable[Mapping], meta: ReportMeta, out: BinaryIO) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    n = 0
    try:
        text.write(f"# {escape(meta.title)}\n\n{escape(conditions_label(meta))}\n\n")
        table = meta.layout == "table" and meta.kind != "chronicle"
        item = _item
        if meta.kind == "chronicle":  # the 大事记 (report/chronicle_layout.py)
            from .chronicle_layout import MarkdownEntries
            item = MarkdownEntries(escape)
        for row in rows:
            n += 1
            if table and n == 1:
                text.write(_table_row(TABLE_COLUMNS) + "|" + "---|" * len(TABLE_COLUMNS) + "\n")
            text.write(_table_row(table_layout_cells(n, row)) if table else item(n, row))
        if table and n:
            text.write("\n")
        if not n:
            text.write(f"{EMPTY_LABEL}。\n\n")
        text.write(f"{count_label(n)}（生成时间：{generated_label(meta.generated)}）\n")
        text.flush()
    finally:
        text.detach()
    return n
