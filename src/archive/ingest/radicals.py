"""Map CJK radical code points to the ordinary ideographs they display.

Why: some PDF fonts map a glyph to a radical code point (⼯ U+2F2F, ⻓ U+2ED3)
instead of the ideograph a reader sees (工 U+5DE5, 长 U+957F), which breaks
search and comparison of extracted text.

The same for CJK compatibility ideographs (年 U+F98E for 年 U+5E74): a font whose
cmap maps one glyph from both code points may put the compatibility one in its
ToUnicode (MuPDF's subsets of WenQuanYi Micro Hei do), and its canonical form
is the ideograph a reader sees.

Only these blocks are touched; every other character, full-width punctuation
included (，。：（）), passes through unchanged. Whole strings are never
NFKC-normalised.
"""

from __future__ import annotations

import unicodedata

# Kangxi Radicals (U+2F00..U+2FD5): per-character NFKC gives the ideograph, but
# for three radicals it gives a form (separately encoded) that a Simplified-
# Chinese font draws differently; there we map to what such a reader sees.
# Radicals whose NFKC form is a traditional character with its own simplified
# character (⾨ 門, ⾺ 馬, ⾒ 見, ...) keep the traditional one: 門 and 门 are
# different characters, and a font shows the simplified ones through the
# C-SIMPLIFIED radicals of the supplement below (⻔, ⻢, ⻅, ...).
_KANGXI_OVERRIDES: dict[str, str] = {
    "\u2f3e": "\u6237",  # ⼾ DOOR -> 户 (NFKC gives 戶 U+6236)
    "\u2fad": "\u9752",  # ⾭ BLUE -> 青 (NFKC gives 靑 U+9751)
    "\u2fc8": "\u9ec4",  # ⿈ YELLOW -> 黄 (NFKC gives 黃 U+9EC3)
}

