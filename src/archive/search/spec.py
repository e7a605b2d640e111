"""What a search asks, as one value: the query text and the filters beside it (the search page's
fields, `archive search`'s options, a report's search). The searcher, the filter counts, the web
pages, the reports and the CLI pass a SearchSpec, never the fields one by one."""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Mapping

# Each field's name in a URL (the search page, /api/search, /report.<fmt>)
URL_KEYS = {"query": "q", "unit": "unit", "section": "section", "year": "year", "date_from": "from",
            "date_to": "to", "sort": "sort", "collection": "collection", "topic": "topic", "synonyms": "syn"}
OFF = ("0", "off", "false", "no")  # syn=0: a topic's name finds only itself


@dataclass(frozen=True)
class SearchSpec:
    query: str = ""
    unit: str | None = None
    section: str | None = None
    year: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    sort: str | None = None  # relevance | date; None: relevance with words, date without
    collection: str | None = None  # bulletin | other (store.rows.COLLECTIONS); None: both
    topic: str | None = None  # a topic (专题) of store/topics.py, by any of its names
    synonyms: bool = True  # a topic's name or alias in the words also finds its other names (「含同义词」)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "SearchSpec":
        """From a request's parameters (q, unit, section, year, from, to, sort, collection); blanks are None."""
        values = {f: (args.get(key) or "").strip() for f, key in URL_KEYS.items()}
        synonyms = values.pop("synonyms").lower() not in OFF
        return cls(query=values.pop("query"), synonyms=synonyms, **{k: v or None for k, v in values.items()})

    def as_args(self) -> dict[str, str]:
        """The URL parameters that say this search (empty ones left out)."""
        out = {URL_KEYS[f.name]: getattr(self, f.name) for f in fields(self)
               if f.name != "synonyms" and getattr(self, f.name)}
        return out if self.synonyms else {**out, URL_KEYS["synonyms"]: "0"}

    @property
    def filters(self) -> dict:
        """The filters as the query parser's options take them."""
        return {"unit": self.unit, "section": self.section, "year": self.year, "date_from": self.date_from,
                "date_to": self.date_to, "collection": self.collection, "topic": self.topic}

    @property
    def asks_anything(self) -> bool:
        """Words or a filter (a sort alone asks nothing)."""
        return bool(self.query.strip()) or any(self.filters.values())

    def but(self, **changes) -> "SearchSpec":
        return replace(self, **changes)
