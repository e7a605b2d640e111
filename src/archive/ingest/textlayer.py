"""Stage 1b, triage: does a page's text layer say what the reader sees, or must OCR read it?

A page without glyphs over a picture is a scan; a page whose text is drawn as outlines (lines of
glyph-sized filled paths, drawntext.py) where its text layer has little or none has its text only
in the drawing. A text layer is garbled when it does not decode: (cid:N), control or private-use
characters (undecodable); when its ideographs are mostly outside GB 2312's 3,755 common
characters (a font without a ToUnicode map decodes to real but wrong characters: implausible);
or when its glyphs' shapes contradict their text (misfit): glyphs one em wide, as a Chinese
font's are, that decode to Latin letters, digits or symbols a Chinese font never sets so wide
(a ToUnicode map that gives glyph ids, or codes read as WinAnsi), or half-em glyphs that decode
to ideographs. Each reason has the page method it is recorded under (`METHODS`)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..chars import is_han
from .drawntext import drawn_ems
from .pdf import Char, Page

BAD_SHARE = 0.01  # a text layer with more than this share of undecodable glyphs is read by OCR instead
SCAN_IMAGE_AREA = 0.5  # a page without text whose images cover more than this share of it is a scan
SIDEWAYS_MIN, SIDEWAYS_SHARE = 20, 0.5  # a page whose glyphs are mostly turned (a table set sideways)
CID = re.compile(r"\(cid:\d+\)")
MIN_DRAWN_EMS = 20.0  # less drawn text than this (a logo's name, a chart's few labels) is not read by OCR
DRAWN_SHARE = 0.3  # ... nor is it where the text layer holds more than 1 - this share of the page's text
METHODS = {"scan": "ocr", "sideways text": "ocr", "drawn text": "ocr-outlines", "undecodable text": "ocr-garbled",
           "implausible text": "ocr-garbled", "misfit glyphs": "ocr-garbled", "garbled line": "ocr-garbled"}  # how a page read by OCR was read
UNREAD = {"drawn text": "outlines", "undecodable text": "garbled", "implausible text": "garbled",
          "misfit glyphs": "garbled", "garbled line": "garbled"}  # a page OCR should have read and could not (not installed, failed)


@lru_cache(maxsize=8192)
def is_bad_char(text: str) -> bool:
    """A glyph whose text did not decode: (cid:N), a control, private-use or replacement character.
    (Remembered: a page asks it of every glyph, and glyphs repeat.)"""
    if CID.fullmatch(text):
        return True
    return any(unicodedata.category(ch) in ("Cc", "Co", "Cs") or ch == "\ufffd" for ch in text)


def needs_ocr(page: Page) -> str | None:
    """Why this page's text must come from OCR (a key of METHODS), or None."""
    visible = [c for c in page.chars if c.text.strip()]
    if page.sideways >= SIDEWAYS_MIN and page.sideways > SIDEWAYS_SHARE * (page.sideways + len(visible)):
        return "sideways text"  # most of the page is turned: OCR finds which way, and reads it straightened
    if not visible and page.image_area > SCAN_IMAGE_AREA:
        return "scan"
    if mostly_drawn(page, visible):
        return "drawn text"
    if not visible:
        return None
    bad = sum(1 for c in visible if is_bad_char(c.text))
    if bad and bad > BAD_SHARE * len(visible):
        return "undecodable text"
    judged = misfits(visible)
    if misfit_glyphs(visible, judged):
        return "misfit glyphs"
    if garbled_line(visible, judged):
        return "garbled line"
    if implausible_chinese(c.text for c in visible):
        return "implausible text"
    return None


def text_ems(chars: list[Char]) -> float:
    """How much text the glyphs hold, in ems (a Chinese character is one, a Latin letter about half)."""
    return sum((c.x1 - c.x0) / c.size for c in chars if c.size > 0)


def mostly_drawn(page: Page, visible: list[Char]) -> bool:
    """Is the page's text drawn as outlines: enough drawn lines, and at least DRAWN_SHARE of the
    page's text (a heading or a header may be real text over an outlined body)?"""
    drawn = drawn_ems(page.drawn)
    return drawn >= MIN_DRAWN_EMS and drawn >= DRAWN_SHARE * (drawn + text_ems(visible))


SQUARE_EMS, NARROW_EMS = 0.95, 0.65  # a glyph this many ems wide or wider is square; this or less is narrow
MISFIT_SHARE, MIN_MISFITS = 0.3, 10  # a text layer whose square glyphs misfit this often is garbled
ROW_SHIFT = 0.2  # sizes: a next glyph whose top is this close is in the same line
GARBLED_RUN, GARBLED_LINE_SHARE = 3, 0.5  # a run of glyphs on a line more than half of them garbled


