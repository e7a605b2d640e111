"""Stage 1b, triage: does a page's text layer say what the reader sees, or must OCR read it?

A page without glyphs over a picture is a scan; a text layer of (cid:N), control or private-use
characters is undecodable; one whose ideographs are mostly outside GB 2312's 3,755 common
characters decodes to real but wrong characters (a font without a ToUnicode map)."""
from __future__ import annotations

import re
import unicodedata

from ..chars import is_han
from .pdf import Page

BAD_SHARE = 0.01  # a text layer with more than this share of undecodable glyphs is read by OCR instead
SCAN_IMAGE_AREA = 0.5  # a page without text whose images cover more than this share of it is a scan
SIDEWAYS_MIN, SIDEWAYS_SHARE = 20, 0.5  # a page whose glyphs are mostly turned (a table set sideways)
CID = re.compile(r"\(cid:\d+\)")


def is_bad_char(text: str) -> bool:
    """A glyph whose text did not decode: (cid:N), a control, private-use or replacement character."""
    if CID.fullmatch(text):
        return True
    return any(unicodedata.category(ch) in ("Cc", "Co", "Cs") or ch == "\ufffd" for ch in text)


def needs_ocr(page: Page) -> str | None:
    """Why this page's text must come from OCR ('scan', 'sideways text', 'undecodable text',
    'implausible text'), or None."""
    visible = [c for c in page.chars if c.text.strip()]
    if page.sideways >= SIDEWAYS_MIN and page.sideways > SIDEWAYS_SHARE * (page.sideways + len(visible)):
        return "sideways text"  # most of the page is turned: OCR finds which way, and reads it straightened
    if not visible:
        return "scan" if page.image_area > SCAN_IMAGE_AREA else None
    bad = sum(1 for c in visible if is_bad_char(c.text))
    if bad and bad > BAD_SHARE * len(visible):
        return "undecodable text"
    if implausible_chinese(c.text for c in visible):
        return "implausible text"
    return None


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
