"""A year's 大事记 (chronicle): what the units did, month by month, each entry 「4月15日　兰州铝业组织……」
with its citation (issue, pages), in the order of the activities' own dates (store/event_dates.py).

    count, rows, meta = chronicle_report(records, registry, topics, 2021, unit="兰州铝业", topic="党史学习教育")
    write_report(rows, meta, "docx", "2021年大事记.docx")    # report/chronicle_layout.py lays it out

The same event reported twice — by two issues, or twice in one — is one entry with both
citations: the same units, the same date, and texts alike to DUPLICATE_SIMILARITY or more once the
date phrase and punctuation are left out. An entry is its activity's text from its first words
after the date (「4月15日，」 and 「于4月15日」 go: the entry's date says it), the units put before
it where the text does not open with one, cut after ENTRY_CHARS at a sentence's end. Activities of
signed items (a reflection 「（山西中润 吴昊）」) are no events and are left out. In a month the
entries of a day come first, in date order, then those known to the month only (「4月下旬」, or
dated by their issue alone: 近日, or no date), labelled with the month."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ..chars import SENTENCE_ENDS
from ..errors import ReportError
from ..store.citation import for_hit
from ..store.event_dates import DATE, month_day_label
from .build import known_unit
from .meta import ReportMeta

DUPLICATE_SIMILARITY = 0.85  # difflib ratio of two entries' texts (date phrase and punctuation left out)
UNIT_WITHIN = 16  # an entry that names none of its units this near its start has them put before it
ENTRY_CHARS = 160  # an entry longer than this is cut at the last sentence end before it (or here, with ……)
LEAD = re.compile(r"^(?:近日|日前|近期|前不久|不久前|最近|当天|同日)[，,]\s*")
PUNCT = re.compile(r"[\s，。、；：！？,.;:!?“”‘’\"'（）()《》「」—…-]+")


@dataclass
class Entry:
    """One line of the 大事记: a date, the units, what they did, and where it is printed (one
    source per report of it)."""
    date: str | None
    date_source: str
    units: list[str]
    text: str
    topics: list[str]
    sources: list[dict] = field(default_factory=list)
    key_text: str = ""

    @property
    def label(self) -> str:
        """4月15日 (a day the text gives), 4月 (a month, or an issue's date standing for the day)."""
        if self.date_source == "issue" and self.date:
            return month_day_label(self.date[:7])
        return month_day_label(self.date)

    @property
    def month(self) -> int | None:
        return int(self.date[5:7]) if self.date and len(self.date) >= 7 else None

    def row(self) -> dict:
        """The entry as a report row (report/chronicle_layout.py): date, label, month, units, text,
        topics, each source's citation and the citations joined."""
        cites = [s["citation"] for s in self.sources]
        first = self.sources[0]
        return {"date": self.date, "date_source": self.date_source, "date_label": self.label, "month": self.month,
                "units": self.units, "unit": "、".join(self.units), "text": self.text, "activity": self.text,
                "topics": self.topics, "sources": self.sources, "citations": cites, "citation": "；".join(cites),
                "citation_gbt": "", "issue": first["issue"], "item": first["item"],
                **{k: first[k] for k in ("year", "number", "number_end", "special", "page_start", "page_end")}}


def entry_text(text: str, units: list[str]) -> str:
    """The activity's words as an entry: its date phrase (when it leads, after 截至/自 too, or
    follows 于/在) left out, the units (as printed) put first where none is named near its start,
    cut after ENTRY_CHARS."""
    text = text.strip()
    m = DATE.search(text)
    if m and m.group(0).strip():
        before, after = text[:m.start()], text[m.end():]
        if before.strip() in ("", "截至", "截止", "自", "从") and after[:1] in "，,":
            text = after[1:].lstrip()
        elif before.endswith(("于", "在")) and before[:-1].strip():
            text = before[:-1] + after
    text = LEAD.sub("", text)
    if units and not any(u in text[:UNIT_WITHIN] for u in units):
        text = f"{'、'.join(dict.fromkeys(units))}：{text}"
    return shorten(text)


def shorten(text: str, limit: int = ENTRY_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = max(text.rfind(ch, 0, limit) for ch in SENTENCE_ENDS)
    return text[:cut + 1] if cut >= limit // 3 else text[:limit].rstrip("，、；：") + "……"


def comparable(text: str) -> str:
    """What two reports of one event are compared by: the entry's text without punctuation."""
    return PUNCT.sub("", text)


def same_event(a: Entry, b: Entry) -> bool:
    """The same units on the same date doing what reads alike (DUPLICATE_SIMILARITY)."""
    if a.date != b.date or set(a.units) != set(b.units):
        return False
    if a.key_text == b.key_text:
        return True
    return difflib.SequenceMatcher(None, a.key_text, b.key_text, autojunk=False).ratio() >= DUPLICATE_SIMILARITY


def entries(activities: Iterable[dict]) -> Iterator[Entry]:
    """Activities in date order → entries, the reports of one event made one (the activities of
    one date are held until the date changes)."""
    day: list[Entry] = []
    for act in activities:
        if act.get("author"):  # a signed reflection: no event
            continue
        entry = make_entry(act)
        if day and day[0].date != entry.date:
            yield from day
            day = []
        twin = next((e for e in day if same_event(e, entry)), None)
        if twin is None:
            day.append(entry)
        elif all(s["item"] != entry.sources[0]["item"] or s["seq"] != entry.sources[0]["seq"] for s in twin.sources):
            twin.sources.append(entry.sources[0])
            twin.topics += [t for t in entry.topics if t not in twin.topics]
    yield from day


def place(entry: Entry) -> tuple:
    """Where an entry stands: by month; in its month, the days first, in order, then what is known
    to its month only (4月下旬, or dated by its issue: 「4月」), as 大事记 put 「本月」 last."""
    day = entry.date_source == "text" and entry.date is not None and len(entry.date) == 10
    return (entry.date or "9999")[:7], 0 if day else 1, entry.date or ""


def make_entry(act: dict) -> Entry:
    units = list(dict.fromkeys(act.get("canonical") or act["units"]))
    text = entry_text(act["text"], list(act["units"]))
    source = {k: act.get(k) for k in ("issue", "item", "seq", "start", "end", "page_start", "page_end", "publication",
                                      "year", "number", "number_end", "special", "total_number", "issue_date")}
    source["citation"] = for_hit({**source, "date": act.get("issue_date")})[0]
    return Entry(act["date"], act["date_source"], units, text, list(act.get("topics") or []), [source],
                 comparable(text))


def check_year(year) -> int:
    try:
        y = int(str(year).strip())
    except (TypeError, ValueError):
        raise ReportError(f"bad year {year!r}: give a year like 2021", "bad_year", value=str(year)[:20]) from None
    if not 1900 <= y <= 2100:
        raise ReportError(f"bad year {year!r}: give a year like 2021", "bad_year", value=str(year)[:20])
    return y


def known_topic(topics, name: str) -> str:
    """The topic a name (or alias) is; ReportError with the closest names if none."""
    from .build import closest_names
    found = topics.canonical_name(name.strip()) if name else None
    if found:
        return found
    known = {n for t in topics.topics.values() for n in t.names}
    raise ReportError(f"no topic is called {name!r} (see `archive topics`)", "unknown_topic", topic=name,
                      suggestions=closest_names(name, known))


def chronicle_title(year: int, unit: str | None, topic: str | None) -> str:
    return f"{unit or ''}{year}年{'「' + topic + '」' if topic else ''}大事记"


def chronicle_report(records, registry, topics, year, unit: str | None = None, topic: str | None = None,
                     generated: dt.datetime | None = None) -> tuple[int, list[dict], ReportMeta]:
    """A year's 大事记 (of one unit, of one topic): (entries, their rows in date order, meta)."""
    year = check_year(year)
    unit = known_unit(records, registry, unit) if unit else None
    topic = known_topic(topics, topic) if topic else None
    acts = records.iter_activities(f"{year}-01-01", f"{year}-12-31", unit=unit, topic=topic)
    rows = [e.row() for e in sorted(entries(acts), key=place)]
    meta = ReportMeta(title=chronicle_title(year, unit, topic), generated=generated or dt.datetime.now(),
                      filters={"单位": unit, "专题": topic}, date_from=f"{year}-01-01", date_to=f"{year}-12-31",
                      kind="chronicle")
    return len(rows), rows, meta


def by_month(rows: list[dict]) -> list[tuple[int | None, list[dict]]]:
    """The rows grouped by their month, in order (for the web page)."""
    out: list[tuple[int | None, list[dict]]] = []
    for row in rows:
        if not out or out[-1][0] != row["month"]:
            out.append((row["month"], []))
        out[-1][1].append(row)
    return out
