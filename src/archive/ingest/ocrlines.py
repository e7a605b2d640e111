"""Stage 1b: OCR'd lines cut where the detector ran them over a gap a reader sees between them.

The detector runs a line on over a gutter narrower than about an em, and over the wide gap
between a short last page's columns; ocrglyphs closes the gaps between a line's glyphs (so layout
reads no spaces of its own), which would hide that gap from layout. Such a line is cut first:
at the widest gap between its characters at a gutter (found from the page's line boxes as layout
finds gutters), and at any gap of WIDE_GAP sizes. A full stop wrapped onto a line of its own (a
layout that does not keep it with the character before), which OCR reads as a small "o", is made
a full stop in an em of its own again (`wrapped_stops`)."""
from __future__ import annotations

import statistics

from ..chars import CLOSING_BRACKETS, CLOSING_QUOTES, OPENING_MARKS, PAUSE_MARKS, SENTENCE_ENDS, is_han
from .gutters import find_gutters
from .layout import Fragment, group_rows
from .pdf import Char

FONT = "OCR"  # (ocrglyphs.FONT: the proxies that group line boxes into rows carry it)
# Marks whose em has a blank half before their ink, and after it: full-width brackets and quotes, and
# what OCR may read for them (ASCII). Wider than ocrglyphs' PADDED_OPENING/PADDED_CLOSING (no quotes,
# no ASCII), which pad a line's own ends: each set as its tests were tuned (test_ocr, test_outlines).
BLANK_BEFORE = OPENING_MARKS + "(["
BLANK_AFTER = SENTENCE_ENDS + PAUSE_MARKS + "：" + CLOSING_BRACKETS + CLOSING_QUOTES + ",.;:!?)]"
PITCH_TO_HEIGHT = 0.75  # type size over box height, where no line of the page shows its pitch
CUT_GAP = 0.5  # sizes: a line over a gutter is cut at a gap this wide at the gutter (as layout cuts glyphs)
WIDE_GAP = 1.0  # sizes: a line is cut at a gap this wide anywhere (as layout splits a row into fragments)
STOP_READINGS = "。oO0°.·"  # what OCR reads for a full stop alone on a line (its ink a small ring)
LONE_STOP_HEIGHT = 0.6  # ...its box at most this share of the line above's height


def cut_at_gutters(lines: list[dict]) -> list[dict]:
    """The page's lines, those that reach over a gutter between text columns cut in two at the
    widest gap between their characters inside it. The detector runs a line on over a gutter
    narrower than about an em; closing the gaps between glyphs would then hide the gutter from
    layout. The gutters are found as layout finds them (gutters.py), from the lines' boxes: most
    rows leave them free. A page with too few rows to show its gutters (a short last page) has a
    line cut where its characters lie WIDE_GAP apart, as wide as no line's spacing is."""
    frags = [Fragment([], ln["box"][0], ln["box"][1], ln["box"][2], ln["box"][3], ln["height"] * PITCH_TO_HEIGHT)
             for ln in lines]
    if not frags:
        return lines
    size = statistics.median(f.size for f in frags)
    gutters = find_gutters(rows_of(frags), min(f.x0 for f in frags), max(f.x1 for f in frags), size)
    out = []
    for ln in lines:
        parts = cut_line(ln, gutters) if gutters else [ln]
        out += [piece for part in parts for piece in cut_wide(part)]
    return out


def cut_wide(ln: dict) -> list[dict]:
    """The line, cut at every gap of WIDE_GAP sizes or more between its characters (less the
    blank half of an em a mark beside it has: 。（ leave an em between their ink)."""
    boxes, size = ln.get("chars"), ln["height"] * PITCH_TO_HEIGHT
    glyphs = [i for i, ch in enumerate(ln["text"]) if not ch.isspace()]
    if not boxes or len(boxes) != len(glyphs):
        return [ln]
    marks = [ln["text"][i] for i in glyphs]
    wide = next((k for k in range(len(boxes) - 1)
                 if boxes[k + 1][0] - boxes[k][1] - blank_halves(marks[k], marks[k + 1]) * size >= WIDE_GAP * size), None)
    if wide is None:
        return [ln]
    left, right = halves(ln, boxes, glyphs, wide)
    return [left] + cut_wide(right)


def blank_halves(left: str, right: str) -> float:
    """Ems of blank a pair of glyphs has between their ink by design: half an em after a closing
    mark (。，、) and before an opening one (（“《), whose box the detector gives their ink."""
    return 0.5 * (left in BLANK_AFTER) + 0.5 * (right in BLANK_BEFORE)


