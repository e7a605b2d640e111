"""Stage 1b: OCR's traditional forms in a simplified text put back.

The recogniser knows both scripts, and on a coarse scan it reads some simplified characters as
their traditional forms (150-dpi office scans: 「读紅色家書」, 「與」, 「國」, 「中鋁」, 「采集時间」), so
a unit's name is not found and a footer label not recognised. A page whose text is simplified
Chinese — its characters with a traditional counterpart outnumber, SIMPLIFIED_MAJORITY to one, those
that are traditional forms — has its traditional forms read as the simplified ones
(data/traditional.txt: OpenCC's table, the traditional forms outside GB 2312 only, so no character
simplified text prints is changed; scripts/fixtures/build_traditional.py). A page in traditional
characters is left as it is. One character for one: the glyph boxes stay as the engine gave them."""
from __future__ import annotations

import functools
from importlib import resources

SIMPLIFIED_MAJORITY = 3  # simplified forms this many times the traditional ones: the page is simplified text


@functools.lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """Traditional form → simplified character."""
    text = resources.files("archive").joinpath("data").joinpath("traditional.txt").read_text(encoding="utf-8")
    return dict(row.split("\t") for row in text.splitlines() if "\t" in row)


@functools.lru_cache(maxsize=1)
def simplified_forms() -> frozenset[str]:
    return frozenset(table().values())


def is_simplified_text(texts: list[str]) -> bool:
    """Is the text simplified Chinese: its simplified forms SIMPLIFIED_MAJORITY times its traditional ones?"""
    trad, simp = table(), simplified_forms()
    t = sum(1 for text in texts for ch in text if ch in trad)
    s = sum(1 for text in texts for ch in text if ch in simp)
    return t > 0 and s >= SIMPLIFIED_MAJORITY * t


def simplify(texts: list[str]) -> list[str]:
    """The page's OCR'd lines, their traditional forms made simplified where the page is simplified text."""
    if not is_simplified_text(texts):
        return texts
    trad = table()
    return ["".join(trad.get(ch, ch) for ch in text) for text in texts]
