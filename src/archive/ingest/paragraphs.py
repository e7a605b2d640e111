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

from ..chars import han_share
from ..model import Block, Line
from .layout import body_size
from .pdf import Rect
from .tables import TABLE_FONT

TITLE_END = re.compile(r"[。！？；;：:，,）)」』”]$")  # a line ending like a sentence is not a title

# Tolerances, in multiples of the line's type size unless said otherwise.
WINDOW = 4  # lines either side that define a block's local text edges and leading
DISPLAY_RATIO = 1.12  # type this much larger than the body's is display type: a title
SAME_SIZE_PT = 0.5  # sizes closer than this (pt) are one size
SIZE_CHANGE = 0.1  # a change of size by this share of the body size ends a paragraph
CENTRE_LEFT, CENTRE_RIGHT = 2.0, 1.5  # a centred line keeps at least this much free on its left and right
CENTRE_SKEW, CENTRE_SKEW_SHARE = 1.2, 0.08  # ...and the two differ by at most this, or this share of both
INDENT_LIKE = 0.75  # a body-size "centred" line whose left gap is within this of the indent is an indented line
INDENTED = 0.8  # a line starting this far in from the left edge is indented
SHORT_END = 1.5  # a line ending this far short of the right edge stopped short
LEADING_OPEN = 0.6  # a gap above the line this much wider than the local leading opens a new block
EDGE_NEAR_LEFT, EDGE_LINES_LEFT = 0.5, 2  # a local left edge: this many lines start within this of it
EDGE_NEAR_RIGHT, EDGE_LINES_RIGHT = 1.0, 3  # a local right edge: this many lines end within this of it
EDGE_INSET = 1.0  # ...and it lies at least this far inside the column's edge
INDENT_RANGE = (0.5, 4.0)  # left gaps counted when finding the usual first-line indent
DEFAULT_INDENT = 2.0  # the usual first-line indent where none is seen (two characters)
MIN_LOCAL_GAPS = 3  # local leading needs this many measured gaps, else the document's stands
HEADING_MAX_CHARS = 30  # a heading set in another font is this short at most
HEADING_HAN_SHARE = 0.6  # ...and mostly Chinese characters
TITLE_ALIGN = 4.0  # two title lines whose centres lie this close belong to one title
# Captions: a short line (CAPTION_MAX characters) whose top lies within CAPTION_GAP sizes under a
# picture (or up to CAPTION_OVERLAP into it) over CAPTION_WIDTH_SHARE of its width; or one that opens
# like a caption. A caption's next line follows within CAPTION_LEADING sizes.
CAPTION_MAX, CAPTION_GAP, CAPTION_OVERLAP, CAPTION_WIDTH_SHARE, CAPTION_LEADING = 60, 1.5, 0.5, 0.5, 1.0
CAPTION_CENTRED = 1.0  # sizes: a caption's next line centred with it has its middle this close (a paragraph's
# indented first line under a long left-set caption has its middle a size or two away)
CAPTION_FULL = 0.9  # a line as wide as the picture is the text going on under it, not its caption
CAPTION_START = re.compile(r"^(图为|图：|图:|图片：|图片:|▲|△|图\s*[0-9０-９]+|（图[）:：]?)")
TABLE_TITLE = re.compile(r"^(表\s*[0-9０-９一二三四五六七八九十]+|附表)")


def body_font(lines: list[Line]) -> str:
    weights: Counter[str] = Counter()
    for ln in lines:
        weights[ln.font] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else ""


def typical_indent(lines: list[Line], size: float) -> float:
    lo, hi = INDENT_RANGE
    indents = [round((ln.box.x0 - ln.left) / size * 2) / 2 for ln in lines
               if lo * size <= ln.box.x0 - ln.left <= hi * size]
    return statistics.mode(indents) * size if indents else DEFAULT_INDENT * size


def typical_gap(lines: list[Line]) -> float:
    gaps = [b.box.top - a.box.bottom for a, b in zip(lines, lines[1:])
            if same_flow(a, b) and abs(a.size - b.size) < SAME_SIZE_PT and b.box.top > a.box.top]
    return statistics.median(gaps) if gaps else 0.0


def same_flow(a: Line, b: Line) -> bool:
    """Are two lines in the same column of the same page?"""
    return a.page == b.page and a.column == b.column


def first_word_width(prev: Line, ln: Line) -> float:
    """Estimated width of what would have had to fit at the end of `prev` for `ln` to start later."""
    text = ln.text
    if re.search(r"[A-Za-z0-9]$", prev.text):  # Latin context: words break only at spaces
        word = text.split(" ", 1)[0]
    else:
        m = re.match(r"[A-Za-z0-9'’.,\-%‰°℃]+", text)
        word = max(m.group(0) + closers(text[m.end():]) if m else first_unit(text), quoted_unit(text), key=len)
    per_char = (ln.box.x1 - ln.box.x0) / max(len(text), 1)
    return len(word) * per_char


