"""Stage 1b, OCR'd lines: each line's type size. Measured by the pitch of its square glyphs (one em
apart in a Chinese font), else its box height or a Latin line's width; snapped to the page's size
clusters; a line that measures poorly (short, a paragraph's last line, spread apart to justify it)
takes the size of the line it belongs with. ocrglyphs places the glyphs in these sizes."""
from __future__ import annotations

import math
import statistics

from ..chars import is_han
from .ocrlines import PITCH_TO_HEIGHT

SIZE_STEP = 0.5  # pt: OCR'd line sizes are rounded to this and snapped to the page's size clusters
SIZE_CLUSTER = 0.09  # lines whose sizes differ by less than this share are set in one size
ROUGH_RANGE = (0.8, 1.27)  # a size estimated from a box height or a Latin line's width lies within these
# shares of the true size (p5..p95 over the degraded scans and photos: a short line's box runs tall, a
# Latin word's without descenders short)
MIN_PITCH_GLYPHS, MIN_SQUARE, MIN_SQUARE_SHARE = 4, 6, 0.6  # a line's pitch is measured from its square glyphs (six at least: fewer measure it poorly)
TALLER = 1.1  # a short line's box this many times as tall as its neighbour's, its pitch larger: larger type
SAME_HEIGHT, SAME_END = 0.04, 0.5  # a line's box this close in height to the next's, ending this many sizes from
# where it ends (a justified paragraph's edge), is set in the next line's size, whatever its pitch
SPACE_STEP, SPACE_STEPS = 1.4, 6  # a step between ideographs this many times the line's usual one (of so
# many steps at least: the detector's steps jitter) spans a space the text left out (单位 姓名)
MIN_RUN = 5  # ...from a run of this many square glyphs in a row, without other glyphs' boxes between (digits' measure poorly)
MIN_HAN_STEPS = 4  # ...else from so many pairs of neighbouring ideographs, wherever they stand in the line
MIN_HAN_PAIRS = 3  # a line of Latin with so many neighbouring Chinese characters measures its size by them,
SHORT_HAN_PAIRS = 2  # a short line with this many (fewer) gives its size as at most their mean distance: its box
# runs tall (a bracket's ink reaches above and below the ideographs', the detector's margins vary)
SPREAD = 1.15  # unless they lie further apart than this times its height says (spaced out to justify the line)
LATIN_LINE_EMS = 8  # a longer line without square glyphs gives its size from its width
WEAK_GLYPHS = 10  # a line of fewer glyphs measures its size poorly, as does a paragraph's last line
LAST_LINE_SHARE = 0.75  # (narrower than this share of the line above it)...
WEAK_TOLERANCE, ROUGH_TOLERANCE = 0.35, 0.5  # ...and takes its paragraph's size within this share of its estimate
NEXT_LINE = (0.5, 2.4)  # sizes between the middles of a paragraph's consecutive lines
ROW_MIDDLE, ROW_GAP = 0.3, 2.0  # sizes: two pieces of one row
ALIGN = 3.0  # sizes between the left edges of two such lines (an indent)
RUN_ON_TOLERANCE = 0.75  # ...and a line ending a sentence under one that stops in mid-sentence, within this share (its box's height
# says little: a short last line's box runs tall, 「方米。」 measured 22.5 pt under 15 pt lines)


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
    widths of the others (a quote's or a Latin letter's box measures its width poorly) — unless
    MIN_HAN_STEPS pairs of neighbouring ideographs show the em themselves (their mean step, a space's
    step left out): a quote's box is its ink, far narrower than the room a proportional quote
    takes in a justified line (「从“站起来”到“富起来”再到」 measured 15 pt among 12.5 pt lines)."""
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
    pairs = [centre[i + 1] - centre[i] for i in range(len(glyphs) - 1) if is_han(glyphs[i]) and is_han(glyphs[i + 1])]
    if len(pairs) >= MIN_HAN_STEPS:
        usual = statistics.median(pairs)
        steps = [d for d in pairs if 0 < d <= SPACE_STEP * usual]
        return statistics.mean(steps) if steps else None
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


def han_pairs(ln: dict) -> list[float]:
    """The distances between the centres of neighbouring Chinese characters (one em each, unless
    the line is spaced out), where the engine gave character boxes."""
    text = ln["text"].strip()
    glyphs = [ch for ch in text if not ch.isspace()]
    boxes = ln.get("chars")
    if not boxes or len(boxes) != len(glyphs):
        return []
    centre = iter([(bx[0] + bx[1]) / 2 for bx in boxes])
    placed = [(ch, None if ch.isspace() else next(centre)) for ch in text]
    return [b[1] - a[1] for a, b in zip(placed, placed[1:])
            if is_han(a[0]) and is_han(b[0]) and b[1] > a[1]]


def size_estimates(lines: list[dict]) -> list[tuple[float, bool]]:
    """Each line's type size in points, and whether that is only a rough estimate. A line of
    mostly Chinese characters with character boxes gives its size by its pitch (CJK characters
    are one em wide): the distance between the first and last character centres over the ems
    between them. A line of Latin with some runs of Chinese gives it by the mean distance between
    neighbouring Chinese characters, unless justifying the line spaced them out. Other lines give
    a rough estimate: a longer line of Latin its width over its ems; a short line its box height
    scaled by the page's own pitch-to-height ratio (a box's padding and a quote mark's height vary),
    or the mean distance between its neighbouring Chinese characters where that is less (a box
    runs tall: 「新华网）」 measured 13.4 pt by its height beside 10.5 pt lines, 10.6 pt by its pitch;
    spaced-out characters measure more, so the smaller of the two)."""
    pitched = [line_pitch(ln) for ln in lines]
    ratios = [p / ln["height"] for p, ln in zip(pitched, lines) if p and ln["height"] > 0]
    ratio = statistics.median(ratios) if ratios else PITCH_TO_HEIGHT
    out = []
    for p, ln in zip(pitched, lines):
        ems = sum(0.25 if ch.isspace() else em_width(ch) for ch in ln["text"].strip())
        pairs = han_pairs(ln) if not p else []
        if p:
            out.append((p, False))
        elif len(pairs) >= MIN_HAN_PAIRS and statistics.mean(pairs) <= SPREAD * ln["height"] * ratio:
            out.append((statistics.mean(pairs), False))  # the mean: the engine's positions come in steps
        elif ems >= LATIN_LINE_EMS:  # a longer line of Latin: its width over its ems (Latin letters ~half an em)
            out.append(((ln["box"][1] - ln["box"][0]) / ems, True))
        else:  # a short line: its height, as the page's exact lines relate height to size
            by_height = ln["height"] * ratio
            by_pitch = statistics.mean(pairs) if len(pairs) >= SHORT_HAN_PAIRS else by_height
            out.append((min(by_height, by_pitch), True))
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
    nearest group it may stand for (ROUGH_RANGE), else keeps its own. Detector jitter so never
    splits a paragraph."""
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
            sizes[j] = best if best and ROUGH_RANGE[0] <= e / best <= ROUGH_RANGE[1] else round(e / SIZE_STEP) * SIZE_STEP
    return [max(size, SIZE_STEP) for size in sizes]  # never 0: a speck read as a character has a size too


