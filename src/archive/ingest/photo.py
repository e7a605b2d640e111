"""Stage 1b, before OCR: a phone photo of a printed page is made to look like a scan of it.

A photo shows the page as a bright quadrilateral on a darker desk, askew and foreshortened, lit
unevenly. Such a page image is found from the image alone: on a small copy with the text closed
away, each of the four sides is a straight line where the brightness steps up (in logarithm, so a
shadow or a gradient lying over both sides of the edge does not change it) from the background
into the page, seen on most scanlines from the image's border inwards. The four lines meet at the
page's corners; the page is warped to a rectangle of its own aspect (A4's when it is close to
it) and its lighting flattened (each channel divided by its background, the
paper's brightness estimated by a large-kernel closing), then it is read like a scan.

A page image without such a border (a flat scan, whose page fills the image or lies on a bright
lid; a picture) is used as it is. `straighten(image, scale)` does both: the decision and the correction."""
from __future__ import annotations

import math
from dataclasses import dataclass

WORK_SIDE = 640  # px: the corners are looked for on a copy this long
CLOSE_SHARE = 1 / 70  # the closing kernel that wipes out text, rules and grain, as a share of the work copy's side
STEP = 0.22  # a page edge: ln(brightness) rises by at least this much over STEP_SPAN px inwards
STEP_SPAN = 2  # px each side of the point where the step is measured (work copy)
DEPTH_SHARE = 0.4  # a side is looked for within this share of the image from its border
CANDIDATES_PER_LINE = 3  # the outermost and the steepest steps kept per scanline
MAX_TILT = math.tan(math.radians(25))  # a side leans at most this much off the image's side
LINE_TOLERANCE = 1.5  # px (work copy): a step this close to a line lies on it
MIN_SUPPORT = 0.45  # a side is seen on at least this share of its scanlines
RANSAC_TRIES = 250
MIN_AREA, MAX_AREA = 0.25, 0.985  # the page covers this share of the image (a page filling it is a scan)
MIN_INSET = 0.002  # every corner lies at least this share of the image's side inside it
PAPER_ASPECT = 1 / math.sqrt(2)  # ISO A and B sizes (A4, and 16开 nearly): width over height
ASPECT_SNAP = 0.1  # a measured aspect within this share of it is taken to be it (corners foreshortened)
A4_HEIGHT_PT = 841.89  # the straightened page is given A4's height (a photo has no scale of its own)
MIN_PAGE_PX = 1800  # the straightened page is at least this tall (px): small photos are enlarged for OCR
MAX_PAGE_PX = 2400  # ...and at most this tall (OCR shrinks a larger image to this: ocr.MAX_SIDE)
BACKGROUND_SCALE = 4  # the paper's brightness is estimated on a copy this many times smaller
BACKGROUND_KERNEL = 1 / 40  # ...with a closing this share of the page's height (over a line of text)


@dataclass
class Side:
    """A side of the page in the work copy: depth = slope * along + offset, measured from the
    image's border inwards, `along` running along that border; its support and its median step."""
    name: str
    slope: float
    offset: float
    support: float
    step: float


def to_work(image):
    """The image's darkest channel (paper is bright in all three, a desk or cloth dark in one at
    least), shrunk to WORK_SIDE, with text, rules and grain closed away, in logarithm; and the
    shrink factor."""
    import cv2
    import numpy as np
    h, w = image.shape[:2]
    k = WORK_SIDE / max(h, w)
    small = cv2.resize(image, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
    darkest = small.min(axis=2) if small.ndim == 3 else small
    size = max(3, round(WORK_SIDE * CLOSE_SHARE) | 1)
    closed = cv2.morphologyEx(darkest, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))
    closed = cv2.GaussianBlur(closed, (0, 0), 1.0)
    return np.log(closed.astype(np.float32) + 8.0), k


def strip(log_image, name: str):
    """The image seen from one border: rows are scanlines along that border, columns go inwards."""
    if name == "left":
        return log_image
    if name == "right":
        return log_image[:, ::-1]
    if name == "top":
        return log_image.T
    return log_image[::-1].T


def steps(rows, depth: int):
    """Per scanline, the places (along, inward, rise) where the brightness rises steeply inwards:
    local maxima of the rise above STEP, the CANDIDATES_PER_LINE outermost and steepest ones."""
    import numpy as np
    g = STEP_SPAN
    part = rows[:, :depth + 2 * g]
    rise = np.zeros_like(part)
    rise[:, g:-g] = part[:, 2 * g:] - part[:, :-2 * g]
    peak = (rise > STEP) & (rise >= np.roll(rise, 1, axis=1)) & (rise >= np.roll(rise, -1, axis=1))
    peak[:, :g + 1] = False
    peak[:, depth:] = False
    out = []
    for j in np.nonzero(peak.any(axis=1))[0]:
        cols = np.nonzero(peak[j])[0]  # the outermost steps and the steepest (a picture's edge may be steeper)
        best = set(cols[:CANDIDATES_PER_LINE]) | set(cols[np.argsort(-rise[j, cols])][:CANDIDATES_PER_LINE])
        out.extend((float(j), float(i), float(rise[j, i])) for i in sorted(best))
    return np.array(out, dtype=np.float32).reshape(-1, 3)


