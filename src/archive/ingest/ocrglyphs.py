"""Stage 1b, second half: OCR'd lines → glyphs (Chars in PDF points) that the layout stages read
like a text layer's: a type size per line snapped to the page's sizes, the page's skew turned
back, full-width punctuation between Chinese characters, and each character in a box of its own."""
from __future__ import annotations

import math
import statistics

from ..chars import is_cjk_context, is_han
from .ocrlines import PITCH_TO_HEIGHT, cut_at_gutters
from .pdf import Char

FONT = "OCR"  # the font name OCR'd glyphs carry (no font information survives a scan)
# ...and those of a line in a bolder face or coloured ink (a 黑体 heading, a red title at the body's size)
BOLD, COLOUR = " bold", " colour"
BOLD_RATIO = 1.4  # a line whose strokes are this much wider (for its height) than the page's usual is bold
SIZE_STEP = 0.5  # pt: OCR'd line sizes are rounded to this and snapped to the page's size clusters
SIZE_CLUSTER = 0.09  # lines whose sizes differ by less than this share are set in one size
ROUGH_CLUSTER = 0.4  # the same for a size estimated from a box height (short or Latin lines)
MIN_PITCH_GLYPHS, MIN_SQUARE, MIN_SQUARE_SHARE = 4, 6, 0.6  # a line's pitch is measured from its square glyphs (six at least: fewer measure it poorly)
SAME_HEIGHT, SAME_END = 0.04, 0.5  # a line's box this close in height to the next's, ending this many sizes from
# where it ends (a justified paragraph's edge), is set in the next line's size, whatever its pitch
SPACE_STEP, SPACE_STEPS = 1.4, 6  # a step between ideographs this many times the line's usual one (of so
# many steps at least: the detector's steps jitter) spans a space the text left out (单位 姓名)
MIN_RUN = 5  # ...from a run of this many square glyphs in a row, without other glyphs' boxes between (digits' measure poorly)
LATIN_LINE_EMS = 8  # a longer line without square glyphs gives its size from its width
LONG_LINE_HEIGHTS = 6  # lines longer than this many heights show the page's skew
MIN_SKEW, MAX_SKEW = 1e-4, 0.1  # slopes straightened: below is level, above is no skew (a turned page)
PAD_SHARE = 0.4  # the detector's margin round the glyphs, at most this share of the size, is trimmed
OVERLAP_SHARE, ABOVE_GAP = 0.5, 1.5  # the line above: over half of this one's width, within 1.5 heights
BOX_OVERLAP = 0.4  # heights: the detector's boxes of two lines one under the other may overlap this much

# --- punctuation --------------------------------------------------------------------------------

OPENING_MARKS = "（《「『〈【〔"
CLOSING_MARKS = "。，、；：！？）》」』〉】〕"
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

def em_width(ch: str) -> float:
    """Advance of a character in ems, roughly: CJK and full-width ones are square, others half."""
    return 1.0 if ord(ch) >= 0x2E80 or ch in "“”‘’…—" else 0.5


def is_square(ch: str) -> bool:
    """Set one em wide in a Chinese font: ideographs and full-width punctuation (not quotes,
    whose width depends on the font)."""
    return is_han(ch) or "\u3001" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e"


def line_pitch(ln: dict) -> float | None:
    """A line's type size from its characters' centres: along its longest run of square characters
    (MIN_RUN at least) each is one em from the next (a step between two ideographs much wider than
    the line's usual step spans a space the text left out: a signature's 单位 姓名); a line without such a run: between its
    first and last square characters lie so many ems of square characters plus the measured
    widths of the others (a quote's or a Latin letter's box measures its width poorly)."""
    glyphs = [ch for ch in ln["text"] if not ch.isspace()]
    boxes = ln.get("chars")
    if not boxes or len(boxes) != len(glyphs) or len(glyphs) < MIN_PITCH_GLYPHS:
        return None
    square = [i for i, ch in enumerate(glyphs) if is_square(ch)]
    if len(square) < MIN_SQUARE or len(square) < MIN_SQUARE_SHARE * len(glyphs):
        return None
    centre = [(bx[0] + bx[1]) / 2 for bx in boxes]
    a, b = longest_run(square)
    if b - a + 1 >= MIN_RUN:  # the mean step, less the space in a step between two ideographs over a space
        steps = [centre[i + 1] - centre[i] for i in range(a, b)]
        usual = statistics.median(steps) if len(steps) >= SPACE_STEPS else None
        spaces = sum(d - usual for i, d in zip(range(a, b), steps)
                     if usual and d > SPACE_STEP * usual and is_han(glyphs[i]) and is_han(glyphs[i + 1]))
        pitch = (centre[b] - centre[a] - spaces) / (b - a)
        return pitch if pitch > 0 else None
    a, b = square[0], square[-1]
    ems = sum(1 for i in range(a + 1, b + 1) if is_square(glyphs[i]))
    other = sum(boxes[i][1] - boxes[i][0] for i in range(a + 1, b) if not is_square(glyphs[i]))
    pitch = (centre[b] - centre[a] - other) / ems
    return pitch if pitch > 0 else None