def is_weak(ln: dict) -> bool:
    """Does the line measure its size poorly? Not by the pitch of its square glyphs (a box height,
    a Latin line's width, the Chinese characters among Latin words, which justifying the line may
    have spaced out), or by the pitch of a few glyphs (a paragraph's last line: unlike the lines
    above it not spaced out to the column's width, its punctuation perhaps squeezed)."""
    return line_pitch(ln) is None or sum(1 for ch in ln["text"] if not ch.isspace()) < WEAK_GLYPHS


def is_last_line(lines: list[dict], j: int, sizes: list[float]) -> bool:
    """Is line j a paragraph's last line, much shorter than the line above it, which measures its
    size well (so, unlike that line, not spaced out to the column's width)?"""
    i = neighbour(lines, j, sizes, False)
    width = lines[j]["box"][1] - lines[j]["box"][0]
    return (i is not None and not is_weak(lines[i])
            and width < LAST_LINE_SHARE * (lines[i]["box"][1] - lines[i]["box"][0]))


def neighbour(lines: list[dict], j: int, sizes: list[float], below: bool) -> int | None:
    """The line right above (or below) line j in its column, as a paragraph's next line lies:
    its middle within NEXT_LINE sizes, its left edge within ALIGN sizes of j's (one of them may
    be a paragraph's indented first line, the other shorter than the indent)."""
    x0, _, top, bottom = lines[j]["box"]
    middle = (top + bottom) / 2
    best, best_distance = None, 0.0
    for i, ln in enumerate(lines):
        a0, _, a_top, a_bottom = ln["box"]
        size = sizes[i]
        distance = ((a_top + a_bottom) / 2 - middle) * (1 if below else -1)
        if (i != j and NEXT_LINE[0] * size < distance <= NEXT_LINE[1] * size and abs(a0 - x0) <= ALIGN * size
                and (best is None or distance < best_distance)):
            best, best_distance = i, distance
    return best


