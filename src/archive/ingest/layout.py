"""Stage 2, first half: characters → rows (by vertical overlap) → fragments (split at wide gaps) →
a line's text, as the reader sees it. columns.py puts the rows into reading order.
Nothing here knows about the newsletter: it is page geometry only."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..chars import SOFT_HYPHEN
from ..model import Box, Line
from .pdf import Char

SPACE_GAP = 0.25  # a gap wider than this share of the font size between glyphs is a word space
FRAGMENT_GAP = 1.0  # a gap wider than this many font sizes splits a row into separate fragments
ROW_OVERLAP = 0.3  # a glyph joins a row when it shares this share of its height with it
ROW_LOOKBACK = 2  # rows (sorted by height) a glyph may join: the last few only
DRAWN_WIDTH = 0.15  # font sizes: a glyph at least this wide is drawn (an unused soft hyphen is not)


@dataclass
class Fragment:
    chars: list[Char]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


def dominant_size(chars: list[Char]) -> float:
    """The most common size of the glyphs that are not blank, to a tenth of a point (the first to
    come of equals: statistics.mode). Counted by exact size first: a page has a few of those, so
    each is rounded once, not once a glyph (this runs for every fragment and line)."""
    exact = Counter(c.size for c in chars if c.text.strip())
    if not exact:
        return 10.0
    rounded: dict[float, int] = {}
    for size, n in exact.items():  # in the order each size first came, so ties go as mode's do
        key = round(size, 1)
        rounded[key] = rounded.get(key, 0) + n
    return max(rounded, key=rounded.__getitem__)


def body_size(lines: list[Line]) -> float:
    weights: Counter[float] = Counter()
    for ln in lines:
        weights[round(ln.size, 1)] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def make_fragment(chars: list[Char]) -> Fragment:
    return Fragment(chars, min(c.x0 for c in chars), max(c.x1 for c in chars), min(c.top for c in chars),
                    max(c.bottom for c in chars), dominant_size(chars))


def group_rows(chars: list[Char]) -> list[list[Char]]:
    """Cluster glyphs into rows by vertical overlap. Latin and CJK fonts in one line have different
    ascents and baselines, so a glyph joins a row when it shares a third of its height with it
    (neighbouring lines never overlap that much)."""
    rows: list[list[Char]] = []
    spans: list[list[float]] = []  # [top, bottom] of each row's first glyphs
    for c in sorted(chars, key=lambda c: ((c.top + c.bottom) / 2, c.x0)):
        h = max(c.bottom - c.top, 0.5)
        for k in range(len(rows) - 1, max(len(rows) - 1 - ROW_LOOKBACK, -1), -1):  # sorted by height
            top, bottom = spans[k]
            overlap = min(bottom, c.bottom) - max(top, c.top)
            if overlap >= ROW_OVERLAP * min(h, bottom - top):
                rows[k].append(c)
                break
        else:
            rows.append([c])
            spans.append([c.top, c.bottom])
    return [sorted(r, key=lambda c: c.x0) for r in rows]


def split_fragments(row: list[Char]) -> list[Fragment]:
    row = sorted(row, key=lambda c: c.x0)
    parts, current = [], [row[0]]
    reach = row[0].x1  # the right edge of the fragment so far
    for c in row[1:]:
        size = max(c.size, current[-1].size, 1.0)
        if c.x0 - reach > FRAGMENT_GAP * size:
            parts.append(current)
            current, reach = [c], c.x1
        else:
            current.append(c)
            reach = max(reach, c.x1)
    parts.append(current)
    return [make_fragment(p) for p in parts if any(c.text.strip() for c in p)]


def line_text(chars: list[Char]) -> str:
    """Text of one line; a space stands for each visible gap, whether or not the PDF has a space glyph.
    A space glyph that the next glyph overlaps has no width on the page (Chromium writes one at
    every soft-hyphen point of a justified line): the reader sees no space there. A drawn glyph
    mapped to U+00AD is a hyphen the reader sees: "-"."""
    chars = sorted(chars, key=lambda c: c.x0)
    # A producer that writes space glyphs writes all of them: then a gap between two Latin letters
    # without one is justification stretch inside a word, not a word break.
    spaced = any(c.text == " " for c in chars)
    out, prev = [], None
    for i, c in enumerate(chars):
        if c.text == " ":
            nxt = chars[i + 1] if i + 1 < len(chars) else None
            half = c.x0 + 0.5 * (c.x1 - c.x0)
            if (nxt is not None and nxt.x0 < half) or (prev is not None and prev.x1 > half):
                continue
            if out and out[-1] != " ":
                out.append(" ")
            continue
        if prev is not None and out and out[-1] != " ":
            latin = c.text.isascii() and c.text.isalnum() and prev.text.isascii() and prev.text.isalnum()
            if c.x0 - prev.x1 > SPACE_GAP * max(min(c.size, prev.size), 1.0) and not (spaced and latin):
                out.append(" ")
        if c.text == SOFT_HYPHEN and c.x1 - c.x0 > DRAWN_WIDTH * c.size:
            out.append("-")  # a drawn hyphen glyph the producer maps to U+00AD, printed hyphens too (Typst):
        else:  # inside a line it is one; at a line's end the word list decides, as for any hyphen
            out.append(c.text)
        if c.text.strip():
            prev = c
    return "".join(out).strip()


def to_line(page: int, frags: list[Fragment], left: float, right: float, column: int = 0) -> Line:
    """A line of the page from its fragments; `left`/`right` are the edges of the column it is set in."""
    chars = [c for f in frags for c in f.chars]
    box = Box(page, min(f.x0 for f in frags), min(f.top for f in frags), max(f.x1 for f in frags),
              max(f.bottom for f in frags))
    return Line(box, line_text(chars), dominant_size(chars), left, right, column, dominant_font(chars),
                min(c.confidence for c in chars))


def dominant_font(chars: list[Char]) -> str:
    """The font of most glyphs, without the subset tag (ABCDEF+SimHei → SimHei)."""
    fonts = Counter(c.fontname.split("+", 1)[-1] for c in chars if c.text.strip())
    return fonts.most_common(1)[0][0] if fonts else ""
