"""Character classes and width folding: the one home of "what is a Chinese character" for every stage.

Ingest (spaces next to Chinese, OCR punctuation, unit names) and search (tokenizing, folding
queries and texts alike) both ask here, so the two never disagree on a range."""
from __future__ import annotations

import re

# Han ideographs: CJK Unified (URO), extension A, compatibility ideographs, extensions B-H.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# What search treats as CJK letters (a run of them is cut into bigrams): Han, 〇, kana, hangul.
CJK_LETTERS = HAN + "\u3007\u3040-\u309f\u30a0-\u30ff\uac00-\ud7af"
# Kangxi radicals and the radicals supplement (some fonts map ideographs to these code points).
RADICALS = "\u2e80-\u2fdf"
# CJK and full-width punctuation, the ideographic space, and the marks set in CJK text
# (— ‘ ’ “ ” … ·): no space belongs next to any of these in Chinese text.
CJK_PUNCT = ("\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
             "\u2014\u2018\u2019\u201c\u201d\u2026\u00b7")
# Where Chinese (or Japanese) text is set: no spaces between words. Not hangul: Korean spaces words.
CJK_CONTEXT = HAN + "\u3007\u3040-\u309f\u30a0-\u30ff" + RADICALS + CJK_PUNCT

# Marks of Chinese text by role, for every stage that asks (line breaks, OCR, sentences, snippets);
# a user adds what its own text may hold besides (ASCII marks, a line break) where it defines its set.
SENTENCE_ENDS = "。！？；"  # full-width marks that end a sentence (；: a clause that stands as one)
ASCII_SENTENCE_ENDS = "!?;"
PAUSE_MARKS = "，、"  # full-width marks inside a sentence (：, which may end a paragraph, is left to each user)
OPENING_BRACKETS = "（《「『〈【〔"  # full-width
CLOSING_BRACKETS = "）》」』〉】〕"
OPENING_QUOTES = "“‘"
CLOSING_QUOTES = "”’"
OPENING_MARKS = OPENING_QUOTES + OPENING_BRACKETS
SOFT_HYPHEN = "\u00ad"

HAN_RE = re.compile(f"[{HAN}]")
CJK_LETTER_RE = re.compile(f"[{CJK_LETTERS}]")
CJK_CONTEXT_RE = re.compile(f"[{CJK_CONTEXT}]")


def is_han(ch: str) -> bool:
    return bool(HAN_RE.match(ch))


def is_cjk_context(ch: str) -> bool:
    """A character of Chinese text: an ideograph, kana, a radical or CJK/full-width punctuation
    (next to these no space belongs)."""
    return bool(CJK_CONTEXT_RE.match(ch))


def han_share(text: str) -> float:
    """The share of a text's non-space characters that are Han ideographs."""
    text = "".join(text.split())
    return sum(1 for ch in text if HAN_RE.match(ch)) / len(text) if text else 0.0


# Full-width ASCII (U+FF01-FF5E) → ASCII, ideographic space → space.
WIDTH_TABLE = {o: o - 0xFEE0 for o in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold_width(text: str) -> str:
    """ＥＲＰ → ERP, ５１６８０ → 51680, U+3000 → space (one character for one: offsets stay valid)."""
    return text.translate(WIDTH_TABLE)


def fold(text: str) -> str:
    """Width-folded and lowercased, one character for one, so offsets in the result are offsets in
    `text` (a character whose lowercase is longer, such as İ, keeps its case)."""
    folded = fold_width(text).lower()
    if len(folded) == len(text):  # lower() never shortens: equal length means one for one
        return folded
    out = []
    for ch in fold_width(text):
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)
