"""What a hit points at: the sentence(s) of an item that matched, and the matched words in them.

A sixteen-unit 践·铝之行 paragraph over two pages matches 「兰州铝业 党史学习教育」; the reader wants the
sentence that says what 兰州铝业 did, on the page it is printed on — not the paragraph's opening and
its whole page span. So a hit's snippet is made of its matched sentences, and its citation, page
link and `match_pages` give the pages of the matched words (store.spans maps them to the lines).

    1. where to look: with a unit asked for (the unit filter, `unit:`, or a unit's name typed as a
       word), that unit's own activities in the item (store.activities); else the whole text;
    2. the sentences there holding the query's words, fewest that hold every word found there
       (at most MAX_SENTENCES, most words first, shown in text order);
    3. no word there (a filter-only search, or the words stand outside the unit's activity): the
       unit's activity sentence, and the sentence holding the words elsewhere, if any.

Pure functions over an item's text, its activities and the query's terms."""
from __future__ import annotations

import html
from dataclasses import dataclass, field

from ..store.activities import sentences
from ..store.spans import spans_pages
from .highlight import merged as merge
from .highlight import snippet, term_spans

MAX_SENTENCES = 3  # sentences a snippet shows at most
SENTENCE_WINDOW = 160  # characters of one sentence shown at most (a longer one: a window round its first match)
GAP = " … "  # between two sentences that are not next to each other
MIN_EXCERPT = 16  # characters: sentences shown shorter than this come with the one before


@dataclass
class Focus:
    """Spans of an item's text: `marks` what to mark (the query's words, the unit's names), `excerpt`
    the sentences shown, `words` the matched words a citation and a page link point at."""
    marks: list[tuple[int, int]] = field(default_factory=list)
    excerpt: list[tuple[int, int]] = field(default_factory=list)
    words: list[tuple[int, int]] = field(default_factory=list)

    def pages(self, item: dict) -> list[int]:
        """The pages of the matched words (else of the sentences shown, else the item's first)."""
        return spans_pages(item, self.words or self.excerpt)

    def excerpt_pages(self, item: dict) -> list[int]:
        return spans_pages(item, self.excerpt or self.words)

    def excerpt_text(self, text: str) -> str:
        """The sentences shown, as plain text (…  between sentences that are not next to each other)."""
        out, last = [], None
        for s, e in self.excerpt:
            if last is not None and text[last:s].strip():
                out.append(GAP.strip())
            out.append(text[s:e].strip())
            last = e
        return "".join(out)


def unit_spans(text: str, names: list[str]) -> list[tuple[int, int]]:
    """Where any of these unit names is printed."""
    out = []
    for name in names:
        at = text.find(name) if name else -1
        while at >= 0:
            out.append((at, at + len(name)))
            at = text.find(name, at + 1)
    return merge(out)


def inside(spans, a: int, b: int) -> list[tuple[int, int]]:
    return [(s, e) for s, e in spans if s >= a and e <= b]


def regions_of(text: str, activities: list[dict], units: list[str]) -> list[tuple[int, int]]:
    """Where to look: the asked-for units' own activities in the item, else the whole text."""
    own = [(a["start"], a["end"]) for a in activities if set(a.get("canonical") or ()) & set(units)]
    return merge(own) if units and own else [(0, len(text))]


def sentences_in(text: str, regions: list[tuple[int, int]], sents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences (rows of a table) of the text, cut to the regions."""
    out = []
    for s, e in sents:
        for a, b in regions:
            lo, hi = max(s, a), min(e, b)
            if lo < hi and text[lo:hi].strip():
                out.append((lo, hi))
    return out


def cover(sents: list[tuple[int, int]], per_term: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """The fewest sentences (at most MAX_SENTENCES) holding every term found in them: greedily, the
    sentence with the most terms not yet held first (the earlier one on a tie)."""
    holds = [{k for k, spans in enumerate(per_term) if inside(spans, s, e)} for s, e in sents]
    wanted = set().union(*holds) if holds else set()
    chosen: list[int] = []
    while wanted and len(chosen) < MAX_SENTENCES:
        best = max(range(len(sents)), key=lambda i: (len(holds[i] & wanted), -i))
        if not holds[best] & wanted:
            break
        chosen.append(best)
        wanted -= holds[best]
    return sorted(sents[i] for i in chosen)


def focus(item: dict, terms: list[str], units: list[str] = (), activities: list[dict] = (),
          unit_names: list[str] = ()) -> Focus:
    """What a hit points at in `item`'s text (see the module's docstring). `units`: the canonical
    units asked for; `unit_names`: every name they are printed under; `activities`: the item's."""
    text = item.get("text") or ""
    if not text:
        return Focus()
    per_term = term_spans(text, list(terms))
    found = merge([sp for spans in per_term for sp in spans])
    names = unit_spans(text, list(unit_names)) if units else []
    regions = regions_of(text, list(activities), list(units))
    every = sentences(text)
    sents = sentences_in(text, regions, every)
    chosen = cover(sents, per_term)
    if not chosen:  # no word in the region: the unit's sentence, and the words' own sentence elsewhere
        own = [s for s in sents if inside(names, *s)] or sents
        chosen = own[:1] if regions != [(0, len(text))] or not found else []
        elsewhere = cover(every, per_term)[:1] if found else []
        chosen = sorted(set(chosen + elsewhere)) or sents[:1]
    chosen = widened(chosen, every)
    words = [sp for s, e in chosen for sp in inside(found, s, e)]
    if not words:
        words = [sp for s, e in chosen for sp in inside(names, s, e)]
    return Focus(marks=merge(found + names), excerpt=chosen, words=words)


def widened(chosen: list[tuple[int, int]], every: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A sentence too short to say anything alone (a signature: （兰州铝业 王磊）) comes with the
    sentence before it (`every`: the text's sentences)."""
    if not chosen or sum(e - s for s, e in chosen) >= MIN_EXCERPT:
        return chosen
    before = [sp for sp in every if sp[1] <= chosen[0][0]]
    return [before[-1]] + chosen if before else chosen


def focus_snippet(text: str, f: Focus, mark=("<mark>", "</mark>"), escape=html.escape) -> str:
    """The sentences shown, with the marks in them (a long sentence: a window round its first mark)."""
    if not f.excerpt:
        return snippet(text, f.marks, mark, escape)
    out, last = [], 0
    for s, e in f.excerpt:
        gap = text[last:s]
        if gap.strip():
            out.append(GAP if last else "…")
        marks = [(a - s, b - s) for a, b in f.marks if a >= s and b <= e]
        part = snippet(text[s:e], marks, mark, escape, window=SENTENCE_WINDOW) if e - s > SENTENCE_WINDOW \
            else snippet(text[s:e], marks, mark, escape, window=10**9)
        out.append(part)
        last = e
    if text[last:].strip():
        out.append("…")
    return "".join(out)