LINE_START_BANNED = "”’」』）》〉】〕)]，。、；：！？,.;:!?…—·"  # may not begin a line: they stay with what precedes
LINE_END_BANNED = "“‘「『（《〈【〔(["  # may not end a line: they go with what follows
QUOTES = "“”‘’"  # ambiguous quotation marks (UAX #14 class QU): a line breaker following it breaks neither
# before nor after one (WeasyPrint/Pango does, in Chinese text too)


def first_unit(text: str) -> str:
    """What a Chinese line break cannot split at the start of a line: opening marks with the
    character they open and the closing marks that follow it (“国” of “国”从来…); and, since a
    line breaker may treat curly quotes as gluing to both sides, what runs on through them
    (量，“家”与 of 量，“家”与“国”…: the shortest a producer may have carried over)."""
    i = 0
    while i < len(text) and text[i] in LINE_END_BANNED:
        i += 1
    i += 1
    while i < len(text) and (text[i] in LINE_START_BANNED or text[i] in QUOTES or text[i - 1] in QUOTES):
        i += 1
    return text[:i]


def closers(text: str) -> str:
    """The marks at the start of `text` that may not begin a line (28%|，实现 breaks after the ，)."""
    i = 0
    while i < len(text) and text[i] in LINE_START_BANNED:
        i += 1
    return text[:i]


QUOTES = "“”‘’\""  # UAX #14 class QU: no break on either side (Pango's breaking, Latin style)


def quoted_unit(text: str) -> str:
    """What a breaker that glues quotation marks to both neighbours (UAX #14 LB19, as Pango and
    WeasyPrint do) cannot split at the start of a line: 量，“家”与“国”从 of 量，“家”与“国”从来…"""
    unit = first_unit(text)
    i = len(unit)
    while i < len(text) and (text[i] in QUOTES or text[i - 1] in QUOTES or text[i] in LINE_START_BANNED):
        i += 1
    return text[:i]


def local_edges(lines: list[Line]) -> dict[int, tuple[float, float]]:
    """Each line's left and right text edge, from its neighbours in the same column: a block set
    narrower than the page (an abstract, a quotation) has edges of its own. An edge counts only
    where several lines reach it; otherwise the column's edges stand."""
    edges = {}
    for i, ln in enumerate(lines):
        near = [o for o in lines[max(0, i - WINDOW):i + WINDOW + 1]
                if o is ln or same_flow(o, ln) and abs(o.size - ln.size) < SIZE_CHANGE * ln.size]
        left, right, size = ln.left, ln.right, ln.size
        lo = min(o.box.x0 for o in near)
        if (sum(1 for o in near if o.box.x0 - lo < EDGE_NEAR_LEFT * size) >= EDGE_LINES_LEFT
                and lo > ln.left + EDGE_INSET * size):
            left = lo
        hi = max(o.box.x1 for o in near)
        if (sum(1 for o in near if hi - o.box.x1 < EDGE_NEAR_RIGHT * size) >= EDGE_LINES_RIGHT
                and hi < ln.right - EDGE_INSET * size):
            right = hi
        edges[id(ln)] = (left, right)
    return edges


def local_gaps(lines: list[Line], default: float) -> dict[int, float]:
    """Each line's usual gap to the line above, from its neighbours: leading differs between the
    blocks of one document (an abstract set loose, the body tight)."""
    pairs = [(i, b.box.top - a.box.bottom) for i, (a, b) in enumerate(zip(lines, lines[1:]), 1)
             if same_flow(a, b) and abs(a.size - b.size) < SAME_SIZE_PT and b.box.top > a.box.top]
    out = {}
    for i, ln in enumerate(lines):
        near = [g for j, g in pairs if abs(j - i) <= WINDOW]
        out[id(ln)] = statistics.median(near) if len(near) >= MIN_LOCAL_GAPS else default
    return out