def longest_run(indices: list[int]) -> tuple[int, int]:
    """The first and last of the longest run of consecutive numbers in `indices` (sorted)."""
    best, start = (indices[0], indices[0]), indices[0]
    for prev, i in zip(indices, indices[1:]):
        if i != prev + 1:
            start = i
        if i - start > best[1] - best[0]:
            best = (start, i)
    return best


def size_estimates(lines: list[dict]) -> list[tuple[float, bool]]:
    """Each line's type size in points, and whether that is only a rough estimate. A line of
    mostly Chinese characters with character boxes gives its size by its pitch (CJK characters
    are one em wide): the distance between the first and last character centres over the ems
    between them. Other lines (short, Latin) scale their box height by the page's own
    pitch-to-height ratio: rough, since a box's padding and a quote mark's height vary."""
    pitched = [line_pitch(ln) for ln in lines]
    ratios = [p / ln["height"] for p, ln in zip(pitched, lines) if p and ln["height"] > 0]
    ratio = statistics.median(ratios) if ratios else PITCH_TO_HEIGHT
    out = []
    for p, ln in zip(pitched, lines):
        ems = sum(0.25 if ch.isspace() else em_width(ch) for ch in ln["text"].strip())
        if p:
            out.append((p, False))
        elif ems >= LATIN_LINE_EMS:  # a longer line of Latin: its width over its ems (Latin letters ~half an em)
            out.append(((ln["box"][1] - ln["box"][0]) / ems, True))
        else:  # a short line: its height, as the page's exact lines relate height to size
            out.append((ln["height"] * ratio, True))
    return out


def weighted_median(values: list[float], weights: list[float]) -> float:
    pairs = sorted(zip(values, weights))
    half, acc = sum(weights) / 2, 0.0
    for v, w in pairs:
        acc += w
        if acc >= half:
            return v
    return pairs[-1][0]


def snap_sizes(estimates: list[tuple[float, bool]], weights: list[float] | None = None) -> list[float]:
    """Stable type sizes from (estimate, rough) pairs. Exact estimates form groups: the most
    common size (by weight) takes every line within SIZE_CLUSTER of it, then the next, and so on;
    each group is set in its weighted median rounded to SIZE_STEP. A rough estimate joins the
    nearest group within ROUGH_CLUSTER. Detector jitter so never splits a paragraph."""
    est = [e for e, _ in estimates]
    weights = weights or [1.0] * len(est)
    sizes = [0.0] * len(est)
    left = {i for i, (_, rough) in enumerate(estimates) if not rough}
    groups: list[float] = []

    def near(centre: float) -> list[int]:
        return [j for j in sorted(left) if abs(est[j] - centre) <= SIZE_CLUSTER * centre]

    while left:
        centre = est[max(sorted(left), key=lambda i: sum(weights[j] for j in near(est[i])))]
        group = near(centre)
        value = round(weighted_median([est[j] for j in group], [weights[j] for j in group]) / SIZE_STEP) * SIZE_STEP
        for j in group:
            sizes[j] = value
        groups.append(value)
        left -= set(group)
    for j, (e, rough) in enumerate(estimates):
        if rough:
            best = min(groups, key=lambda g: abs(math.log(e / g)), default=None) if e > 0 else None
            sizes[j] = best if best and abs(e - best) <= ROUGH_CLUSTER * best else round(e / SIZE_STEP) * SIZE_STEP
    return [max(size, SIZE_STEP) for size in sizes]  # never 0: a speck read as a character has a size too


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




def line_above(lines: list[dict], j: int) -> int | None:
    """The line right above line j, over the same stretch of the page (the line its paragraph
    came from, when j is a paragraph's short last line)."""
    x0, x1, top, _ = lines[j]["box"]
    best = None
    for i, ln in enumerate(lines):
        a0, a1, a_top, bottom = ln["box"]
        overlap = min(x1, a1) - max(x0, a0)
        if i != j and a_top < top and bottom <= top + BOX_OVERLAP * lines[j]["height"] \
                and overlap > OVERLAP_SHARE * (x1 - x0) and top - bottom <= ABOVE_GAP * lines[j]["height"]:
            if best is None or bottom > lines[best]["box"][3]:
                best = i
    return best


