"""What a report holds: the rows of a search (its hits, or their activities) or of a unit's
activities, and the words that say what was asked. The CLI's `archive report` and the web's
download buttons both ask here, so a report made either way is the same document.

    spec = ReportSpec(SearchSpec("党史", unit="云铝文山", date_from="2021-01"), activities=True)
    count, rows, meta = search_report(searcher, spec)      # rows: an iterator, read once
    write_report(rows, meta, "docx", "党史.docx")

Bad input is a ReportError (exit 2 / HTTP 400): a unit nobody knows, a date that is no date, a
range that ends before it starts; a query the search refuses is its QueryError."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator

from ..errors import ArchiveError, ReportError
from ..search.query import date_bounds
from ..search.spec import SearchSpec
from ..store.citation import for_hit
from .meta import ReportMeta


SUGGESTIONS = 3  # names offered for a unit nobody knows


@dataclass(frozen=True)
class ReportSpec:
    """A search (as the search page and `archive search` take it) made into a report."""
    search: SearchSpec
    activities: bool = False  # one row per activity (of the unit asked for, if one is) instead of per hit
    layout: str = "list"  # or "table" (ReportMeta.layout)
    whole: bool = False  # each hit's whole item too, after its matched sentence(s)


def check_dates(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    """The range's first and last day (ISO), either end open; ReportError for a bad one."""
    try:
        lo = date_bounds(date_from)[0] if date_from else None
        hi = date_bounds(date_to)[1] if date_to else None
    except ArchiveError as exc:
        raise ReportError(str(exc), exc.kind, **exc.params) from None
    if lo and hi and lo > hi:
        raise ReportError(f"--from {date_from} is after --to {date_to}", "from_after_to", start=date_from,
                          end=date_to)
    return lo, hi


def known_unit(records, registry, name: str) -> str:
    """The canonical name of a unit given by any of its names; ReportError if neither the registry
    nor any item knows it."""
    name = name.strip()
    canonical = registry.canonical.get(name) if registry is not None else None
    if canonical:
        return canonical
    found = records.unit_canonical(name)
    if found:
        return found
    known = set(registry.canonical.values()) if registry is not None else set()
    known |= {u for u, _ in records.unit_counts()}
    raise ReportError(f"no unit is called {name!r} (see `archive units`)", "unknown_unit", unit=name,
                      suggestions=closest_names(name, known))


def closest_names(name: str, known, n: int = SUGGESTIONS) -> list[str]:
    """The registered names most like `name`: those containing it (兰州 → 兰州铝业) first, then those
    difflib finds close."""
    import difflib
    known = sorted(known)
    holding = sorted((k for k in known if name and name in k), key=lambda k: (len(k), k))
    close = difflib.get_close_matches(name, known, n=n, cutoff=0.5)
    return list(dict.fromkeys(holding + close))[:n]


COLLECTION_CN = {"bulletin": "《中铝股份党群工作》", "other": "其他文件"}


def _filters(spec: SearchSpec) -> dict:
    return {"单位": spec.unit, "栏目": spec.section, "年份": spec.year,
            "范围": COLLECTION_CN.get(spec.collection or "", spec.collection), "专题": spec.topic}


def hit_row(hit: dict, whole: bool = False) -> dict:
    """A search hit as a report row: the sentence(s) it matched first, cited by their own pages
    (`excerpt`, page_start/page_end); the item's whole text after it (`whole_text`) when asked."""
    row = dict(hit)
    pages = hit.get("excerpt_pages")
    if hit.get("excerpt"):
        row["excerpt"] = hit["excerpt"]
        row["units"] = [u for u in hit.get("units") or () if u in hit["excerpt"]] or hit.get("units")
    if pages:
        row["item_pages"] = (hit.get("page_start"), hit.get("page_end"))
        row["page_start"], row["page_end"] = min(pages), max(pages)
        row["citation"], row["citation_gbt"] = for_hit(row)
    if whole and (hit.get("text") or "").strip() != (hit.get("excerpt") or "").strip():
        row["whole_text"] = hit.get("text")
    return row


def _title(spec: SearchSpec, kind: str, unit: str | None = None) -> str:
    what = "活动记录" if kind == "activities" else "检索结果"
    topic = spec.query.strip() or unit or spec.section or (f"{spec.year}年" if spec.year else "") or "全部条目"
    return f"{unit}{what}" if unit and not spec.query.strip() else f"{what}：{topic}"