class Classifier:
    def __init__(self, lines: list[Line], images: dict[int, list[Rect]] | None = None):
        self.images = images or {}
        lines = [ln for ln in lines if ln.font != TABLE_FONT] or lines  # a table's text is not the body's
        self.body = body_size(lines)
        self.body_font = body_font(lines)
        self.indent = typical_indent([ln for ln in lines if abs(ln.size - self.body) < SAME_SIZE_PT], self.body)
        self.gap = typical_gap(lines)
        self.edges = local_edges(lines)
        self.gaps = local_gaps(lines, self.gap)

    def left_gap(self, ln: Line) -> float:
        return ln.box.x0 - self.edges[id(ln)][0]

    def right_gap(self, ln: Line) -> float:
        return self.edges[id(ln)][1] - ln.box.x1

    def is_display(self, ln: Line) -> bool:
        return ln.size > self.body * DISPLAY_RATIO

    def is_centered(self, ln: Line) -> bool:
        lg, rg, size = self.left_gap(ln), self.right_gap(ln), ln.size
        if (lg < CENTRE_LEFT * size or rg < CENTRE_RIGHT * size
                or abs(lg - rg) > max(CENTRE_SKEW * size, CENTRE_SKEW_SHARE * (lg + rg))):
            return False
        if TITLE_END.search(ln.text):
            return False
        # a one-line indented paragraph can look centred by chance: at body size, its indent gives it away
        return self.is_display(ln) or abs(lg - self.indent) > INDENT_LIKE * size

    def is_title(self, ln: Line) -> bool:
        return (self.is_centered(ln) or (self.is_display(ln) and not TITLE_END.search(ln.text))
                or self.is_font_heading(ln))

    def is_font_heading(self, ln: Line) -> bool:
        """A short Chinese line set in another font than the body (黑体 or bold in a 宋体 text), on its
        own: a left-aligned heading such as 一、党史学习教育进行篇."""
        text = ln.text.replace(" ", "")
        if not ln.font or ln.font == self.body_font or len(text) > HEADING_MAX_CHARS or TITLE_END.search(text):
            return False
        return (han_share(text) >= HEADING_HAN_SHARE and self.ends_short(ln)
                and not self.is_indented_beyond_paragraph(ln))

    def is_indented_beyond_paragraph(self, ln: Line) -> bool:
        return self.left_gap(ln) > self.indent + ln.size

    def is_indented(self, ln: Line) -> bool:
        return self.left_gap(ln) >= INDENTED * ln.size

    def ends_short(self, ln: Line, nxt: Line | None = None) -> bool:
        """Did the line stop short of the column's edge, though the next line's first word would
        have fitted? (A long Latin word, or a CJK run in Latin-style wrapping, leaves a short line
        inside a paragraph.)"""
        gap = self.right_gap(ln)
        if gap <= SHORT_END * ln.size:
            return False
        return nxt is None or first_word_width(ln, nxt) < gap

    def under_picture(self, ln: Line, worded: bool = False, above: Line | None = None) -> bool:
        """Does the line sit right under a picture as its caption: within its width, and (unless it
        opens like a caption, `worded`) centred under it or set smaller than the body, not a
        paragraph that goes on under the picture? Not if the line read before it, `above`, lies
        between them (the picture has its caption: a heading may follow it closely)."""
        for x0, top, x1, bottom in self.images.get(ln.page, ()):
            overlap = min(x1, ln.box.x1) - max(x0, ln.box.x0)
            if not (-CAPTION_OVERLAP * ln.size <= ln.box.top - bottom <= CAPTION_GAP * ln.size
                    and overlap >= CAPTION_WIDTH_SHARE * (ln.box.x1 - ln.box.x0)):
                continue
            if (above is not None and above.page == ln.page and above.box.top >= bottom - CAPTION_OVERLAP * above.size
                    and above.box.bottom <= ln.box.top and min(x1, above.box.x1) > max(x0, above.box.x0)):
                continue
            centred = (abs((x0 + x1) - (ln.box.x0 + ln.box.x1)) < TITLE_ALIGN * ln.size
                       and ln.box.x1 - ln.box.x0 < CAPTION_FULL * (x1 - x0))
            if worded or centred or ln.size < self.body - SAME_SIZE_PT:
                return True
        return False

    def is_caption(self, ln: Line, nxt: Line | None, prev: Line | None = None) -> bool:
        """A picture's caption (图为…), or a table's title (表3 …) right above the table: short,
        under a picture, or opening with a caption's words and set smaller than the body or centred."""
        text = ln.text.replace(" ", "")
        if len(text) > CAPTION_MAX:
            return False
        if TABLE_TITLE.match(text) and nxt is not None and nxt.font == TABLE_FONT:
            return True  # (the table may begin on the next page)
        if CAPTION_START.match(text):
            return (self.under_picture(ln, worded=True, above=prev) or ln.size < self.body - SAME_SIZE_PT
                    or self.is_centered(ln))
        return self.under_picture(ln, above=prev)

    def continues_caption(self, prev: Line, ln: Line) -> bool:
        """The next line of a caption: the same size, right under it, centred with it or flush with it."""
        return (ln.font != TABLE_FONT and same_flow(prev, ln) and abs(prev.size - ln.size) < SAME_SIZE_PT
                and 0 <= ln.box.top - prev.box.bottom <= CAPTION_LEADING * ln.size
                and (abs((prev.box.x0 + prev.box.x1) - (ln.box.x0 + ln.box.x1)) < 2 * CAPTION_CENTRED * ln.size
                     or abs(prev.box.x0 - ln.box.x0) < ln.size)
                and not CAPTION_START.match(ln.text.replace(" ", "")) and len(ln.text) <= CAPTION_MAX)

    def spaced(self, prev: Line, ln: Line) -> bool:
        if not same_flow(prev, ln) or ln.box.top <= prev.box.top:
            return False
        return ln.box.top - prev.box.bottom > self.gaps[id(ln)] + LEADING_OPEN * ln.size


