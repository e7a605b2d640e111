"""Chinese text analysis for the search index: Lucene-CJK-style bigrams with substring-level recall.

    text  → ScriptTokenizer | WidthFoldFilter | LowercaseFilter | CJKBigramFilter
    chars → ScriptTokenizer | WidthFoldFilter | LowercaseFilter | CJKBigramFilter(unigrams=True)

* A run of CJK characters becomes overlapping bigrams (党史学习 → 党史 史学 学习); a CJK character
  standing alone becomes a unigram. Whitespace (and soft hyphens, zero-width spaces) inside a CJK run
  is ignored: Chinese has no spaces between words, so a space there is a layout artefact.
* Runs of letters/digits become lowercase words; full-width letters and digits (ＥＲＰ, ５１６８０) fold to
  half-width, at index and at query time alike.
* Positions are token positions, so a sequence of tokens can be asked for as a phrase.

The `chars` field indexes every CJK character on its own (plus the same words): a query of one CJK
character, or a query mixing digits and single characters (51680元, 4月16日), is a phrase there.

This module's import path is pickled into the index schema (archive.search.analysis since index
format 5): keep the class names and module stable, or bump index.INDEX_VERSION. Query-side helpers
(`query_tokens`, `normalized`) use the very same chain; folding and the CJK classes come from
archive.chars, shared with ingest.
"""
from __future__ import annotations

import re

from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

from ..chars import CJK_LETTERS, fold, fold_width

# Invisible inside a CJK run: spaces, ideographic space, soft hyphen, zero-width characters.
GAP_CLASS = "\\s\u00ad\u200b-\u200d\u2060\ufeff"
TOKEN_RE = re.compile(rf"(?P<cjk>[{CJK_LETTERS}](?:[{GAP_CLASS}]*[{CJK_LETTERS}])*)|(?P<word>(?:(?![{CJK_LETTERS}])[^\W_])+)")
CJK_CHAR_RE = re.compile(rf"[{CJK_LETTERS}]")
GAP_RE = re.compile(rf"[{GAP_CLASS}]")
CJK_GAP_RE = re.compile(rf"(?<=[{CJK_LETTERS}])[{GAP_CLASS}]+(?=[{CJK_LETTERS}])")


def normalized(text: str) -> tuple[str, "list[int] | range"]:
    """The folded text without the gaps inside CJK runs (the analyzer ignores those), and for each
    of its characters the offset in `text`. Used to find query words in an item's text (highlighting)."""
    folded = fold(text)
    drop = {i for m in CJK_GAP_RE.finditer(text) for i in range(m.start(), m.end())}
    if not drop:
        return folded, range(len(text))
    where = [i for i in range(len(text)) if i not in drop]
    return "".join(folded[i] for i in where), where


class ScriptTokenizer(Tokenizer):
    """Splits text into runs: CJK runs (gaps removed; per-character offsets kept on the token as
    `t.offsets`, and `t.cjk = True`) and letter/digit words. Everything else separates tokens."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            t.cjk = False
            t.offsets = None
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        pos = start_pos
        for m in TOKEN_RE.finditer(value):
            t.boost = 1.0
            t.stopped = False
            if m.lastgroup == "cjk":
                run = m.group(0)
                offs = [m.start() + i for i, ch in enumerate(run) if not GAP_RE.match(ch)]
                t.text = "".join(value[i] for i in offs)
                t.cjk = True
                t.offsets = [start_char + i for i in offs]
            else:
                t.text = m.group(0)
                t.cjk = False
                t.offsets = None
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                t.startchar, t.endchar = start_char + m.start(), start_char + m.end()
            yield t


class WidthFoldFilter(Filter):
    """Full-width letters/digits to half-width (ＥＲＰ → ERP, ５１６８０ → 51680)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold_width(t.text)
            yield t