# CJK Radicals Supplement (U+2E80..U+2EF3): NFKC maps only ⻳ (and ⺟), so the
# table is written out, checked against the names and Unicode's
# EquivalentUnifiedIdeograph.txt. Mapped: radicals whose glyph is a standalone
# ideograph, plus the four C-SIMPLIFIED component radicals (⺰ ⻈ ⻐ ⻠), which
# have their own simplified ideographs (纟 讠 钅 饣).
# Deliberately unmapped: pure component shapes, e.g. ⺅ (亻 person), ⺡ (氵),
# ⺘ (扌), ⺾ (艹), ⻌ (辶), ⻖ (阝), ⺼ (月-shaped meat), ⺫ (罒-shaped eye), and
# radicals whose equivalent lies outside the BMP (⻇ ⻊ ⻕ ⻞ ⻡ ...).
_SUPPLEMENT: dict[str, str] = {
    "\u2e81": "\u5382",  # ⺁ -> 厂  CLIFF
    "\u2e8e": "\u5140",  # ⺎ -> 兀  LAME ONE
    "\u2e92": "\u5df3",  # ⺒ -> 巳  SNAKE
    "\u2e9b": "\u65e1",  # ⺛ -> 旡  CHOKE
    "\u2e9c": "\u65e5",  # ⺜ -> 日  SUN
    "\u2e9d": "\u6708",  # ⺝ -> 月  MOON
    "\u2e9f": "\u6bcd",  # ⺟ -> 母  MOTHER
    "\u2ea0": "\u6c11",  # ⺠ -> 民  CIVILIAN
    "\u2ea9": "\u738b",  # ⺩ -> 王  JADE
    "\u2eac": "\u793a",  # ⺬ -> 示  SPIRIT ONE
    "\u2eb0": "\u7e9f",  # ⺰ -> 纟  C-SIMPLIFIED SILK
    "\u2ec1": "\u864e",  # ⻁ -> 虎  TIGER
    "\u2ec4": "\u897f",  # ⻄ -> 西  WEST TWO
    "\u2ec5": "\u89c1",  # ⻅ -> 见  C-SIMPLIFIED SEE
    "\u2ec6": "\u89d2",  # ⻆ -> 角  SIMPLIFIED HORN
    "\u2ec8": "\u8ba0",  # ⻈ -> 讠  C-SIMPLIFIED SPEECH
    "\u2ec9": "\u8d1d",  # ⻉ -> 贝  C-SIMPLIFIED SHELL
    "\u2ecb": "\u8f66",  # ⻋ -> 车  C-SIMPLIFIED CART
    "\u2ed0": "\u9485",  # ⻐ -> 钅  C-SIMPLIFIED GOLD
    "\u2ed1": "\u9577",  # ⻑ -> 長  LONG ONE
    "\u2ed3": "\u957f",  # ⻓ -> 长  C-SIMPLIFIED LONG
    "\u2ed4": "\u95e8",  # ⻔ -> 门  C-SIMPLIFIED GATE
    "\u2ed8": "\u9752",  # ⻘ -> 青  BLUE
    "\u2ed9": "\u97e6",  # ⻙ -> 韦  C-SIMPLIFIED TANNED LEATHER
    "\u2eda": "\u9875",  # ⻚ -> 页  C-SIMPLIFIED LEAF
    "\u2edb": "\u98ce",  # ⻛ -> 风  C-SIMPLIFIED WIND
    "\u2edc": "\u98de",  # ⻜ -> 飞  C-SIMPLIFIED FLY
    "\u2edd": "\u98df",  # ⻝ -> 食  EAT ONE
    "\u2ee0": "\u9963",  # ⻠ -> 饣  C-SIMPLIFIED EAT
    "\u2ee2": "\u9a6c",  # ⻢ -> 马  C-SIMPLIFIED HORSE
    "\u2ee3": "\u9aa8",  # ⻣ -> 骨  BONE
    "\u2ee4": "\u9b3c",  # ⻤ -> 鬼  GHOST
    "\u2ee5": "\u9c7c",  # ⻥ -> 鱼  C-SIMPLIFIED FISH
    "\u2ee6": "\u9e1f",  # ⻦ -> 鸟  C-SIMPLIFIED BIRD
    "\u2ee7": "\u5364",  # ⻧ -> 卤  C-SIMPLIFIED SALT
    "\u2ee8": "\u9ea6",  # ⻨ -> 麦  SIMPLIFIED WHEAT
    "\u2ee9": "\u9ec4",  # ⻩ -> 黄  SIMPLIFIED YELLOW
    "\u2eea": "\u9efe",  # ⻪ -> 黾  C-SIMPLIFIED FROG
    "\u2eeb": "\u6589",  # ⻫ -> 斉  J-SIMPLIFIED EVEN
    "\u2eec": "\u9f50",  # ⻬ -> 齐  C-SIMPLIFIED EVEN
    "\u2eed": "\u6b6f",  # ⻭ -> 歯  J-SIMPLIFIED TOOTH
    "\u2eee": "\u9f7f",  # ⻮ -> 齿  C-SIMPLIFIED TOOTH
    "\u2eef": "\u7adc",  # ⻯ -> 竜  J-SIMPLIFIED DRAGON
    "\u2ef0": "\u9f99",  # ⻰ -> 龙  C-SIMPLIFIED DRAGON
    "\u2ef1": "\u9f9c",  # ⻱ -> 龜  TURTLE
    "\u2ef2": "\u4e80",  # ⻲ -> 亀  J-SIMPLIFIED TURTLE
    "\u2ef3": "\u9f9f",  # ⻳ -> 龟  C-SIMPLIFIED TURTLE
}


def _build_map() -> dict[str, str]:
    mapping = {chr(cp): unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)}
    mapping.update(_KANGXI_OVERRIDES)
    mapping.update(_SUPPLEMENT)
    mapping.update(_compatibility())
    return mapping


def _compatibility() -> dict[str, str]:
    """CJK Compatibility Ideographs (U+F900..U+FAFF) → their canonical ideographs; the dozen
    unified ideographs in that block (﨎 U+FA0E, 﨏 U+FA0F, …) have none and stay."""
    out = {}
    for cp in range(0xF900, 0xFB00):
        canonical = unicodedata.normalize("NFC", chr(cp))
        if canonical != chr(cp):
            out[chr(cp)] = canonical
    return out


RADICAL_MAP: dict[str, str] = _build_map()

_TABLE = str.maketrans(RADICAL_MAP)


def map_radicals(text: str) -> str:
    """Replace radical code points in `text` by the ideographs they display."""
    return text.translate(_TABLE)