def continues_table(prev: Line, ln: Line) -> bool:
    """Is the table that opens a page the rest of the one that closed the page before (as many
    cells a row)?"""
    def width(line: Line) -> int:
        return line.text.split("\n", 1)[0].count("\t")
    return ln.page == prev.page + 1 and width(ln) == width(prev)


def make_blocks(lines: list[Line], starts_block: Callable[[str], bool] = lambda text: False,
                images: dict[int, list[Rect]] | None = None) -> list[Block]:
    """Group lines into blocks. `starts_block` lets the caller name labels that always begin a
    new block (a footer's "抄送：", say) whatever the geometry; `images` are each page's pictures
    (a line right under one is its caption)."""
    if not lines:
        return []
    cls = Classifier(lines, images)
    blocks: list[Block] = []
    notes = footnotes(lines, cls.body)
    pending: list[Line] = []  # a page's footnotes wait for the paragraph running over its foot to end
    for k, ln in enumerate(lines):
        if id(ln) in notes:
            pending.append(ln)
            continue
        prev_block = blocks[-1] if blocks else None
        if ln.font == TABLE_FONT:
            if prev_block and prev_block.kind == "table" and continues_table(prev_block.lines[-1], ln):
                prev_block.lines.append(ln)  # a table broken over a page
            else:
                blocks.append(Block("table", [ln]))
            continue
        if prev_block and prev_block.kind == "caption" and cls.continues_caption(prev_block.lines[-1], ln):
            prev_block.lines.append(ln)  # a caption printed over two lines
            continue
        if cls.is_caption(ln, lines[k + 1] if k + 1 < len(lines) else None, lines[k - 1] if k else None):
            blocks.append(Block("caption", [ln]))
            continue
        kind = "title" if cls.is_title(ln) else "para"
        if prev_block and prev_block.kind == kind == "title":
            prev = prev_block.lines[-1]
            centred_together = abs((prev.box.x0 + prev.box.x1) - (ln.box.x0 + ln.box.x1)) < TITLE_ALIGN * ln.size
            if (abs(prev.size - ln.size) < SAME_SIZE_PT and same_flow(prev, ln)
                    and (centred_together or abs(prev.box.x0 - ln.box.x0) < ln.size)
                    and not cls.spaced(prev, ln) and not starts_block(ln.text)):
                prev_block.lines.append(ln)  # a title printed over two lines
                continue
        if prev_block and prev_block.kind == kind == "para":
            prev = prev_block.lines[-1]
            new = (cls.is_indented(ln) or cls.ends_short(prev, ln) or cls.spaced(prev, ln)
                   or abs(prev.size - ln.size) > SIZE_CHANGE * cls.body or starts_block(ln.text))
            if not new:
                prev_block.lines.append(ln)
                continue
        if pending:
            blocks += note_blocks(pending)
            pending = []
        blocks.append(Block(kind, [ln]))
    return blocks + note_blocks(pending)


FOOTNOTE_MARK = re.compile(r"^\s*(?:[\u2460-\u2473\u2776-\u277f]|\[\d{1,3}\]|注\s*[：:]|\*)")  # ① ❶ [1] 注： *


def footnotes(lines: list[Line], body: float) -> set[int]:
    """The footnotes of each page (ids of their lines): smaller than the body, under all of the
    page's body text, the first opening with a note mark (①, [1], 注：)."""
    out: set[int] = set()
    for k, ln in enumerate(lines):
        if not FOOTNOTE_MARK.match(ln.text) or ln.size >= body - SAME_SIZE_PT:
            continue
        rest = [o for o in lines[k:] if o.page == ln.page]
        if all(o.size <= ln.size + SAME_SIZE_PT and o.box.top >= ln.box.top - ln.size for o in rest):
            out.update(id(o) for o in rest)
    return out


def note_blocks(lines: list[Line]) -> list[Block]:
    """Footnote lines → one block a note (a note goes on over lines until the next mark)."""
    blocks: list[Block] = []
    for ln in lines:
        if blocks and not FOOTNOTE_MARK.match(ln.text) and blocks[-1].lines[-1].page == ln.page:
            blocks[-1].lines.append(ln)
        else:
            blocks.append(Block("para", [ln]))
    return blocks