def context_sizes(lines: list[dict], estimates: list[tuple[float, bool]], sizes: list[float]) -> list[float]:
    """A roughly estimated line (short: a paragraph's last line) takes the size of the exactly
    measured line right above it where that size is within ROUGH_CLUSTER of its estimate: the
    nearest size of the page may be another block's (a running head's 9.5 pt under 11 pt text)."""
    out = list(sizes)
    for j, (e, rough) in enumerate(estimates):
        i = line_above(lines, j) if rough else None
        if i is not None and not estimates[i][1] and abs(e - sizes[i]) <= ROUGH_CLUSTER * max(e, sizes[i]):
            out[j] = sizes[i]
    for j, i in spread_lines(lines, estimates, sizes):
        out[j] = sizes[i]
    return out


def spread_lines(lines: list[dict], estimates: list[tuple[float, bool]], sizes: list[float]):
    """(line, next line) pairs: a line whose characters a justified setting spread apart (a first
    line with a Latin word in it) measures a larger pitch than the next line of its paragraph,
    though its box is as tall and ends where that line's does (the column's edge); it is set in
    their size. A heading in larger type is taller, and ends short."""
    below = {line_above(lines, k): k for k in range(len(lines))}
    for j, (e, rough) in enumerate(estimates):
        n = below.get(j)
        if n is None or rough or estimates[n][1] or sizes[n] >= sizes[j]:
            continue
        if abs(lines[n]["height"] - lines[j]["height"]) <= SAME_HEIGHT * lines[j]["height"] \
                and abs(lines[n]["box"][1] - lines[j]["box"][1]) <= SAME_END * sizes[n]:
            yield j, n


def to_chars(lines: list[dict]) -> list[Char]:
    """OCR'd lines → Chars in PDF points. Each character gets its own box where the engine gave
    one, else an even share of the line's box; boxes are widened to touch their neighbours so
    layout adds no spaces of its own (the recogniser's spaces are kept as space glyphs). A line
    the detector ran over a narrow gutter is cut there first (`cut_at_gutters`)."""
    lines = cut_at_gutters(lines)
    estimates = size_estimates(lines)
    sizes = context_sizes(lines, estimates, snap_sizes(estimates, [len(ln["text"]) for ln in lines]))
    unskew = deskew(lines)
    fonts = line_fonts(lines)
    out: list[Char] = []
    for ln, size, font in zip(lines, sizes, fonts):
        text = full_width_punctuation(ln["text"]).strip()
        placed = close_gaps(place_glyphs(text, glyph_boxes(ln, text, size)))
        for ch, box in placed:
            if not box:
                continue
            cx0, cx1, ctop, cbottom = box
            middle = (ctop + cbottom) / 2
            dx, dy = unskew((cx0 + cx1) / 2, middle)
            out.append(Char(ch, cx0 + dx, max(cx1, cx0 + 0.01) + dx, middle - size / 2 + dy, middle + size / 2 + dy,
                            size, font, ln["score"]))
    return out


def line_fonts(lines: list[dict]) -> list[str]:
    """The font name each line's glyphs carry: FONT, with BOLD where its strokes are BOLD_RATIO
    times as wide as the page's usual (the median by text length), with COLOUR for coloured ink."""
    strokes = [(ln["stroke"], len(ln["text"])) for ln in lines if ln.get("stroke")]
    usual = weighted_median([s for s, _ in strokes], [w for _, w in strokes]) if strokes else 0.0
    return [FONT + (BOLD if usual and ln.get("stroke", 0.0) >= BOLD_RATIO * usual else "")
            + (COLOUR if ln.get("colour") else "") for ln in lines]


def line_extent(ln: dict, text: str, size: float) -> tuple[float, float]:
    """Where the line's glyphs start and end, as a text layer would put them: the detector's margin
    trimmed, and the box widened where the ink of a mark sits in one half of its em (a closing
    mark's in the left half, an opening bracket's in the right)."""
    x0, x1 = ln["box"][0], ln["box"][1]
    pad = min(max(0.0, (ln["height"] - size) / 2), PAD_SHARE * size)
    cut_start, cut_end = ln.get("cut") in ("start", "both"), ln.get("cut") in ("end", "both")
    if x1 - x0 > 4 * pad:  # (not at a cut: the characters' own boxes end there)
        x0, x1 = x0 + (0.0 if cut_start else pad), x1 - (0.0 if cut_end else pad)
    if text[:1] in OPENING_MARKS and not cut_start:
        x0 -= size / 2
    if text[-1:] in CLOSING_MARKS and not cut_end:
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