def fit_side(points, n_lines: int, name: str) -> Side | None:
    """The straight line most scanlines' steps lie on (RANSAC, then least squares on its points);
    None when no line is seen on MIN_SUPPORT of the scanlines."""
    import numpy as np
    if len(points) < 2:
        return None
    rng = np.random.default_rng(0)  # the same image gives the same corners
    along, inward = points[:, 0], points[:, 1]
    a, b = rng.integers(0, len(points), (2, RANSAC_TRIES))
    apart = np.abs(along[a] - along[b]) >= 0.1 * n_lines
    a, b = a[apart], b[apart]
    slope = (inward[a] - inward[b]) / (along[a] - along[b])
    level = np.abs(slope) <= MAX_TILT
    a, slope = a[level], slope[level]
    if not len(a):
        return None
    near = np.abs(inward[None, :] - (inward[a][:, None] + slope[:, None] * (along[None, :] - along[a][:, None]))) \
        <= LINE_TOLERANCE
    starts = np.flatnonzero(np.r_[True, np.diff(along) != 0])  # points come scanline by scanline
    counts = np.maximum.reduceat(near, starts, axis=1).sum(axis=1)
    if counts.max() < MIN_SUPPORT * n_lines:
        return None
    # most scanlines wins; of lines seen on nearly as many, the outer one (the page's edge, not a picture's)
    close = np.flatnonzero(counts >= 0.9 * counts.max())
    best = near[close[np.argmin([np.median(inward[near[i]]) for i in close])]]
    slope, offset = np.polyfit(along[best], inward[best], 1)
    near = np.abs(inward - (slope * along + offset)) <= LINE_TOLERANCE  # refit once on the line's own points
    if near.sum() >= 2:
        slope, offset = np.polyfit(along[near], inward[near], 1)
    return Side(name, float(slope), float(offset), len(np.unique(along[near])) / n_lines,
                float(np.median(points[near, 2])))


def side_line(side: Side, w: int, h: int):
    """The side as a line a*x + b*y = c in the work copy's coordinates."""
    m, q = side.slope, side.offset
    if side.name == "left":  # x = m*y + q
        return 1.0, -m, q
    if side.name == "right":  # x = w-1 - (m*y + q)
        return 1.0, m, w - 1 - q
    if side.name == "top":  # y = m*x + q
        return -m, 1.0, q
    return m, 1.0, h - 1 - q  # bottom: y = h-1 - (m*x + q)


def meet(l1, l2):
    a1, b1, c1 = l1
    a2, b2, c2 = l2
    det = a1 * b2 - a2 * b1
    if abs(det) < 1e-9:
        return None
    return (c1 * b2 - c2 * b1) / det, (a1 * c2 - a2 * c1) / det


def find_sides(log_image) -> dict[str, Side] | None:
    h, w = log_image.shape
    sides = {}
    for name in ("top", "right", "bottom", "left"):
        rows = strip(log_image, name)
        depth = int(DEPTH_SHARE * rows.shape[1])
        side = fit_side(steps(rows, depth), rows.shape[0], name)
        if side is None:
            return None
        sides[name] = side
    return sides


def quad_area(quad) -> float:
    return 0.5 * abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(quad, quad[1:] + quad[:1])))


def is_convex(quad) -> bool:
    signs = []
    for i in range(4):
        (x0, y0), (x1, y1), (x2, y2) = quad[i], quad[(i + 1) % 4], quad[(i + 2) % 4]
        signs.append((x1 - x0) * (y2 - y1) - (y1 - y0) * (x2 - x1) > 0)
    return all(signs) or not any(signs)


def find_page(image) -> list[tuple[float, float]] | None:
    """The page's four corners in the image (top-left, top-right, bottom-right, bottom-left, px),
    or None when the image shows no page on a darker background (use the image as it is)."""
    log_image, k = to_work(image)
    h, w = log_image.shape
    sides = find_sides(log_image)
    if sides is None:
        return None
    lines = {name: side_line(s, w, h) for name, s in sides.items()}
    order = [("top", "left"), ("top", "right"), ("bottom", "right"), ("bottom", "left")]
    quad = [meet(lines[a], lines[b]) for a, b in order]
    if any(p is None for p in quad):
        return None
    if not page_like(quad, w, h):
        return None
    return [(x / k, y / k) for x, y in quad]


def page_like(quad, w: int, h: int) -> bool:
    """Four corners inside the image, convex, covering a page's share of it."""
    inside = all(MIN_INSET * w <= x <= (1 - MIN_INSET) * (w - 1) and MIN_INSET * h <= y <= (1 - MIN_INSET) * (h - 1)
                 for x, y in quad)
    return inside and is_convex(quad) and MIN_AREA <= quad_area(quad) / (w * h) <= MAX_AREA


# --- straightening ---------------------------------------------------------------------------------