def rows_of(frags: list[Fragment]) -> list[list[Fragment]]:
    """The line boxes grouped into rows, as layout groups glyphs (by vertical overlap)."""
    proxies = [Char("", f.x0, f.x1, f.top, f.bottom, f.size, FONT) for f in frags]
    index = {id(c): f for c, f in zip(proxies, frags)}
    return [[index[id(c)] for c in row] for row in group_rows(proxies)]


def cut_line(ln: dict, gutters: list[tuple[float, float]]) -> list[dict]:
    """The line, or its two halves where it reaches over a gutter with a gap of CUT_GAP between two
    of its characters there, or a size off it (the halves keep the line's score, height and slope)."""
    boxes = ln.get("chars")
    glyphs = [i for i, ch in enumerate(ln["text"]) if not ch.isspace()]
    if not boxes or len(boxes) != len(glyphs) or len(boxes) < 2:
        return [ln]
    best, size = None, ln["height"] * PITCH_TO_HEIGHT
    for g0, g1 in gutters:
        if not (ln["box"][0] < g0 and ln["box"][1] > g1):
            continue
        for k in range(len(boxes) - 1):  # a mark's box may fill its em and reach into the gutter
            gap0, gap1 = boxes[k][1], boxes[k + 1][0]
            if gap1 - gap0 >= CUT_GAP * size and gap0 < g1 + size and gap1 > g0 - size \
                    and (best is None or gap1 - gap0 > best[1]):
                best = (k, gap1 - gap0)
    if best is None:
        return [ln]
    return list(halves(ln, boxes, glyphs, best[0]))


def halves(ln: dict, boxes: list, glyphs: list[int], k: int) -> tuple[dict, dict]:
    """The line cut after its k-th character. A half's box ends where its characters do at the
    cut, and "cut" says which of its ends were cut ("start", "end", "both"): there the box is the
    characters' own, elsewhere the detector's."""
    at, was = glyphs[k + 1], ln.get("cut")
    left = {**ln, "text": ln["text"][:at].rstrip(), "chars": boxes[:k + 1],
            "cut": "both" if was in ("start", "both") else "end", "box": [ln["box"][0], boxes[k][1], *ln["box"][2:]]}
    right = {**ln, "text": ln["text"][at:], "chars": boxes[k + 1:],
             "cut": "both" if was in ("end", "both") else "start", "box": [boxes[k + 1][0], *ln["box"][1:]]}
    return left, right


def wrapped_stops(lines: list[dict]) -> list[dict]:
    """The page's lines, a full stop wrapped alone onto the next line read as one again: a line of
    one small ring (STOP_READINGS: OCR reads 。 alone as "o"), its box at most LONE_STOP_HEIGHT of
    the line right above it (`line_above`), which stops in mid-sentence, becomes 「。」 in an em
    box as tall as that line's, so layout reads it as that paragraph's end and not an item "o"."""
    out = []
    for ln in lines:
        text, above = ln["text"].strip(), line_above(lines, ln)
        if (len(text) == 1 and text in STOP_READINGS and above is not None
                and ln["height"] <= LONE_STOP_HEIGHT * above["height"] and runs_on(above["text"])):
            x0, bottom, height = ln["box"][0], ln["box"][3], above["height"]
            box = [x0, max(ln["box"][1], x0 + PITCH_TO_HEIGHT * height / 2), bottom - height, bottom]
            ln = {**ln, "text": "。", "height": height, "box": box, "chars": [box]}
        out.append(ln)
    return out


def line_above(lines: list[dict], ln: dict) -> dict | None:
    """The line right above `ln`: its bottom at most its own height above ln's top, ln's left edge
    within a height of its left edge."""
    x0, top = ln["box"][0], ln["box"][2]
    near = [a for a in lines if a is not ln and 0 <= top - a["box"][3] <= a["height"]
            and abs(a["box"][0] - x0) <= a["height"]]
    return max(near, key=lambda a: a["box"][3], default=None)


def runs_on(text: str) -> bool:
    """Does the text stop in mid-sentence, where a full stop may follow (after a Chinese character,
    a closing quote or bracket)?"""
    text = text.strip()
    return bool(text) and (is_han(text[-1]) or text[-1] in CLOSING_QUOTES + CLOSING_BRACKETS)
