"""Stage 1b: what OCR cannot read but a reader sees — the colour and the weight of a line's ink.

A scan or a rendered page loses its fonts, and with them what set a title apart where it is set
at the body's size: a red 黑体 section title, a 黑体 heading over 宋体 text in a 公文-style issue.
Colour and weight survive in the image. A line whose ink is coloured (red, blue: far from grey,
whatever the paper's tint) is marked so; its strokes' width is measured ("pen": the mean length of
the short runs of ink across its rows and down its columns, a stroke's width across it), and
ocrglyphs compares it, over the line's type size, with the page's other lines (a heavy line is set
in a bolder face). Its glyphs then carry a font name of their own, as a title set
in another font would."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where it is used (an import of this module stays light)
    import numpy as np

COLOURED_CHROMA = 80  # mean max-min of the ink's RGB channels (0-255): black or grey ink on tinted paper stays far below
MIN_INK_PIXELS = 20  # fewer ink pixels than this say nothing
ACROSS_STROKE = 0.15  # a run of ink at most this share of the box's height crosses a stroke (longer ones run along it)


def line_ink(bgr, box: tuple[float, float, float, float], scale: float = 1.0) -> dict:
    """The ink inside the box (x0, x1, top, bottom in pixels of the BGR image): {"colour": 1} when
    it is coloured, and "pen": its strokes' width (`pen_width`) in points, the image having `scale`
    pixels a point (area over half the outline, used before, measured a 黑体 heading as thin as
    its 明体 body: a stroke two or three pixels wide is all outline). Ink is what Otsu's threshold
    on the grey crop finds darker than the paper. {} where there is too little ink."""
    import cv2
    import numpy as np
    h, w = bgr.shape[:2]
    x0, x1, top, bottom = (max(0, int(box[0])), min(w, int(box[1]) + 1), max(0, int(box[2])), min(h, int(box[3]) + 1))
    crop = bgr[top:bottom, x0:x1]
    if crop.size == 0:
        return {}
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    mask = ink > 0
    if mask.sum() < MIN_INK_PIXELS:
        return {}
    out: dict = {}
    pen = pen_width(mask, ACROSS_STROKE * (bottom - top))
    if pen:
        out["pen"] = round(pen / scale, 4)
    pixels = crop[mask].astype(np.int16)
    if float((pixels.max(axis=1) - pixels.min(axis=1)).mean()) > COLOURED_CHROMA:
        out["colour"] = 1
    return out


def run_lengths(mask) -> np.ndarray:
    """The lengths of the runs of True along each row of a boolean array."""
    import numpy as np
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1).ravel()
    return np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)


def pen_width(mask, longest: float) -> float:
    """The width of a line's strokes in pixels: the mean length of its runs of ink across rows and
    down columns no longer than `longest` (a run that short crosses a stroke; a longer one runs
    along it). A 黑体 heading's strokes are wider than a 宋体 body's though both fill as much of
    their boxes (a 宋体's thick verticals and thin horizontals); 0.0 with no such runs."""
    import numpy as np
    runs = np.concatenate([run_lengths(mask), run_lengths(mask.T)])
    short = runs[runs <= longest]
    return float(short.mean()) if short.size else 0.0
