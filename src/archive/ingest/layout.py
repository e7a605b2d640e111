"""Stage 2: characters → printed lines in reading order, each with its page, box and column.

Rows are found from vertical overlap, a column gutter from horizontal coverage across rows
(an x range that text in many rows avoids), and two-column stretches are read column by column.
Nothing here knows about the newsletter: it is page geometry only."""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from ..model import Box, Line
from .pdf import Char, Page

SPACE_GAP = 0.25  # a gap wider than this share of the font size between glyphs is a word space
FRAGMENT_GAP = 1.0  # a gap wider than this many font sizes splits a row into separate fragments
ROW_OVERLAP = 0.3  # a glyph joins a row when it shares this share of its height with it
ROW_LOOKBACK = 2  # rows (sorted by height) a glyph may join: the last few only
GUTTER_SEARCH = (0.25, 0.75)  # a gutter is looked for in this middle part of the text width
GUTTER_MAX_COVER = 0.4  # ...where at most this share of the rows has text
GUTTER_MIN_ROWS = 4  # fewer rows than this show no columns
COLUMN_MIN_ROWS = 2  # rows wholly on each side of a gutter, at least
# How a fragment sits in a column (in body sizes): from its left edge, indented at most INDENT_MAX,
# or centred within CENTRE_TOLERANCE; it may overhang the left edge by LEFT_SLACK and the right by RIGHT_SLACK.
LEFT_SLACK, RIGHT_SLACK, INDENT_MAX, CENTRE_TOLERANCE = 1.0, 1.5, 4.5, 1.5
RIGHT_EDGE_RANK = 0.8  # a column's right edge: where this share of its lines end (ragged lines end before it)
LEFT_EDGE_RANK = 0.1  # its left edge: the commonest start, or where the first tenth of its lines start


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
    sizes = [round(c.size, 1) for c in chars if c.text.strip()]
    return statistics.mode(sizes) if sizes else 10.0


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
    for c in row[1:]:
        size = max(c.size, current[-1].size, 1.0)
        if c.x0 - max(p.x1 for p in current) > FRAGMENT_GAP * size:
            parts.append(current)
            current = [c]
        else:
            current.append(c)
    parts.append(current)
    return [make_fragment([c for c in p]) for p in parts if any(c.text.strip() for c in p)]


def line_text(chars: list[Char]) -> str:
    """Text of one line; a space stands for each visible gap, whether or not the PDF has a space glyph.
    A space glyph that the next glyph overlaps has no width on the page (Chromium writes one at
    every soft-hyphen point of a justified line): the reader sees no space there."""
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
        out.append(c.text)
        if c.text.strip():
            prev = c
    return "".join(out).strip()


def find_gutter(rows: list[list[Fragment]], left: float, right: float) -> tuple[float, float] | None:
    """The x range between two text columns, or None for a single column.

    Counts, for each point of the middle half of the text width, how many rows have text there;
    a gutter is where few rows do while many rows have text wholly on each side."""
    width = right - left
    if width <= 0 or len(rows) < GUTTER_MIN_ROWS:
        return None
    lo, hi = left + width * GUTTER_SEARCH[0], left + width * GUTTER_SEARCH[1]
    steps = int(hi - lo) + 1
    cover = [0] * steps
    for frags in rows:
        for f in frags:
            a, b = max(int(f.x0 - lo), 0), min(int(f.x1 - lo), steps - 1)
            for i in range(a, b + 1):
                cover[i] += 1
    least = min(cover)
    if least > len(rows) * GUTTER_MAX_COVER:
        return None
    # the widest run of least-covered points, nearest the middle on ties
    best, run_start = None, None
    for i, n in enumerate(cover + [least + 1]):
        if n == least and run_start is None:
            run_start = i
        elif n != least and run_start is not None:
            run = (run_start, i - 1)
            key = (run[1] - run[0], -abs((run[0] + run[1]) / 2 - steps / 2))
            if best is None or key > best[0]:
                best = (key, run)
            run_start = None
    g0, g1 = lo + best[1][0], lo + best[1][1] + 1
    mid = (g0 + g1) / 2
    left_rows = sum(1 for frags in rows if any(f.x1 <= mid for f in frags) and not crosses(frags, g0, g1))
    right_rows = sum(1 for frags in rows if any(f.x0 >= mid for f in frags) and not crosses(frags, g0, g1))
    if min(left_rows, right_rows) < COLUMN_MIN_ROWS:
        return None
    return g0, g1


