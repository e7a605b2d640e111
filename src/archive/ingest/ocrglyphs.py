"""Stage 1b, second half: OCR'd lines → glyphs (Chars in PDF points) that the layout stages read
like a text layer's: a type size per line snapped to the page's sizes, the page's skew turned
back, full-width punctuation between Chinese characters, and each character in a box of its own."""
from __future__ import annotations

import statistics

from ..chars import CLOSING_BRACKETS, OPENING_BRACKETS, OPENING_QUOTES, PAUSE_MARKS, SENTENCE_ENDS, is_cjk_context, is_han
from .ocrlines import cut_at_gutters, wrapped_stops
from .ocrsizes import neighbour_sizes, size_estimates, snap_sizes, weighted_median
from .pdf import Char
from .simplified import simplify

FONT = "OCR"  # the font name OCR'd glyphs carry (no font information survives a scan)
# ...and those of a line in a bolder face or coloured ink (a 黑体 heading, a red title at the body's size)
BOLD, COLOUR = " bold", " colour"
BOLD_RATIO = 1.35  # a line whose strokes are this much wider (for its type size) than the page's usual is bold
# (ink.pen_width at 200 dpi, over the size: 黑体 headings among 明体 body lines 1.38-1.48, a 楷体 quote 1.30-1.33,
# body lines and short lines of the body's face up to 1.26)
LONG_LINE_HEIGHTS = 6  # lines longer than this many heights show the page's skew
MIN_SKEW, MAX_SKEW = 1e-4, 0.1  # slopes straightened: below is level, above is no skew (a turned page)
PAD_SHARE = 0.4  # the detector's margin round the glyphs, at most this share of the size, is trimmed
END_SLACK = 0.5  # sizes a line's glyphs may reach beyond its outer characters' boxes (which are coarse)
# --- punctuation --------------------------------------------------------------------------------

# full-width brackets and sentence marks, whose blank half lies beyond a line's box at its ends (not
# quotes: narrower than ocrlines.BLANK_BEFORE/BLANK_AFTER, as each was tuned)
PADDED_OPENING = OPENING_BRACKETS
PADDED_CLOSING = SENTENCE_ENDS + PAUSE_MARKS + "：" + CLOSING_BRACKETS
SPECK_DOTS = "·・•"  # what a speck of dirt next to a character reads as (or a full stop)
ANY_CLOSING_BRACKET = CLOSING_BRACKETS + ")"
HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
CLOSING = ",:;!?)"


def in_chinese(ch: str) -> bool:
    """Chinese text or a full-width form: next to these the print uses full-width marks."""
    return is_cjk_context(ch) or "\uff01" <= ch <= "\uff60"


def full_width_punctuation(text: str) -> str:
    """OCR reads '，' '（' '：' '”' as ',' '(' ':' '"' at times: in Chinese text the print has the
    full-width mark. A closing mark (, : ; ! ? )) right after a Chinese character is Chinese
    (也在数字前: 竞赛,35支 → 竞赛，35支); an opening one precedes a Chinese character with Chinese, a
    space or the line's start before it. A straight double quote in a line with Chinese opens
    (“) before text and closes (”) after it. Latin and numbers ("1,000", "(a)", "3:2") are left alone."""
    out = list(text)
    chinese = any(in_chinese(ch) for ch in text)
    for i, ch in enumerate(text):
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch == '"' and chinese:
            if after and not after.isspace() and (not before or before.isspace() or in_chinese(before)):
                out[i] = "“"
            elif before and not before.isspace():
                out[i] = "”"
            continue
        if ch not in HALF_TO_FULL:
            continue
        if ch in CLOSING:
            ok = bool(before) and in_chinese(before)
        else:
            ok = bool(after) and in_chinese(after) and (not before or in_chinese(before) or before == " ")
        if ok:
            out[i] = HALF_TO_FULL[ch]
    return "".join(out)


# --- lines → characters --------------------------------------------------------------------------


