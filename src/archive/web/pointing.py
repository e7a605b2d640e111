"""What a hit points at, on the pages a hit links to: the item page marks the matched sentence(s)
and cites their pages; the page view boxes the matched words (and the item lightly). Both take the
search the hit came from as the hit's links carry it (?q=…&unit=…) and ask search.focus, as the
search page did. And what readers see of units: the registered ones (a unit the parser found is a
suggestion for editors, in the review queue)."""
from __future__ import annotations

from flask import request

from ..errors import QueryError, ReportError
from ..search.focus import Focus, focus
from ..search.query import parse
from ..search.searcher import focus_units, highlight_terms
from ..search.spec import SearchSpec
from ..store.citation import for_hit
from ..store.spans import span_boxes
from .db import get_db
from .searching import registry


def request_focus(item: dict, q: str, unit: str | None) -> Focus | None:
    """What a hit of this search points at in `item` (None: no search, or one that cannot be read)."""
    if not (q or "").strip() and not unit:
        return None
    reg = registry()
    try:
        parsed = parse(q or "")
    except QueryError:
        return None
    terms = highlight_terms(parsed, reg)
    units = focus_units(parsed, SearchSpec(q or "", unit=unit or None), reg)
    acts = get_db().item_activities([item["id"]]).get(item["id"], []) if units else []
    return focus(item, terms, units, acts, [n for u in units for n in reg.names_for(u)])


def focus_citation(item: dict, f: Focus | None) -> tuple[str, str] | None:
    """The citation of the sentence(s) a hit points at, when it is printed on fewer pages than the
    item (else the item's own says it)."""
    if f is None or not f.excerpt:
        return None
    pages = f.excerpt_pages(item)
    if (min(pages), max(pages)) == (item["page_start"], item["page_end"]):
        return None
    return for_hit(item, (min(pages), max(pages)))


def word_boxes(item: dict, f: Focus | None, page: int) -> list[list[float]]:
    """The boxes, on this page, of the words a hit points at."""
    if f is None:
        return []
    return [b for s, e in f.words for b in span_boxes(item, s, e, page)]


def mark_boxes(item: dict, terms_focus: Focus | None, page: int) -> list[list[float]]:
    """The boxes, on this page, of every match of the search in the item (another item than the
    one the hit is about)."""
    if terms_focus is None:
        return []
    return [b for s, e in terms_focus.marks for b in span_boxes(item, s, e, page)]


def reader_units(names: list[str]) -> list[str]:
    """The units a reader sees of these: the registered ones (and their aliases)."""
    reg = registry()
    return [n for n in names if reg.registered(n)]


def registered(name: str) -> bool:
    return registry().registered(name)


def unit_counts_seen() -> list[tuple[str, int]]:
    """The registered units with the number of items of the bulletin naming them."""
    reg = registry()
    return [(u, n) for u, n in get_db().unit_counts() if reg.registered(u)]


def unit_collection() -> str | None:
    """The documents a unit's page or report covers: the bulletin's (the default), the other
    documents' (?collection=other) or all (?collection=all)."""
    value = request.args.get("collection", "").strip()
    if value in ("", "bulletin"):
        return "bulletin"
    if value == "all":
        return None
    if value == "other":
        return "other"
    raise ReportError(f"unknown collection {value[:40]!r}", "bad_collection", value=value[:40])
