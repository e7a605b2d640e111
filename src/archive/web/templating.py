"""What templates call (Jinja globals): an issue's label, the search URL with a field changed, a
report URL of the current search, a text with the query's matches marked, a correction's words."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import request, url_for
from markupsafe import Markup

from ..messages import change_words
from ..search.highlight import match_spans, snippet
from ..search.spec import URL_KEYS
from ..store.citation import issue_label as label_of
from ..store.citation import pages_cn
from ..store.rows import BULLETIN, OTHER
from .textdiff import char_diff

SEARCH_KEYS = tuple(URL_KEYS.values())  # q, unit, section, year, from, to, sort


def issue_label(r) -> str:
    """2021年第5期（总第5期）; a document that is not the bulletin: 《its title》, else its file's name."""
    if r is None:
        return ""
    keys = r.keys() if hasattr(r, "keys") else r
    if "collection" in keys and r["collection"] == OTHER:
        title = (r.get("doc_title") or r.get("title") or "").strip()
        return f"《{title}》" if title else (r.get("original_name") or r.get("issue") or r.get("id") or "")
    return label_of(r["year"], r["number"], r["number_end"] if "number_end" in keys else None,
                       r["special"] if "special" in keys else None, r["total_number"]) or \
        (r["issue"] if "issue" in keys else r["id"])  # an item or activity names its issue "issue"


def url_with(**changes) -> str:
    """The current search URL with some parameters changed (None removes one); back to page 1."""
    args = {k: v for k, v in request.args.items() if k in SEARCH_KEYS and v}
    for k, v in changes.items():
        k = k.rstrip("_")  # from_= → from
        if v is None or v == "":
            args.pop(k, None)
        else:
            args[k] = str(v)
    return url_for("browse.search") + ("?" + urlencode(args) if args else "")


def report_url(fmt: str, activities: bool = False, layout: str | None = None, whole: bool = False) -> str:
    """The current search as a report to download (web/reports.py); layout="table": one table;
    `whole`: each hit's whole item after its matched sentence."""
    args = {k: v for k, v in request.args.items() if k in SEARCH_KEYS and v}
    if activities:
        args["activities"] = "1"
    if layout:
        args["layout"] = layout
    if whole:
        args["whole"] = "1"
    return url_for("reports.search_download", fmt=fmt) + ("?" + urlencode(args) if args else "")


def mark(text: str | None, terms: list[str]) -> Markup:
    """A title or text, escaped, with the query's matches in <mark>."""
    text = text or ""
    return Markup(snippet(text, match_spans(text, terms), window=10**9))


def template_helpers() -> dict:
    return {"issue_label": issue_label, "url_with": url_with, "pages_cn": pages_cn, "mark": mark,
            "report_url": report_url, "char_diff": char_diff, "COLLECTION_CN": COLLECTION_CN,
            "change_words": lambda op, field=None: change_words(op, field, "zh")}


COLLECTION_CN = {BULLETIN: "《中铝股份党群工作》", OTHER: "其他文件"}  # the collections, as readers read them