def deskew(lines: list[dict]):
    """A function (x, y) → (dx, dy) that turns the page back by its skew (the median slope of its
    long lines) about the middle of its text, so lines start at one left edge again."""
    slopes = [ln.get("slope", 0.0) for ln in lines if ln["box"][1] - ln["box"][0] > LONG_LINE_HEIGHTS * ln["height"]]
    slope = statistics.median(slopes) if slopes else 0.0
    if abs(slope) < MIN_SKEW or abs(slope) > MAX_SKEW:  # nothing to straighten, or not a skew (a rotated page)
        return lambda x, y: (0.0, 0.0)
    cx = statistics.median((ln["box"][0] + ln["box"][1]) / 2 for ln in lines)
    cy = statistics.median((ln["box"][2] + ln["box"][3]) / 2 for ln in lines)
    norm = (1 + slope * slope) ** 0.5
    cos, sin = 1 / norm, slope / norm

    def shift(x: float, y: float) -> tuple[float, float]:
        rx, ry = x - cx, y - cy  # rotate by -angle: the skewed baseline becomes level
        return cx + rx * cos + ry * sin - x, cy - rx * sin + ry * cos - y
    return shift


def to_chars(lines: list[dict]) -> list[Char]:
    """OCR'd lines → Chars in PDF points. Each character gets its own box where the engine gave
    one, else an even share of the line's box; boxes are widened to touch their neighbours so
    layout adds no spaces of its own (the recogniser's spaces are kept as space glyphs). A line
    the detector ran over a narrow gutter is cut there first (`cut_at_gutters`), a full stop wrapped
    onto a line of its own read as one (`wrapped_stops`), traditional forms in a simplified text made
    simplified (simplified.py); a bold or coloured
    line's glyphs carry a font of their own (`line_fonts`)."""
    lines = wrapped_stops(cut_at_gutters(lines))
    lines = [{**ln, "text": text} for ln, text in zip(lines, simplify([ln["text"] for ln in lines]))]
    estimates = size_estimates(lines)
    sizes = neighbour_sizes(lines, estimates, snap_sizes(estimates, [len(ln["text"]) for ln in lines]))
    unskew = deskew(lines)
    fonts = line_fonts(lines, sizes)
    out: list[Char] = []
    for ln, size, font in zip(lines, sizes, fonts):
        text = full_width_punctuation(ln["text"]).strip()
        placed = close_gaps(drop_specks(place_glyphs(text, glyph_boxes(ln, text, size))))
        for ch, box in placed:
            if not box:
                continue
            cx0, cx1, ctop, cbottom = box
            middle = (ctop + cbottom) / 2
            dx, dy = unskew((cx0 + cx1) / 2, middle)
            out.append(Char(ch, cx0 + dx, max(cx1, cx0 + 0.01) + dx, middle - size / 2 + dy, middle + size / 2 + dy,
                            size, font, ln["score"]))
    return out


def line_fonts(lines: list[dict], sizes: list[float]) -> list[str]:
    """The font name each line's glyphs carry: FONT, with BOLD where its strokes, for its type
    size, are BOLD_RATIO times as wide as the page's usual (the median by text length), with
    COLOUR for coloured ink. The width is ink.py's "pen" over the size: a box's height, which the
    detector's margins vary by a quarter between lines of one paragraph, measures the size poorly."""
    weights = [ln["pen"] / size if ln.get("pen") and size else 0.0 for ln, size in zip(lines, sizes)]
    measured = [(w, len(ln["text"])) for w, ln in zip(weights, lines) if w]
    usual = weighted_median([w for w, _ in measured], [n for _, n in measured]) if measured else 0.0
    return [FONT + (BOLD if usual and w >= BOLD_RATIO * usual else "") + (COLOUR if ln.get("colour") else "")
            for ln, w in zip(lines, weights)]