def gutter_fits(rows: list[list[Fragment]], gutter: tuple[float, float]) -> bool:
    """Does the gutter of the page before fit this page (a short last page, columns balanced)?"""
    g0, g1 = gutter
    mid = (g0 + g1) / 2
    if any(f.x0 < g1 and f.x1 > g0 for r in rows for f in r):
        return False  # text in the gutter: this page is set differently
    left = sum(1 for r in rows if any(f.x1 <= mid for f in r))
    right = sum(1 for r in rows if any(f.x0 >= mid for f in r))
    return left >= COLUMN_MIN_ROWS and right >= COLUMN_MIN_ROWS


def crosses(frags: list[Fragment], g0: float, g1: float) -> bool:
    return any(f.x0 < g0 and f.x1 > g1 for f in frags)


@dataclass
class ColumnBox:
    left: float
    right: float
    size: float

    @property
    def center(self) -> float:
        return (self.left + self.right) / 2

    def fits(self, f: Fragment) -> bool:
        """Does the fragment sit in this column as a column's text does: from its left edge
        (indented at most a few characters), or centred in it?"""
        if f.x0 < self.left - LEFT_SLACK * self.size or f.x1 > self.right + RIGHT_SLACK * self.size:
            return False
        return (f.x0 <= self.left + INDENT_MAX * self.size
                or abs(f.center - self.center) <= CENTRE_TOLERANCE * self.size)


def column_box(frags: list[Fragment], body_size: float) -> ColumnBox:
    lefts = sorted(round(f.x0) for f in frags)
    rights = sorted(f.x1 for f in frags)
    left = statistics.mode(lefts) if lefts else 0.0
    left = min(left, lefts[int(len(lefts) * LEFT_EDGE_RANK)]) if lefts else left
    right = rights[int(len(rights) * RIGHT_EDGE_RANK)] if rights else left
    return ColumnBox(left, right, body_size)


def page_lines(page: Page) -> list[Line]:
    """All lines of a page in reading order."""
    return layout_page(page)[0]


def layout_page(page: Page, hint: tuple[float, float] | None = None) -> tuple[list[Line], tuple[float, float] | None]:
    """All lines of a page in reading order, and the column gutter found (None: one column).
    `hint` is the previous page's gutter, tried where this page has too few lines to show its own."""
    if not any(c.text.strip() for c in page.chars):
        return [], None
    rows = [split_fragments(r) for r in group_rows(page.chars)]
    rows = [r for r in rows if r]
    body_size = dominant_size([c for r in rows for f in r for c in f.chars])
    left, right = min(f.x0 for r in rows for f in r), max(f.x1 for r in rows for f in r)
    full = column_box([f for r in rows for f in r], body_size)
    full = ColumnBox(min(full.left, left), max(full.right, 0), body_size)
    gutter = find_gutter(rows, left, right)
    if gutter is None and hint is not None and gutter_fits(rows, hint):
        gutter = hint
    if gutter is None:
        return [to_line(page.number, r, full) for r in rows], None

    g0, g1 = gutter
    mid = (g0 + g1) / 2
    split_rows = [r for r in rows if not crosses(r, g0, g1)]
    lcol = column_box([f for r in split_rows for f in r if f.x1 <= mid], body_size)
    rcol = column_box([f for r in split_rows for f in r if f.x0 >= mid], body_size)
    lcol.right = min(lcol.right, g0)
    out: list[Line] = []
    band_left: list[list[Fragment]] = []
    band_right: list[list[Fragment]] = []

    def flush():
        out.extend(to_line(page.number, r, lcol, 1) for r in band_left)
        out.extend(to_line(page.number, r, rcol, 2) for r in band_right)
        band_left.clear()
        band_right.clear()

    for r in rows:
        lf = [f for f in r if f.x1 <= mid]
        rf = [f for f in r if f.x0 >= mid]
        in_columns = (not crosses(r, g0, g1) and all(lcol.fits(f) for f in lf)
                      and all(rcol.fits(f) for f in rf))
        if not in_columns:  # a full-width row (masthead, spanning title) ends the two-column band
            flush()
            out.append(to_line(page.number, r, full))
            continue
        if lf:
            band_left.append(lf)
        if rf:
            band_right.append(rf)
    flush()
    return out, gutter


def to_line(page: int, frags: list[Fragment], col: ColumnBox, column: int = 0) -> Line:
    chars = [c for f in frags for c in f.chars]
    box = Box(page, min(f.x0 for f in frags), min(f.top for f in frags), max(f.x1 for f in frags),
              max(f.bottom for f in frags))
    return Line(box, line_text(chars), dominant_size(chars), col.left, col.right, column, dominant_font(chars),
                min(c.confidence for c in chars))


def dominant_font(chars: list[Char]) -> str:
    """The font of most glyphs, without the subset tag (ABCDEF+SimHei → SimHei)."""
    fonts = Counter(c.fontname.split("+", 1)[-1] for c in chars if c.text.strip())
    return fonts.most_common(1)[0][0] if fonts else ""