def page_aspect(quad) -> float:
    """Width over height of the page the corners bound: the mean of opposite sides, snapped to
    the paper's (portrait or landscape) when within ASPECT_SNAP of it."""
    tl, tr, br, bl = quad
    width = (math.dist(tl, tr) + math.dist(bl, br)) / 2
    height = (math.dist(tl, bl) + math.dist(tr, br)) / 2
    aspect = width / max(height, 1e-6)
    for standard in (PAPER_ASPECT, 1 / PAPER_ASPECT):
        if abs(aspect / standard - 1) <= ASPECT_SNAP:
            return standard
    return aspect


def output_size(quad) -> tuple[int, int]:
    """The straightened page in px: as tall as the page's longer upright side in the photo, within
    MIN_PAGE_PX..MAX_PAGE_PX, and as wide as its aspect says."""
    tl, tr, br, bl = quad
    tall = max(math.dist(tl, bl), math.dist(tr, br))
    aspect = page_aspect(quad)
    if aspect > 1:  # a landscape page: its height is the shorter side
        tall = max(math.dist(tl, tr), math.dist(bl, br)) / aspect
    height = min(MAX_PAGE_PX, max(MIN_PAGE_PX, tall))
    return max(1, round(height * aspect)), max(1, round(height))


def rectify(image, quad):
    """The page warped to an upright rectangle of its own aspect."""
    return warp_to(image, quad, output_size(quad))


def warp_to(image, quad, size: tuple[int, int]):
    """The quadrilateral `quad` of an image array (px: top-left, top-right, bottom-right,
    bottom-left) warped to an upright rectangle of `size` (w, h) px."""
    import cv2
    import numpy as np
    w, h = size
    target = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    matrix = cv2.getPerspectiveTransform(np.float32(quad), target)
    return cv2.warpPerspective(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def flatten(image):
    """Even lighting: each channel divided by the paper's brightness under it (a closing over more
    than a line of text, on a shrunk copy, smoothed), so paper is white and ink keeps its contrast
    wherever a gradient or a shadow lay."""
    import cv2
    h, w = image.shape[:2]
    small = cv2.resize(image, (max(1, w // BACKGROUND_SCALE), max(1, h // BACKGROUND_SCALE)), interpolation=cv2.INTER_AREA)
    size = max(3, round(BACKGROUND_KERNEL * h / BACKGROUND_SCALE) | 1)
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))
    paper = cv2.GaussianBlur(paper, (0, 0), size / 2)
    paper = cv2.max(cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR), 1)
    return cv2.divide(image, paper, scale=255.0)


def straighten(image, scale: float):
    """(image, scale, size): a photographed page cut out, straightened and evenly lit, its
    pixels per point and its size in points ((width, height): A4's height, a photo having no
    scale of its own); or the image and scale as they are and None when it shows no page on a desk."""
    return straighten_quad(image, scale)[:3]


def straighten_quad(image, scale: float):
    """straighten's (image, scale, size), and the page's corners in the photo (top-left, top-right,
    bottom-right, bottom-left) in the photo's points (its pixels over `scale`), or None."""
    quad = find_page(image)
    if quad is None:
        return image, scale, None, None
    page = flatten(rectify(image, quad))
    h, w = page.shape[:2]
    corners = [[round(x / scale, 2), round(y / scale, 2)] for x, y in quad]
    scale = max(h, w) / A4_HEIGHT_PT
    return page, scale, (round(w / scale, 2), round(h / scale, 2)), corners


# --- from the page cut out back to the photo (the page view's text layer, a searchable PDF) ---------

def homography(src: list, dst: list) -> list[float]:
    """The 3 × 3 perspective map (row by row, h33 = 1) taking four points `src` to `dst`."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(src, dst):
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
        rhs += [u, v]
    n = 8  # Gauss-Jordan with partial pivoting
    m = [row + [b] for row, b in zip(rows, rhs)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        if abs(m[col][col]) < 1e-12:
            raise ValueError("degenerate quadrilateral")
        for r in range(n):
            if r != col:
                k = m[r][col] / m[col][col]
                m[r] = [a - k * b for a, b in zip(m[r], m[col])]
    return [m[i][n] / m[i][i] for i in range(n)] + [1.0]


def cut_to_photo(geometry: dict, turned: int):
    """(x, y) on a photographed page as its records keep it (cut out, upright, in points) → the
    same point on the photo as a viewer shows the file page (points, top-left origin): turned back
    the `turned` degrees it was read turned clockwise, then through the page's corners."""
    width, height = geometry["size"]
    w0, h0 = (height, width) if turned in (90, 270) else (width, height)
    h = homography([[0, 0], [w0, 0], [w0, h0], [0, h0]], geometry["quad"])

    turns = (turned // 90) % 4

    def mapped(x: float, y: float) -> tuple[float, float]:
        w, hh = width, height
        for _ in range(turns):  # the upright page turned clockwise, a quarter at a time
            x, y, w, hh = hh - y, x, hh, w
        d = h[6] * x + h[7] * y + h[8]
        return (h[0] * x + h[1] * y + h[2]) / d, (h[3] * x + h[4] * y + h[5]) / d
    return mapped