def line_extent(ln: dict, text: str, size: float) -> tuple[float, float]:
    """Where the line's glyphs start and end, as a text layer would put them: the detector's margin
    trimmed (and never more than END_SLACK sizes beyond the outer characters' own boxes), and the box widened where the ink of a mark sits in one half of its em (a closing
    mark's in the left half, an opening bracket's in the right)."""
    x0, x1 = ln["box"][0], ln["box"][1]
    pad = min(max(0.0, (ln["height"] - size) / 2), PAD_SHARE * size)
    cut_start, cut_end = ln.get("cut") in ("start", "both"), ln.get("cut") in ("end", "both")
    if x1 - x0 > 4 * pad:  # (not at a cut: the characters' own boxes end there)
        x0, x1 = x0 + (0.0 if cut_start else pad), x1 - (0.0 if cut_end else pad)
    boxes = ln.get("chars")
    if boxes:  # a box reaching far past its first or last character holds blank paper (a skewed short line)
        x0, x1 = max(x0, boxes[0][0] - END_SLACK * size), min(x1, boxes[-1][1] + END_SLACK * size)
    if (text[:1] in PADDED_OPENING or text[:1] in OPENING_QUOTES and is_han(text[1:2] or " ")) and not cut_start:
        x0 -= size / 2  # (an opening quote before a Chinese character: set full width, its ink in the right half)
    if text[-1:] in PADDED_CLOSING and not cut_end:
        x1 += size / 2
    return x0, x1


def glyph_boxes(ln: dict, text: str, size: float) -> list[list[float]]:
    """A [x0, x1, top, bottom] box per non-space character: the engine's own, stretched to the
    line's extent (its positions are coarse at the ends), or an even share of the line."""
    x0, x1 = line_extent(ln, text, size)
    top, bottom = ln["box"][2], ln["box"][3]
    glyphs = [ch for ch in text if not ch.isspace()]
    boxes = ln.get("chars")
    if not boxes or len(boxes) != len(glyphs):
        step = (x1 - x0) / max(len(text), 1)
        return [[x0 + i * step, x0 + (i + 1) * step, top, bottom] for i, ch in enumerate(text) if not ch.isspace()]
    a0, a1 = boxes[0][0], boxes[-1][1]
    k = (x1 - x0) / (a1 - a0) if a1 > a0 else 1.0
    return [[x0 + (bx0 - a0) * k, x0 + (bx1 - a0) * k, bt, bb] for bx0, bx1, bt, bb in boxes]


def place_glyphs(text: str, boxes: list[list[float]]) -> list[tuple[str, list[float]]]:
    """The line's characters with their boxes; spaces without one (yet)."""
    placed, g = [], 0
    for ch in text:
        if ch.isspace():
            placed.append((" ", []))
        else:
            placed.append((ch, list(boxes[g])))
            g += 1
    return placed


def is_speck(ch: str, before: str, after: str) -> bool:
    """A speck of dirt by a line's last character, or before its closing bracket, reads as a dot:
    no middle dot is printed there after a Chinese character or a full-width bracket, nor a full
    stop after a full-width bracket."""
    if after and after not in ANY_CLOSING_BRACKET:
        return False
    return ch in SPECK_DOTS and (is_han(before) or before in CLOSING_BRACKETS) or ch == "." and before in CLOSING_BRACKETS


def drop_specks(placed: list[tuple[str, list[float]]]) -> list[tuple[str, list[float]]]:
    """The line's glyphs without the specks is_speck finds."""
    out = []
    for k, (ch, box) in enumerate(placed):
        after = next((c for c, _ in placed[k + 1:] if c != " "), "")
        before = next((c for c, _ in reversed(placed[:k]) if c != " "), "")
        if not is_speck(ch, before, after):
            out.append((ch, box))
    return out


def close_gaps(placed: list[tuple[str, list[float]]]) -> list[tuple[str, list[float]]]:
    """Neighbouring glyphs touch (layout reads no space between them); a space spans the gap it stands for."""
    solid = [i for i, (ch, _) in enumerate(placed) if ch != " "]
    for a, b in zip(solid, solid[1:]):
        left, right = placed[a][1], placed[b][1]
        if b == a + 1 and right[0] > left[1]:
            left[1] = right[0]
        elif b > a + 1:
            for j in range(a + 1, b):
                placed[j] = (" ", [left[1], max(right[0], left[1] + 0.01), left[2], left[3]])
    return placed