def row_neighbour(lines: list[dict], j: int, sizes: list[float], usable: list[bool]) -> int | None:
    """Another piece of line j's row, one whose size is `usable`: its middle within ROW_MIDDLE
    sizes of j's, the gap between them under ROW_GAP sizes."""
    x0, x1, top, bottom = lines[j]["box"]
    for i, ln in enumerate(lines):
        a0, a1, a_top, a_bottom = ln["box"]
        size = sizes[i]
        if (i != j and usable[i] and abs((a_top + a_bottom) / 2 - (top + bottom) / 2) <= ROW_MIDDLE * size
                and max(a0, x0) - min(a1, x1) <= ROW_GAP * size):
            return i
    return None


def runs_on(ln: dict) -> bool:
    """Does the line stop in mid-sentence (after a Chinese character or a pause mark)?"""
    text = ln["text"].strip()
    return bool(text) and (is_han(text[-1]) or text[-1] in "，、；：")


def ends_paragraph(ln: dict) -> bool:
    """Does the line end as a paragraph's last line does (a sentence's end, a closing bracket)? A
    heading does not."""
    text = ln["text"].strip()
    return bool(text) and text[-1] in "。！？）」』”…"


def neighbour_sizes(lines: list[dict], estimates: list[tuple[float, bool]], sizes: list[float]) -> list[float]:
    """A line that measures its size poorly (is_weak, is_last_line) takes the size of the rest of its row (a
    piece the detector cut off), or of the line above it in its column, or else of the line below
    (a page's first lines), when its own estimate is within WEAK_TOLERANCE of that
    (ROUGH_TOLERANCE for a box height, which a short line's box inflates): the lines of a
    paragraph share one size. Taken top-down, then bottom-up, so a run of such
    lines (a paragraph of Latin) takes the size of the measured line it adjoins. A line left
    unsettled that ends a paragraph at the top of a column (`column_top_end`) takes the body's size."""
    out = list(sizes)
    settled = [not is_weak(ln) and not is_last_line(lines, k, sizes) for k, ln in enumerate(lines)]
    order = sorted(range(len(lines)), key=lambda k: lines[k]["box"][2])
    for way in ("row", "above", "below", "row"):  # a row's pieces before and after their columns' lines
        for j in (order[::-1] if way == "below" else order):
            if settled[j]:
                continue
            # (a piece of the row measured by its pitch gives its size, though short: 「中铝香港团队在」 |
            # 「International」 | 「Aluminium」, a justified line cut at its wide word spaces)
            usable = [ok or not est[1] for ok, est in zip(settled, estimates)]
            i = row_neighbour(lines, j, out, usable) if way == "row" else neighbour(lines, j, out, way == "below")
            tolerance = ROUGH_TOLERANCE if estimates[j][1] or way == "row" else WEAK_TOLERANCE
            if way == "above" and i is not None and runs_on(lines[i]) and ends_paragraph(lines[j]):
                tolerance = max(tolerance, RUN_ON_TOLERANCE)  # the paragraph goes on and ends in this line
            if i is not None and (settled[i] or way == "row") and abs(estimates[j][0] - out[i]) <= tolerance * out[i] \
                    and not larger_type(lines, estimates, j, i, out):
                out[j], settled[j] = out[i], True
    column_top_ends(lines, estimates, out, settled)
    for j, i in list(spread_lines(lines, estimates, out)):
        out[j] = out[i]
    return out


