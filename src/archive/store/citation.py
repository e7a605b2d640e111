"""How to cite an item: the form readers of the bulletin use, and GB/T 7714-2015 (periodical, [J]).

    citation     《中铝股份党群工作》2021年第5期（总第5期），第3–4页
    citation_gbt 党群工作部. 践·铝之行：党史学习教育进行篇[J]. 中铝股份党群工作, 2021(5): 3-4.

A combined issue (合刊) cites as 2021年第5-6期合刊 and 2021(5/6); a supplement as 2021年增刊 and 2021(增刊).
A document that is not the bulletin (imported with it, no masthead) is never cited as the bulletin:
by its own title (its first title line, else its file's name) and page —

    citation     《纪律处分决定书》，第1–2页        (a file's name: SCAN_decision.pdf，第1页)
    citation_gbt 纪律处分决定书[Z]: 1-2.
"""
from __future__ import annotations

import re

DEFAULT_PUBLICATION = "中铝股份党群工作"
MAX_GBT_AUTHORS = 3  # GB/T 7714: list the first three, then ", 等"


def _pub(publication: str | None) -> str:
    return (publication or DEFAULT_PUBLICATION).strip().strip("《》")


def pages_cn(page_start: int | None, page_end: int | None) -> str:
    if not page_start:
        return ""
    if page_end and page_end != page_start:
        return f"第{page_start}–{page_end}页"
    return f"第{page_start}页"


def pages_gbt(page_start: int | None, page_end: int | None) -> str:
    if not page_start:
        return ""
    if page_end and page_end != page_start:
        return f"{page_start}-{page_end}"
    return str(page_start)


def issue_label(year: int | None, number: int | None, number_end: int | None = None, special: str | None = None,
                total_number: int | None = None) -> str:
    """2021年第5期（总第5期）, 2021年第5-6期合刊, 2021年增刊, 2019年特刊第2期 — unknown parts left out."""
    out = f"{year}年" if year else ""
    if special:
        out += special
    if number:
        out += f"第{number}-{number_end}期合刊" if number_end and number_end != number else f"第{number}期"
    if total_number:
        out += f"（总第{total_number}期）"
    return out


def number_gbt(number: int | None, number_end: int | None = None, special: str | None = None) -> str:
    """The issue in GB/T 7714's parentheses: 5, 5/6 for a combined issue, 增刊 for a supplement."""
    if number:
        return f"{number}/{number_end}" if number_end and number_end != number else str(number)
    return special or ""


def citation(publication: str | None, year: int | None, number: int | None, total_number: int | None,
             page_start: int | None, page_end: int | None, number_end: int | None = None,
             special: str | None = None) -> str:
    """《中铝股份党群工作》2021年第5期（总第5期），第3页 — parts that are unknown are left out."""
    out = f"《{_pub(publication)}》" + issue_label(year, number, number_end, special, total_number)
    pages = pages_cn(page_start, page_end)
    if pages:
        out += f"，{pages}"
    return out


def gbt_authors(author: str | None, fallback: str | None) -> str:
    names = [a.strip() for a in re.split(r"[、，,;；]", author or "") if a.strip()]
    if not names:
        return (fallback or "").strip()
    shown = ", ".join(names[:MAX_GBT_AUTHORS])
    return shown + (", 等" if len(names) > MAX_GBT_AUTHORS else "")


def gbt_title(section: str | None, heading: str | None, text: str | None = None) -> str:
    section, heading = (section or "").strip(), (heading or "").strip()
    if section and heading:
        return f"{section}：{heading}"
    if section or heading:
        return section or heading
    first = re.split(r"[。！？!?]", (text or "").strip(), maxsplit=1)[0]
    return first[:30] + ("…" if len(first) > 30 else "")


def citation_gbt(publication: str | None, year: int | None, number: int | None, page_start: int | None,
                 page_end: int | None, section: str | None = None, heading: str | None = None,
                 author: str | None = None, publisher: str | None = None, text: str | None = None,
                 number_end: int | None = None, special: str | None = None) -> str:
    """党群工作部. 践·铝之行：党史学习教育进行篇[J]. 中铝股份党群工作, 2021(5): 3-4.

    The author is the item's signed author(s), else the issue's publisher (the responsible body)."""
    parts = []
    who = gbt_authors(author, publisher)
    if who:
        parts.append(f"{who}. ")
    parts.append(f"{gbt_title(section, heading, text)}[J]. {_pub(publication)}")
    if year:
        parts.append(f", {year}")
        issue = number_gbt(number, number_end, special)
        if issue:
            parts.append(f"({issue})")
    pages = pages_gbt(page_start, page_end)
    if pages:
        parts.append(f": {pages}")
    return "".join(parts) + "."


def document_citation(title: str | None, file_name: str | None, page_start: int | None,
                      page_end: int | None) -> tuple[str, str]:
    """Both forms for a document that is not the bulletin: its title (else its file's name) and pages."""
    title = (title or "").strip().strip("《》")
    name = f"《{title}》" if title else ((file_name or "").strip() or "未命名文件")
    pages = pages_cn(page_start, page_end)
    gbt = f"{title or name}[Z]"
    if pages_gbt(page_start, page_end):
        gbt += f": {pages_gbt(page_start, page_end)}"
    return (f"{name}，{pages}" if pages else name), gbt + "."


def document_name(hit: dict) -> str:
    """What a document that is not the bulletin is called: its title, else its file's name."""
    return (hit.get("doc_title") or "").strip() or (hit.get("original_name") or "").strip() or str(hit.get("issue") or "")


def import_name(fields: dict) -> str:
    """An import as people name it: 《中铝股份党群工作》2021年第5期（总第5期）, or 其他文件《纪律处分决定书》
    (a document that is not the bulletin, by its title, else its file's name). `fields`: an issue's
    row (title, collection, original_name…) or an item's (doc_title…)."""
    if fields.get("collection") == "other":
        title = (fields.get("title") or fields.get("doc_title") or "").strip().strip("《》")
        return f"其他文件《{title}》" if title else f"其他文件 {fields.get('original_name') or fields.get('id') or ''}".strip()
    label = issue_label(fields.get("year"), fields.get("number"), fields.get("number_end"), fields.get("special"),
                        fields.get("total_number"))
    return f"《{_pub(fields.get('publication'))}》{label}"


def for_hit(hit: dict, pages: tuple[int, int] | None = None) -> tuple[str, str]:
    """Both forms for a hit/record dict with the usual keys; `pages` (first, last) cites those
    pages instead of the item's whole span (the pages of the words a search matched)."""
    start, end = pages if pages else (hit.get("page_start"), hit.get("page_end"))
    if hit.get("collection") == "other":
        return document_citation(hit.get("doc_title"), hit.get("original_name"), start, end)
    return (citation(hit.get("publication"), hit.get("year"), hit.get("number"), hit.get("total_number"),
                     start, end, hit.get("number_end"), hit.get("special")),
            citation_gbt(hit.get("publication"), hit.get("year"), hit.get("number"), start,
                         end, hit.get("section"), hit.get("heading"), hit.get("author"),
                         hit.get("publisher"), hit.get("text"), hit.get("number_end"), hit.get("special")))