@lru_cache(maxsize=8192)
def fits_square(ch: str) -> bool:
    """Can a glyph one em wide stand for this character? Ideographs (judged by implausible_chinese),
    the full-width and Chinese marks and symbols of GBK, kana, hangul: yes. ASCII, half-width
    forms, and what GBK lacks (a glyph id read as a code point lands there): no."""
    if is_han(ch) or "\uac00" <= ch <= "\ud7a3" or ch == "\u3000":
        return True
    if ch.isascii() or unicodedata.east_asian_width(ch) in ("Na", "H"):
        return False
    try:
        ch.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def misfits(chars: list[Char]) -> list[bool | None]:
    """For each glyph: does its width contradict its text (True), not (False), or can it not be
    judged (None)? A square glyph that decodes to a character no square glyph stands for, or a
    narrow one that decodes to an ideograph, misfits. A glyph is judged by its width and by how
    far on the next glyph of its line starts (some fonts give every glyph a width of one em, and
    the text places each glyph itself): a glyph without a next one in its line is not judged."""
    out: list[bool | None] = []
    for c, nxt in zip(chars, chars[1:] + [None]):
        if nxt is None or len(c.text) != 1 or c.size <= 0 or abs(nxt.top - c.top) > ROW_SHIFT * c.size \
                or nxt.x0 <= c.x0:
            out.append(None)
            continue
        width = min(c.x1 - c.x0, nxt.x0 - c.x0) / c.size
        if width >= SQUARE_EMS:
            out.append(not fits_square(c.text))
        elif (c.x1 - c.x0) / c.size <= NARROW_EMS and is_han(c.text):
            out.append(True)
        else:
            out.append(None)
    return out


def misfit_glyphs(chars: list[Char], judged: list[bool | None] | None = None) -> bool:
    """Do MISFIT_SHARE of the glyphs judged (`misfits`, or as given) misfit, MIN_MISFITS at least?"""
    judged = [m for m in (misfits(chars) if judged is None else judged) if m is not None]
    wrong = sum(judged)
    return wrong >= MIN_MISFITS and wrong > MISFIT_SHARE * len(judged)


def garbled_line(chars: list[Char], judged: list[bool | None] | None = None) -> bool:
    """Is a run of the glyphs on one line mostly undecodable or misfit: a title or a phrase set in
    a font without a usable map, among text that decodes (too few glyphs for a page's share)?
    GARBLED_RUN of them at least, as many different ones (not a row of one ornament)."""
    wrong = [is_bad_char(c.text) or m is True for c, m in zip(chars, misfits(chars) if judged is None else judged)]
    run: list[int] = []
    for i, c in enumerate(chars):
        if run and not same_line(chars[run[-1]], c):
            if is_garbled_run(chars, wrong, run):
                return True
            run = []
        run.append(i)
    return is_garbled_run(chars, wrong, run)


def same_line(a: Char, b: Char) -> bool:
    return abs(b.top - a.top) <= ROW_SHIFT * max(a.size, 1.0) and b.x0 > a.x0


def is_garbled_run(chars: list[Char], wrong: list[bool], run: list[int]) -> bool:
    bad = [chars[i].text for i in run if wrong[i]]
    return len(run) >= GARBLED_RUN and len(bad) > GARBLED_LINE_SHARE * len(run) and len(set(bad)) >= GARBLED_RUN

COMMON_SHARE = 0.5  # real Chinese text: ~99 % of its ideographs are among the 3,755 common ones
MIN_IDEOGRAPHS = 40  # too few to judge below this


def is_common_hanzi(ch: str) -> bool:
    """One of GB 2312's 3,755 level-1 (most frequent) characters."""
    try:
        code = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xB0 <= code[0] <= 0xD7


def implausible_chinese(texts) -> bool:
    """A text layer that decodes to real but wrong characters (a font whose glyph ids were mapped to
    Unicode by position, without a ToUnicode map): its ideographs scatter over the whole CJK block,
    so few are common characters. Traditional Chinese still shares most of its characters with them."""
    hanzi = [ch for t in texts for ch in t if is_han(ch)]
    if len(hanzi) < MIN_IDEOGRAPHS:
        return False
    return sum(map(is_common_hanzi, hanzi)) < COMMON_SHARE * len(hanzi)