def body_size(lines: list[dict], sizes: list[float], settled: list[bool]) -> float | None:
    """The size most of the page's settled text (by characters) is set in."""
    weight: dict[float, int] = {}
    for ln, size, ok in zip(lines, sizes, settled):
        if ok:
            weight[size] = weight.get(size, 0) + len(ln["text"])
    return max(weight, key=lambda s: weight[s]) if weight else None


def column_top_ends(lines: list[dict], estimates: list[tuple[float, bool]], sizes: list[float], settled: list[bool]) -> None:
    """A short line that ends a paragraph (a sentence's end, a closing bracket) with no line above
    it in its column, and so no paragraph to take its size from, is the end of a paragraph carried
    over from the column before (「26名。」, 「新华网）」 at the top of the next column): if it has
    fewer than WEAK_GLYPHS glyphs and its size is only estimated from its box, which runs tall, it takes the body's size
    when the estimate exceeds that by no more than ROUGH_TOLERANCE (a line measured smaller, a
    footer's or a caption's, keeps its size). A longer line, or one measured by its pitch, keeps its
    own (a paragraph's last line atop a page over a 版记 in smaller type: the page's most common size
    is the 版记's). A heading at a column's top ends with no such mark."""
    body = body_size(lines, sizes, settled)
    for j, ln in enumerate(lines):
        short = sum(1 for ch in ln["text"] if not ch.isspace()) < WEAK_GLYPHS
        if (settled[j] or not body or not short or not estimates[j][1] or not ends_paragraph(ln)
                or neighbour(lines, j, sizes, False) is not None):
            continue
        if body <= estimates[j][0] <= (1 + ROUGH_TOLERANCE) * body:
            sizes[j], settled[j] = body, True


def larger_type(lines: list[dict], estimates: list[tuple[float, bool]], j: int, i: int, sizes: list[float]) -> bool:
    """Is line j set in larger type than its neighbour i (a short heading over its paragraph)? Its
    square glyphs' pitch measures more than i's size and its box is TALLER times as tall: a line
    spread apart to justify it is as tall as its paragraph's."""
    return (not estimates[j][1] and line_pitch(lines[j]) is not None and estimates[j][0] > (1 + SIZE_CLUSTER) * sizes[i]
            and lines[j]["height"] > TALLER * lines[i]["height"])


def spread_lines(lines: list[dict], estimates: list[tuple[float, bool]], sizes: list[float]):
    """(line, next line) pairs: a line whose characters a justified setting spread apart (a first
    line with a Latin word in it) measures a larger pitch than the next line of its paragraph,
    though its box is as tall and ends where that line's does (the column's edge); it is set in
    their size. A heading in larger type is taller, and ends short."""
    for j, (e, rough) in enumerate(estimates):
        n = neighbour(lines, j, sizes, True)
        if n is None or rough or estimates[n][1] or sizes[n] >= sizes[j]:
            continue
        if abs(lines[n]["height"] - lines[j]["height"]) <= SAME_HEIGHT * lines[j]["height"] \
                and abs(lines[n]["box"][1] - lines[j]["box"][1]) <= SAME_END * sizes[n]:
            yield j, n
