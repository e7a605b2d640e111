"""Text repair: small pure functions that turn printed lines into text as the reader sees it.

Each rule is tested with a table of cases in tests/test_textrepair.py."""
from __future__ import annotations

import re

from ..chars import CJK_CONTEXT
from .hyphenation import join_hyphenated, splits_word
from .radicals import map_radicals

SPACE_NEAR_CJK = re.compile(rf"(?<=[{CJK_CONTEXT}])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[{CJK_CONTEXT}])")
MULTI_SPACE = re.compile(r"[ \t\u00a0]{2,}")
DOTS = re.compile(r"\s*[·・•‧∙⋅●．.]\s*")
LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                           "\ufb05": "st", "\ufb06": "st"})
# A ligature whose ToUnicode a rewriting tool wrote byte-swapped, each letter as U+XX00 (Ghostscript's
# pdfwrite: ﬁ as 昀椀 U+6600 U+6900, ﬂ 昀氀, ﬃ 昀昀椀, ﬀ 昀昀, ﬆ 猀琀); read as letters beside a Latin letter
SWAPPED = "\u6600(?:\u6600[\u6900\u6c00]?|[\u6900\u6c00])|\u7300\u7400"  # ff fi fl ffi ffl, st
SWAPPED_LIGATURE = re.compile(f"(?<=[A-Za-z])(?:{SWAPPED})|(?:{SWAPPED})(?=[A-Za-z])")
# a glyph a font maps from two code points, where the text layer names the one no reader means:
# the non-breaking hyphen U+2011 for "-" (MuPDF's subsets of WenQuanYi)
DUPLICATES = str.maketrans({"\u2011": "-"})
CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200d\ufeff]")


def drop_cjk_spaces(text: str) -> str:
    """Remove spaces next to Chinese characters and punctuation: autospace and letter-spacing
    debris ("2021 年第 5 期" → "2021年第5期", "学 · 习" → "学·习"); keep single spaces between
    Latin words and numbers."""
    text = SPACE_NEAR_CJK.sub("", text)
    return MULTI_SPACE.sub(" ", text).strip()


def clean_chars(text: str) -> str:
    """Radical code points to the ideographs they show, Latin ligatures (ﬁ, or its byte-swapped 昀椀) to
    their letters; drop
    control and zero-width characters. Full-width punctuation is kept (no NFKC on whole strings)."""
    text = SWAPPED_LIGATURE.sub(lambda m: "".join(chr(ord(ch) >> 8) for ch in m.group()), text)
    return CONTROL.sub("", map_radicals(text).translate(LIGATURES).translate(DUPLICATES))


def join_pair(left: str, right: str) -> str:
    """Join two printed lines of one paragraph."""
    if not left:
        return right
    if not right:
        return left
    if splits_word(left, right):
        return join_hyphenated(left, right)
    if left.endswith("\u00ad"):
        left = left[:-1]
    a, b = left[-1], right[0]
    if a.isascii() and b.isascii() and (a.isalnum() or a in ",.;:!?)]\"'%") and (b.isalnum() or b in "([\"'"):
        if not (a.isdigit() and b.isdigit()):  # a number broken over two lines stays one number
            return f"{left} {right}"
    return left + right


def join_lines(lines: list[str]) -> str:
    text = ""
    for line in lines:
        text = join_pair(text, line.strip())
    return text


def join_clean(lines: list[str]) -> str:
    """Printed lines of one paragraph → one string, printed spaces kept (signatures need them)."""
    return clean_chars(join_lines(lines)).replace("\u00ad", "")


def repair(lines: list[str]) -> str:
    """Printed lines of one paragraph → its text as the reader sees it."""
    return drop_cjk_spaces(join_clean(lines))


def squash(text: str) -> str:
    """Text with every space removed: for matching labels and titles whatever their spacing."""
    return re.sub(r"\s+", "", text)


def normalize_title(text: str) -> str:
    """A section title as printed, whatever its letter-spacing or dot: 学 · 习 之 路 → 学·习之路."""
    text = squash(clean_chars(text))
    return DOTS.sub("·", text) if len(text) <= 16 else text


RESYNC = 8  # characters of a line looked for further on when it does not start where the last one ended


def line_starts(lines: list[str], text: str) -> list[int]:
    """Where each printed line begins in the item's text (character offsets, one per line, in
    order), however the lines were joined: no space in Chinese, one between Latin words, a hyphen
    dropped where a split word was rejoined, radicals and ligatures repaired. Each line, repaired
    on its own, is matched at the place in the text where the line before it ended; a line whose
    beginning is not there (text the repair changed across the line break) is looked for further
    on."""
    starts: list[int] = []
    pos, n = 0, len(text)
    for line in lines:
        piece = repair([line])
        while pos < n and text[pos].isspace():
            pos += 1
        if piece and not text.startswith(piece[:1], pos):
            found = text.find(piece[:RESYNC], pos)
            pos = found if found >= 0 else pos
        starts.append(min(pos, n))
        pos += common_prefix(text, pos, piece)
    return starts


def common_prefix(text: str, at: int, piece: str) -> int:
    """How many characters of `piece` text[at:] begins with."""
    k, limit = 0, min(len(piece), len(text) - at)
    while k < limit and text[at + k] == piece[k]:
        k += 1
    return k
