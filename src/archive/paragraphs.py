"""Stage 4: printed lines (all pages, reading order) → blocks: titles and paragraphs.

A paragraph ends where its last line stops short of the column's right edge, where the next line
is indented, where the line spacing opens up, or where the type size changes. A paragraph runs on
across a page or column break when its line reached the right edge and the next is not indented:
that is what gives every item its page span."""
from __future__ import annotations

import re
import statistics
from collections import Counter
from typing import Callable

from .layout import body_size
from .model import Block, Line

TITLE_END = re.compile(r"[。！？；;：:，,）)」』”]$")  # a line ending like a sentence is not a title


def body_font(lines: list[Line]) -> str:
    weights: Counter[str] = Counter()
    for ln in lines:
        weights[ln.font] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else ""


def typical_indent(lines: list[Line], size: float) -> float:
    indents = [round((ln.box.x0 - ln.left) / size * 2) / 2 for ln in lines
               if 0.5 * size <= ln.box.x0 - ln.left <= 4 * size]
    return statistics.mode(indents) * size if indents else 2 * size


def typical_gap(lines: list[Line]) -> float:
    gaps = [b.box.top - a.box.bottom for a, b in zip(lines, lines[1:])
            if a.page == b.page and a.column == b.column and abs(a.size - b.size) < 0.5 and b.box.top > a.box.top]
    return statistics.median(gaps) if gaps else 0.0


def first_word_width(prev: Line, ln: Line) -> float:
    """Estimated width of what would have had to fit at the end of `prev` for `ln` to start later."""
    text = ln.text
    if re.search(r"[A-Za-z0-9]$", prev.text):  # Latin context: words break only at spaces
        word = text.split(" ", 1)[0]
    else:
        m = re.match(r"[A-Za-z0-9'’.,\-]+", text)
        word = m.group(0) if m else text[:1]
    per_char = (ln.box.x1 - ln.box.x0) / max(len(text), 1)
    return len(word) * per_char


WINDOW = 4  # lines either side that define a block's local text edges


def local_edges(lines: list[Line]) -> dict[int, tuple[float, float]]:
    """Each line's left and right text edge, from its neighbours in the same column: a block set
    narrower than the page (an abstract, a quotation) has edges of its own. An edge counts only
    where several lines reach it; otherwise the column's edges stand."""
    edges = {}
    for i, ln in enumerate(lines):
        near = [o for o in lines[max(0, i - WINDOW):i + WINDOW + 1]
                if o.page == ln.page and o.column == ln.column and abs(o.size - ln.size) < 0.1 * ln.size]
        left, right = ln.left, ln.right
        lo = min(o.box.x0 for o in near)
        if sum(1 for o in near if o.box.x0 - lo < 0.5 * ln.size) >= 2 and lo > ln.left + ln.size:
            left = lo
        hi = max(o.box.x1 for o in near)
        if sum(1 for o in near if hi - o.box.x1 < ln.size) >= 3 and hi < ln.right - ln.size:
            right = hi
        edges[id(ln)] = (left, right)
    return edges


def local_gaps(lines: list[Line], default: float) -> dict[int, float]:
    """Each line's usual gap to the line above, from its neighbours: leading differs between the
    blocks of one document (an abstract set loose, the body tight)."""
    pairs = [(i, b.box.top - a.box.bottom) for i, (a, b) in enumerate(zip(lines, lines[1:]), 1)
             if a.page == b.page and a.column == b.column and abs(a.size - b.size) < 0.5 and b.box.top > a.box.top]
    out = {}
    for i, ln in enumerate(lines):
        near = [g for j, g in pairs if abs(j - i) <= WINDOW]
        out[id(ln)] = statistics.median(near) if len(near) >= 3 else default
    return out