class CJKBigramFilter(Filter):
    """CJK runs → overlapping bigrams (a lone character → unigram); with `unigrams=True`, every CJK
    character on its own. Other tokens pass through. Positions are renumbered to token positions."""

    def __init__(self, unigrams: bool = False):
        self.unigrams = unigrams

    def __call__(self, tokens):
        pos = None
        for t in tokens:
            if t.positions:
                pos = t.pos if pos is None else pos
            if not getattr(t, "cjk", False):
                if t.positions:
                    t.pos = pos
                    pos += 1
                yield t
                continue
            text, offsets = t.text, t.offsets
            n = len(text)
            step = 1 if (self.unigrams or n == 1) else 2
            count = n if step == 1 else n - 1
            for i in range(count):
                t.text = text[i:i + step]
                if t.positions:
                    t.pos = pos
                    pos += 1
                if t.chars and offsets:
                    t.startchar, t.endchar = offsets[i], offsets[i + step - 1] + 1
                yield t


def BigramAnalyzer():
    return ScriptTokenizer() | WidthFoldFilter() | LowercaseFilter() | CJKBigramFilter()


def UnigramAnalyzer():
    return ScriptTokenizer() | WidthFoldFilter() | LowercaseFilter() | CJKBigramFilter(unigrams=True)


def index_terms(text: str, unigrams: bool = False) -> list[str]:
    """The terms BigramAnalyzer (or UnigramAnalyzer) gives for `text`, in order, computed the same
    way (each run without its gaps, width-folded, lowercased, then split) without a Token per term:
    the index writer's hot path (writer.py; tests/test_search_writer.py checks them equal)."""
    out: list[str] = []
    for m in TOKEN_RE.finditer(text):
        if m.lastgroup == "cjk":
            run = fold_width(GAP_RE.sub("", m.group(0))).lower()
            if unigrams or len(run) == 1:
                out.extend(run)
            else:
                out.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            out.append(fold_width(m.group(0)).lower())
    return out


_BIGRAM = BigramAnalyzer()
_UNIGRAM = UnigramAnalyzer()


def tokens(text: str, unigrams: bool = False) -> list[str]:
    """The index terms of `text`, in position order."""
    analyzer = _UNIGRAM if unigrams else _BIGRAM
    return [t.text for t in analyzer(text)]


def needs_chars(text: str) -> bool:
    """True when some CJK run of the text is a single character: bigrams cannot express it, so the
    word must be looked up in the `chars` field (党; 51680元; 4月16日)."""
    return any(m.lastgroup == "cjk" and len(GAP_RE.sub("", m.group(0))) == 1 for m in TOKEN_RE.finditer(text))


def query_tokens(text: str) -> tuple[str, list[str]]:
    """(field kind, terms) for one query word or phrase: ("text", bigrams) or ("chars", unigrams)."""
    if needs_chars(text):
        return "chars", tokens(text, unigrams=True)
    return "text", tokens(text)


def runs(text: str) -> list[str]:
    """The searchable runs of a text (CJK runs without gaps, and words), folded."""
    return [fold(GAP_RE.sub("", m.group(0))) for m in TOKEN_RE.finditer(text)]


def _is_word(run: str) -> bool:
    return not CJK_CHAR_RE.match(run)


def match_text(text: str) -> str:
    """The text as the index sees it, as one string: its runs (CJK runs without gaps; words),
    folded, each run between single spaces: "投入51680元，4月16日" → " 投入 51680 元 4 月 16 日 ".
    A query word occurs in an item exactly when `needle(word)` is a substring of this (the same
    semantics as the phrase of its bigrams, minus bigram chains that straddle punctuation)."""
    return " " + " ".join(runs(text)) + " "


def needle(word: str) -> str:
    """What to look for in `match_text`: the word's runs between spaces; a leading or trailing
    letter/digit word must be whole (ERP does not match inside interpreter), a CJK run at either
    end may be part of a longer run (党史 inside 党史学习教育)."""
    rs = runs(word)
    if not rs:
        return ""
    out = " ".join(rs)
    if _is_word(rs[0]):
        out = " " + out
    if _is_word(rs[-1]):
        out += " "
    return out