def activity_row(act: dict) -> dict:
    """An activity as a report row: its item's fields, its own pages (and the citation of them),
    its unit(s) and its sentence."""
    row = {k: act.get(k) for k in ("issue", "publication", "year", "number", "number_end", "special", "total_number",
                                   "date", "publisher", "section", "heading", "kind", "author", "source")}
    # "date" is the activity's own (store/event_dates.py); the citation is the issue's
    row.update(id=act["item"], units=act["units"], unit="、".join(act["units"]), activity=act["text"],
               text=act["item_text"], page_start=act["page_start"], page_end=act["page_end"])
    row["citation"], row["citation_gbt"] = for_hit(row)
    return row


def within(date: str | None, lo: str | None, hi: str | None) -> bool:
    """Is an ISO date (a day, or a month: in the range if its month is) within lo..hi (ISO days)?"""
    if not lo and not hi:
        return True
    if not date:
        return False
    return (not lo or date >= lo[:len(date)]) and (not hi or date <= hi)


def search_report(searcher, report: ReportSpec, generated: dt.datetime | None = None) -> tuple[int, Iterator[dict], ReportMeta]:
    """A search as a report: (rows, or hits when not by activity, the rows, its meta)."""
    spec = report.search
    if report.activities and spec.collection is None:  # units' activities: the bulletin's, unless asked
        spec = spec.but(collection="bulletin")
    lo, hi = check_dates(spec.date_from, spec.date_to)
    unit = known_unit(searcher.records, searcher.registry, spec.unit) if spec.unit else None
    topic = None
    if spec.topic:
        from .chronicle import known_topic
        topic = known_topic(searcher.topics, spec.topic)
        spec = spec.but(topic=topic)
    if report.activities and (lo or hi):  # the activities' own dates decide, not their issues'
        total, hits = searcher.iter_hits(spec.but(date_from=None, date_to=None))
    else:
        total, hits = searcher.iter_hits(spec)
    kind = "activities" if report.activities else "hits"
    meta = ReportMeta(title=_title(spec, kind, unit), generated=generated or dt.datetime.now(), query=spec.query,
                      filters=_filters(spec), date_from=spec.date_from, date_to=spec.date_to, kind=kind,
                      layout=report.layout, whole=report.whole and not report.activities)
    if not report.activities:
        return total, (hit_row(h, report.whole) for h in hits), meta
    return total, activities_of_hits(searcher.records, hits, unit, topic=topic, dates=(lo, hi)), meta


def activities_of_hits(records, hits: Iterator[dict], unit: str | None, batch: int = 200,
                       topic: str | None = None, dates: tuple[str | None, str | None] = (None, None)) -> Iterator[dict]:
    """The activities of the hits' items, in the hits' order (only the unit's, the topic's and those
    dated within `dates` — ISO days, by their own dates — if given)."""
    chunk: list[dict] = []

    def flush():
        acts = records.item_activities([h["id"] for h in chunk])
        for h in chunk:
            for act in acts.get(h["id"], []):
                if (unit is None or unit in act["canonical"]) and (topic is None or topic in act["topics"]) \
                        and within(act["date"], *dates):
                    yield activity_row(act)
    for hit in hits:
        chunk.append(hit)
        if len(chunk) >= batch:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()


def unit_report(records, registry, name: str, date_from: str | None = None, date_to: str | None = None,
                generated: dt.datetime | None = None, collection: str | None = "bulletin", layout: str = "list",
                topic: str | None = None, topics=None) -> tuple[int, Iterator[dict], ReportMeta]:
    """A unit's activities, newest first by their own dates, within a date range (of one topic,
    given `topic` and the vocabulary `topics`: the bulletin's): (how many, rows, meta); in the
    bulletin (`collection` "other": in the other documents; None: in both)."""
    lo, hi = check_dates(date_from, date_to)
    unit = known_unit(records, registry, name)
    if topic:
        from .chronicle import known_topic
        topic = known_topic(topics, topic)
    meta = ReportMeta(title=f"{unit}活动记录", generated=generated or dt.datetime.now(),
                      filters={"单位": unit, "范围": None if collection == "bulletin" else
                               COLLECTION_CN.get(collection or "", "全部文件"), "专题": topic},
                      date_from=date_from, date_to=date_to, kind="activities", layout=layout)
    if topic:
        count = records.activity_count(lo, hi, unit, topic)
        acts = records.iter_activities(lo, hi, unit, topic, newest_first=True)
    else:
        count = records.unit_activity_count(unit, lo, hi, collection)
        acts = records.iter_unit_activities(unit, lo, hi, collection=collection)
    return count, (activity_row(a) for a in acts), meta
