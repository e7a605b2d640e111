"""Highlighting: where the query's words occur in an item's text, and a snippet around them."""
from __future__ import annotations

import html

from .analysis import CJK_CHAR_RE, normalized, runs

SNIPPET_WINDOW = 120
SNIPPET_WHOLE = 160  # texts up to this long are shown whole


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where in `text` the query words occur, as (start, end) offsets: substring matches on the
    folded text (full-width = half-width, case-insensitive, spaces inside ignored). A word whose
    punctuation differs from the text's falls back to its runs (学史明理,学史增信)."""
    return merged([sp for spans in term_spans(text, terms) for sp in spans])


def term_spans(text: str, terms: list[str]) -> list[list[tuple[int, int]]]:
    """match_spans of each term on its own (the text folded once), sorted, in the terms' order."""
    if not text or not terms:
        return [[] for _ in terms]
    norm, where = normalized(text)

    def wordy(ch: str) -> bool:
        return ch.isalnum() and not CJK_CHAR_RE.match(ch)

    out = []
    for term in terms:
        spans = []
        t = normalized(term)[0]
        for piece in ([t] if t in norm else runs(term)) if t else []:
            if not piece:
                continue
            at = norm.find(piece)
            while at >= 0:
                end = at + len(piece)
                # a letter/digit word matches whole words only, as in the index (ERP ≠ interpret)
                if not ((wordy(piece[0]) and at > 0 and wordy(norm[at - 1]))
                        or (wordy(piece[-1]) and end < len(norm) and wordy(norm[end]))):
                    spans.append((where[at], where[end - 1] + 1))
                at = norm.find(piece, at + 1)
        out.append(sorted(spans))
    return out


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted, those that overlap or touch made one."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def snippet(text: str, spans: list[tuple[int, int]], mark=("<mark>", "</mark>"), escape=html.escape,
            window: int = SNIPPET_WINDOW) -> str:
    """The text (or a window of it around the first match) with every match wrapped in `mark`."""
    text = text or ""
    if len(text) <= SNIPPET_WHOLE:
        start, end = 0, len(text)
    else:
        first = spans[0][0] if spans else 0
        start = max(0, first - window // 4)
        end = min(len(text), start + window)
        start = max(0, end - window)
        for s, e in spans:  # do not cut a match in two
            if s < end < e:
                end = e
            if s < start < e:
                start = s
    out = ["…" if start > 0 else ""]
    at = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[at:s]))
        out.append(mark[0] + escape(text[s:e]) + mark[1])
        at = e
    out.append(escape(text[at:end]))
    out.append("…" if end < len(text) else "")
    return "".join(out)