class Classifier:
    def __init__(self, lines: list[Line]):
        self.body = body_size(lines)
        self.body_font = body_font(lines)
        self.indent = typical_indent([ln for ln in lines if abs(ln.size - self.body) < 0.5], self.body)
        self.gap = typical_gap(lines)
        self.edges = local_edges(lines)
        self.gaps = local_gaps(lines, self.gap)

    def left_gap(self, ln: Line) -> float:
        return ln.box.x0 - self.edges[id(ln)][0]

    def right_gap(self, ln: Line) -> float:
        return self.edges[id(ln)][1] - ln.box.x1

    def is_display(self, ln: Line) -> bool:
        return ln.size > self.body * 1.12

    def is_centered(self, ln: Line) -> bool:
        lg, rg = self.left_gap(ln), self.right_gap(ln)
        if lg < 2 * ln.size or rg < 1.5 * ln.size or abs(lg - rg) > max(ln.size * 1.2, 0.08 * (lg + rg)):
            return False
        if TITLE_END.search(ln.text):
            return False
        # a one-line indented paragraph can look centred by chance: at body size, its indent gives it away
        return self.is_display(ln) or abs(lg - self.indent) > 0.75 * ln.size

    def is_title(self, ln: Line) -> bool:
        return (self.is_centered(ln) or (self.is_display(ln) and not TITLE_END.search(ln.text))
                or self.is_font_heading(ln))

    def is_font_heading(self, ln: Line) -> bool:
        """A short Chinese line set in another font than the body (黑体 or bold in a 宋体 text), on its
        own: a left-aligned heading such as 一、党史学习教育进行篇."""
        text = ln.text.replace(" ", "")
        if not ln.font or ln.font == self.body_font or len(text) > 30 or TITLE_END.search(text):
            return False
        cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
        return cjk >= 0.6 * len(text) and self.ends_short(ln) and not self.is_indented_beyond_paragraph(ln)

    def is_indented_beyond_paragraph(self, ln: Line) -> bool:
        return self.left_gap(ln) > self.indent + ln.size

    def is_indented(self, ln: Line) -> bool:
        return self.left_gap(ln) >= 0.8 * ln.size

    def ends_short(self, ln: Line, nxt: Line | None = None) -> bool:
        """Did the line stop short of the column's edge, though the next line's first word would
        have fitted? (A long Latin word, or a CJK run in Latin-style wrapping, leaves a short line
        inside a paragraph.)"""
        gap = self.right_gap(ln)
        if gap <= 1.5 * ln.size:
            return False
        return nxt is None or first_word_width(ln, nxt) < gap

    def spaced(self, prev: Line, ln: Line) -> bool:
        if prev.page != ln.page or prev.column != ln.column or ln.box.top <= prev.box.top:
            return False
        return ln.box.top - prev.box.bottom > self.gaps[id(ln)] + 0.6 * ln.size


def make_blocks(lines: list[Line], starts_block: Callable[[str], bool] = lambda text: False) -> list[Block]:
    """Group lines into blocks. `starts_block` lets the caller name labels that always begin a
    new block (a footer's "抄送：", say) whatever the geometry."""
    if not lines:
        return []
    cls = Classifier(lines)
    blocks: list[Block] = []
    for ln in lines:
        kind = "title" if cls.is_title(ln) else "para"
        prev_block = blocks[-1] if blocks else None
        if prev_block and prev_block.kind == kind == "title":
            prev = prev_block.lines[-1]
            centred_together = abs((prev.box.x0 + prev.box.x1) - (ln.box.x0 + ln.box.x1)) < 4 * ln.size
            if (abs(prev.size - ln.size) < 0.5 and prev.page == ln.page and prev.column == ln.column
                    and (centred_together or abs(prev.box.x0 - ln.box.x0) < ln.size)
                    and not cls.spaced(prev, ln) and not starts_block(ln.text)):
                prev_block.lines.append(ln)  # a title printed over two lines
                continue
        if prev_block and prev_block.kind == kind == "para":
            prev = prev_block.lines[-1]
            new = (cls.is_indented(ln) or cls.ends_short(prev, ln) or cls.spaced(prev, ln)
                   or abs(prev.size - ln.size) > 0.1 * cls.body or starts_block(ln.text))
            if not new:
                prev_block.lines.append(ln)
                continue
        blocks.append(Block(kind, [ln]))
    return blocks
