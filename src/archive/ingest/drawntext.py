"""Stage 1, text drawn as vector outlines: lines of glyph-sized filled paths where no text layer is.

A print shop's PDF (Ghostscript's -dNoOutputFonts, a text-to-path export from Inkscape, cairo or
MuPDF) draws each glyph as filled paths, one or more per glyph (a Chinese character's strokes and
dots, a letter's bowl and hole): no fonts, no text. What is left of a line of text is a row of
small filled shapes, as tall as its type, each close to the next. Charts, ruled tables and logos
are paths too, but their pieces are large (bars, frames), thin (rules), few (a logo) or far apart
(a chart's markers): they do not make long rows of many small shapes.

`drawn_lines(shapes, chars)` joins the shapes that no glyph of the text layer covers into runs
(shapes sharing most of the smaller one's height and close together side by side) and keeps the
runs that look like lines of type; `drawn_ems` says how much text they hold, in ems (about one
Chinese character an em), to compare with the text layer's glyphs."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pdf.py asks this module which paths are text: no import back at run time
    from .pdf import Char

Rect = tuple[float, float, float, float]  # x0, top, x1, bottom (as pdf.Rect)

MAX_GLYPH_PT = 48.0  # a filled path taller or wider than this is no glyph of running text (a bar, a frame)
THIN_PT, THIN_ASPECT = 1.5, 6.0  # thinner than this and this many times longer: a rule (or a 一; never missed)
SAME_ROW = 0.5  # two shapes are in one row when they share this share of the smaller one's height
JOIN_GAP = 0.6  # ... and the gap between them is at most this share of the taller one's height
MIN_TYPE_PT, MAX_TYPE_PT = 4.0, MAX_GLYPH_PT  # a run this tall may be a line of type
MIN_RUN_EMS = 2.0  # a line of type is at least this many of its heights long
MIN_SHAPES_PER_EM = 1.2  # a glyph is drawn with one path or more (strokes, holes): bars and markers are fewer
GRID = 24.0  # pt: cell of the spatial index that finds neighbouring shapes


def is_glyph_sized(box: Rect) -> bool:
    """A filled path that may be (a piece of) a glyph: small, not a degenerate point, not a rule."""
    x0, top, x1, bottom = box
    w, h = x1 - x0, bottom - top
    if w <= 0 or h <= 0 or max(w, h) > MAX_GLYPH_PT:
        return False
    return not (min(w, h) < THIN_PT and max(w, h) >= THIN_ASPECT * min(w, h))


def uncovered(shapes: list[Rect], chars: list[Char]) -> list[Rect]:
    """The shapes whose middle no visible glyph of the text layer covers (a text layer laid over
    its own outlines, or an invisible one over drawn text, reads as text)."""
    boxes = [c for c in chars if c.text.strip()]
    if not boxes:
        return list(shapes)
    grid: dict[tuple[int, int], list[Char]] = {}
    for c in boxes:
        for key in cells((c.x0, c.top, c.x1, c.bottom)):
            grid.setdefault(key, []).append(c)
    out = []
    for s in shapes:
        cx, cy = (s[0] + s[2]) / 2, (s[1] + s[3]) / 2
        near = grid.get((int(cx // GRID), int(cy // GRID)), ())
        if not any(c.x0 <= cx <= c.x1 and c.top <= cy <= c.bottom for c in near):
            out.append(s)
    return out


def cells(box: Rect):
    x0, top, x1, bottom = box
    for gx in range(int(x0 // GRID), int(x1 // GRID) + 1):
        for gy in range(int(top // GRID), int(bottom // GRID) + 1):
            yield gx, gy


def joined(a: Rect, b: Rect) -> bool:
    """Two shapes of one line: side by side in one row, close together."""
    ha, hb = a[3] - a[1], b[3] - b[1]
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    if overlap < SAME_ROW * min(ha, hb):
        return False
    gap = max(a[0], b[0]) - min(a[2], b[2])
    return gap <= JOIN_GAP * max(ha, hb)


def runs(shapes: list[Rect]) -> list[list[Rect]]:
    """Shapes joined into runs (connected by `joined`), found through a grid of cells."""
    parent = list(range(len(shapes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    grid: dict[tuple[int, int], list[int]] = {}
    reach = JOIN_GAP * MAX_GLYPH_PT  # a neighbour's gap is judged by the taller one's height
    for i, s in enumerate(shapes):
        for key in cells((s[0] - reach, s[1], s[2] + reach, s[3])):
            for j in grid.get(key, ()):
                if root(i) != root(j) and joined(s, shapes[j]):
                    parent[root(i)] = root(j)
        for key in cells(s):
            grid.setdefault(key, []).append(i)
    groups: dict[int, list[Rect]] = {}
    for i, s in enumerate(shapes):
        groups.setdefault(root(i), []).append(s)
    return list(groups.values())


def bounds(group: list[Rect]) -> Rect:
    return (min(s[0] for s in group), min(s[1] for s in group), max(s[2] for s in group), max(s[3] for s in group))


def is_type_line(group: list[Rect]) -> bool:
    """A run that looks like a line of type: type-sized, several heights long, with a path or more per em."""
    x0, top, x1, bottom = bounds(group)
    height = bottom - top
    if not MIN_TYPE_PT <= height <= MAX_TYPE_PT:
        return False
    ems = (x1 - x0) / height
    return ems >= MIN_RUN_EMS and len(group) >= MIN_SHAPES_PER_EM * ems


def drawn_lines(shapes: list[Rect], chars: list[Char]) -> list[Rect]:
    """Boxes of the lines of text a page draws as outlines, where its text layer has none."""
    free = [s for s in uncovered(shapes, chars) if is_glyph_sized(s)]
    return [bounds(g) for g in runs(free) if is_type_line(g)]


def drawn_ems(lines: list[Rect]) -> float:
    """How much text the drawn lines hold, in ems (a line's length over its height)."""
    return sum((x1 - x0) / (bottom - top) for x0, top, x1, bottom in lines)
