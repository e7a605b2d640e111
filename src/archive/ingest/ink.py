"""Stage 1b: what OCR cannot read but a reader sees — the colour and the weight of a line's ink.

A scan or a rendered page loses its fonts, and with them what set a title apart where it is set
at the body's size: a red 黑体 section title, a 黑体 heading over 宋体 text in a 公文-style issue.
Colour and weight survive in the image. A line whose ink is coloured (red, blue: far from grey,
whatever the paper's tint) is marked so; its strokes' width over its height is measured, and
ocrglyphs compares it with the page's other lines (a heavy line is set in a bolder face). Its
glyphs then carry a font name of their own, as a title set in another font would."""
from __future__ import annotations

COLOURED_CHROMA = 80  # mean max-min of the ink's RGB channels (0-255): black or grey ink on tinted paper stays far below
MIN_INK_PIXELS = 20  # fewer ink pixels than this say nothing



def line_ink(bgr, box: tuple[float, float, float, float]) -> dict:
    """The ink inside the box (x0, x1, top, bottom in pixels of the BGR image): {"colour": 1} when
    it is coloured, and "stroke": its strokes' width over the box's height. Ink is what Otsu's
    threshold on the grey crop finds darker than the paper. {} where there is too little ink."""
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
    # a stroke's width: its area over half its outline (the ink pixels beside paper)
    outline = int((mask & ~(cv2.erode(ink, np.ones((3, 3), np.uint8)) > 0)).sum())
    out = {"stroke": round(2 * int(mask.sum()) / max(outline, 1) / (bottom - top), 4)}
    pixels = crop[mask].astype(np.int16)
    if float((pixels.max(axis=1) - pixels.min(axis=1)).mean()) > COLOURED_CHROMA:
        out["colour"] = 1
    return out
