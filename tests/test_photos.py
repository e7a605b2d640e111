"""Phone photos of printed pages (scripts/fixtures/degrade_photos.py): the page found as a quadrilateral on a
darker desk, straightened, its lighting flattened and read like a scan; pages that are no photo
(flat scans, pictures) read as they are. And the OCR size rules photos and poor scans need."""
from __future__ import annotations

import json
import math

import pytest

from conftest import (FIXTURES, items_match, load_truth, masthead_matches, share_ocr_cache, shared_ocr_folder, squash,
                      truth_items)
from geometry import line
from archive.ingest import ocrglyphs, ocrsizes, photo
from archive.ingest.structure import section_title
from archive.model import Block

np = pytest.importorskip("numpy")
cv2 = pytest.importorskip("cv2")

PHOTOS = FIXTURES / "photos"
MAX_CER = 0.03  # per item: OCR's character errors on a 1400 px photo
FRAME = (900, 1200)  # width, height of the synthetic photos
MAX_CORNER_ERROR = 0.01  # of the page's diagonal


# --- the corner finder, on synthetic photos ---------------------------------------------------------

def printed_page(w: int = 420, h: int = 594, paper: int = 235) -> np.ndarray:
    """An upright page: paper with a masthead, two columns of 'text' bars and a dark picture."""
    page = np.full((h, w, 3), paper, np.uint8)
    cv2.rectangle(page, (110, 30), (310, 55), (40, 40, 200), -1)  # the red masthead title
    for col in (0, 1):
        x0 = 40 + col * 180
        for y in range(110, h - 50, 14):
            cv2.rectangle(page, (x0, y), (x0 + 160, y + 7), (30, 30, 30), -1)
    cv2.rectangle(page, (220, 300), (380, 400), (70, 90, 60), -1)  # a photo printed in the page
    return page


def desk(kind: str, w: int, h: int) -> np.ndarray:
    rng = np.random.default_rng(3)
    if kind == "wood":
        y = np.arange(h, dtype=np.float32)[:, None] + 20 * np.sin(np.arange(w, dtype=np.float32)[None, :] / 90)
        tone = 0.85 + 0.15 * np.sin(y / 7.0)
        tone[:: h // 3] = 0.5  # seams between planks, parallel to the page's top
        return (tone[:, :, None] * np.float32((60, 95, 140))).astype(np.uint8)
    if kind == "cloth":
        yy, xx = np.mgrid[0:h, 0:w]
        weave = 1 + 0.1 * np.sin(xx * 1.5) * np.sin(yy * 1.5)
        return (weave[:, :, None] * np.float32((120, 60, 40))).astype(np.uint8)
    grey = {"dark": 60, "light": 150}[kind]
    return np.clip(grey + rng.normal(0, 4, (h, w, 3)), 0, 255).astype(np.uint8)


def photograph(corners, background: str = "dark", light: str = "", frame=FRAME, paper: int = 235) -> np.ndarray:
    """A page laid on a desk and photographed: its corners at `corners` (shares of the frame)."""
    w, h = frame
    page = printed_page(paper=paper)
    ph, pw = page.shape[:2]
    quad = np.float32([[x * w, y * h] for x, y in corners])
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]]), quad)
    warped = cv2.warpPerspective(page, m, (w, h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), m, (w, h))[:, :, None]
    img = warped * mask + desk(background, w, h) * (1 - mask)
    if light == "gradient":  # brighter on the left, a third darker on the right
        img = img * np.linspace(1.0, 0.67, w, dtype=np.float32)[None, :, None]
    elif light == "shadow":  # a soft shadow over the lower half, desk and page alike
        shade = 1 - 0.45 * cv2.GaussianBlur((np.arange(h) > h / 2).astype(np.float32)[:, None] * np.ones((1, w)),
                                            (0, 0), 25)
        img = img * shade[:, :, None]
    img = cv2.GaussianBlur(img.astype(np.float32), (0, 0), 1.0)
    return np.clip(img + np.random.default_rng(1).normal(0, 3, img.shape), 0, 255).astype(np.uint8)


def flat_scan(skew: float = 0.0, lid: int = 243, paper: int = 250, band: str = "") -> np.ndarray:
    """A flat scan: the page fills the image, turned `skew` degrees on a bright lid; `band`: a dark
    scanner edge along one side."""
    w, h = FRAME
    page = cv2.resize(printed_page(paper=paper), (w, h))
    m = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
    img = cv2.warpAffine(page, m, (w, h), borderValue=(lid, lid, lid)).astype(np.float32)
    if band == "left":
        img[:, :30] *= 0.2
    return img.astype(np.uint8)


def picture() -> np.ndarray:
    """A picture, not a page: smooth blobs of colour."""
    rng = np.random.default_rng(5)
    w, h = FRAME
    grid = rng.uniform(0, 255, (4, 3, 3)).astype(np.float32)
    return cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 255).astype(np.uint8)


SKEWED = [[0.05, 0.04], [0.93, 0.07], [0.96, 0.95], [0.04, 0.92]]
KEYSTONE = [[0.08, 0.03], [0.92, 0.05], [0.97, 0.96], [0.03, 0.97]]  # the camera tilted: top narrower


@pytest.mark.parametrize("corners, background, light", [
    (SKEWED, "dark", ""),
    (KEYSTONE, "dark", ""),
    (SKEWED, "wood", ""),             # grain and plank seams parallel to the page's edges
    (KEYSTONE, "cloth", ""),          # a coloured weave
    (SKEWED, "light", ""),            # a light grey desk, only a little darker than the paper
    (SKEWED, "dark", "gradient"),     # the far side a third darker
    (KEYSTONE, "wood", "shadow"),     # a shadow over the lower half of page and desk
    ([[0.02, 0.10], [0.98, 0.02], [0.90, 0.98], [0.10, 0.90]], "dark", ""),  # well askew (~6 degrees)
    ([[0.25, 0.2], [0.75, 0.2], [0.75, 0.8], [0.25, 0.8]], "dark", ""),        # far away: a third of the frame
])
def test_a_page_on_a_desk_is_found(corners, background, light):
    found = photo.find_page(photograph(corners, background, light))
    assert found is not None
    want = [(x * FRAME[0], y * FRAME[1]) for x, y in corners]
    diagonal = math.dist(want[0], want[2])
    for (fx, fy), (wx, wy) in zip(found, want):  # top-left, top-right, bottom-right, bottom-left
        assert math.dist((fx, fy), (wx, wy)) < MAX_CORNER_ERROR * diagonal, (found, want)


@pytest.mark.parametrize("image", [
    pytest.param(lambda: flat_scan(), id="flat scan, page fills the image"),
    pytest.param(lambda: flat_scan(skew=4.0), id="skewed flat scan on a bright lid"),
    pytest.param(lambda: flat_scan(skew=2.0, lid=200, paper=225), id="skewed grey page on a lighter lid"),
    pytest.param(lambda: flat_scan(band="left"), id="a dark scanner edge on one side only"),
    pytest.param(picture, id="a picture"),
    pytest.param(lambda: photograph([[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.6]]), id="a page too small"),
    pytest.param(lambda: photograph([[-0.05, 0.05], [0.95, 0.03], [0.96, 0.95], [0.04, 0.97]]),
                 id="a corner outside the photo"),
    pytest.param(lambda: photograph([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]), id="no border"),
])
def test_no_page_border_means_the_image_is_used_as_it_is(image):
    img = image()
    assert photo.find_page(img) is None
    out, scale, size = photo.straighten(img, 2.0)
    assert out is img and scale == 2.0 and size is None


def test_a_photo_is_straightened_to_an_upright_page_of_its_aspect():
    img = photograph(KEYSTONE, "dark", "gradient")
    out, scale, size = photo.straighten(img, 2.0)
    h, w = out.shape[:2]
    assert w / h == pytest.approx(1 / math.sqrt(2), rel=0.01)  # A4's aspect, within 10 % of what was seen
    assert size == (pytest.approx(w / scale, abs=0.01), pytest.approx(photo.A4_HEIGHT_PT, abs=0.01))
    assert h >= photo.MIN_PAGE_PX
    # the lighting is flattened: the paper as bright on the far side as on the near one
    grey = out.min(axis=2)
    left, right = np.percentile(grey[:, : w // 5], 90), np.percentile(grey[:, -w // 5:], 90)
    assert abs(left - right) < 12 and left > 230


@pytest.mark.parametrize("corners, want", [
    ([(0, 0), (420, 0), (420, 600), (0, 600)], 1 / math.sqrt(2)),   # 0.70: A4
    ([(0, 0), (450, 10), (455, 600), (5, 590)], 1 / math.sqrt(2)),  # 0.75 seen: still A4 (within 10 %)
    ([(0, 0), (600, 0), (600, 420), (0, 420)], math.sqrt(2)),       # A4 landscape
    ([(0, 0), (500, 0), (500, 500), (0, 500)], 1.0),                # a square page: its own
])
def test_page_aspect(corners, want):
    assert photo.page_aspect(corners) == pytest.approx(want, rel=0.001)


# --- OCR'd sizes: the lines of a paragraph share its size ------------------------------------------

def ocr_line(text, x0, top, pitch=None, height=14.0, size=10.5):
    """An OCR line: its characters on a `pitch` (a size's worth of ems each by default)."""
    pitch = pitch or size
    glyphs = [ch for ch in text if not ch.isspace()]
    boxes, x = [], x0
    for ch in text:
        if ch.isspace():
            x += pitch / 4
            continue
        w = pitch if ocrsizes.is_square(ch) or ocrglyphs.is_han(ch) else pitch / 2
        boxes.append([x + 0.1 * w, x + 0.9 * w, top, top + height])
        x += w
    assert len(boxes) == len(glyphs)
    return {"text": text, "score": 0.99, "height": height, "box": [x0, x, top, top + height], "chars": boxes,
            "slope": 0.0}


BODY = "中铝股份党委召开专题会议研究部署党建工作"  # 20 square glyphs: measured by its pitch


def sizes_of(lines):
    estimates = ocrsizes.size_estimates(lines)
    return ocrsizes.neighbour_sizes(lines, estimates, ocrsizes.snap_sizes(estimates, [len(ln["text"]) for ln in lines]))


@pytest.mark.parametrize("last, want_body", [
    # a paragraph's short last line, its few glyphs measured 11 % small (unjustified, punctuation squeezed)
    (ocr_line("元。（中铝碳素）", 50, 118, pitch=9.3), True),
    # ...of eleven glyphs (digits among them): a paragraph's last line all the same
    (ocr_line("赛，27支代表队参赛。", 50, 118, pitch=9.3), True),
    # a two-glyph last line measured by its box, which a short line's box inflates (by 45 %)
    (ocr_line("网）", 50, 118, height=20.5), True),
    # ...under an indented first line: the two do not overlap across
    (ocr_line("网）", 29, 118, height=20.5), True),
    # a centred title under the paragraph: not its next line
    (ocr_line("学·习之路", 200, 118, pitch=16, height=22), False),
    # a line set well below (a new block): not the paragraph's next line
    (ocr_line("元。（中铝碳素）", 50, 170, pitch=9.3), False),
    # a short line whose size is far off the paragraph's: its own
    (ocr_line("党史学习", 50, 118, pitch=16, height=22), False),
])
def test_a_poorly_measured_line_takes_its_paragraphs_size(last, want_body):
    lines = [ocr_line(BODY, 50, 82), ocr_line(BODY, 50, 100), last]
    sizes = sizes_of(lines)
    assert sizes[0] == sizes[1] == 10.5
    assert (sizes[2] == 10.5) == want_body, sizes


def test_a_paragraph_of_latin_at_a_pages_top_takes_the_size_of_the_line_under_it():
    """Lines of Latin with a few Chinese characters, spaced out by justification, then the next
    paragraph's lines (regression: each line of such a paragraph got a size of its own and became
    an item)."""
    lines = [ocr_line("山西分公司团队在 International Aluminium", 71, 82, pitch=15),  # spread out
             ocr_line("Conference 上作题为 Decarbonization pathways", 50, 100, pitch=14.5),
             ocr_line("electrolysis-based smelters 的报告，介绍了", 50, 118, pitch=14.0),
             ocr_line(BODY, 50, 136)]
    assert sizes_of(lines) == [10.5] * 4


def test_a_row_cut_in_two_by_the_detector_is_set_in_one_size():
    lines = [ocr_line(BODY, 50, 82), ocr_line("山西中润团队在", 71, 100), ocr_line("International", 150, 101, height=11)]
    assert sizes_of(lines) == [10.5] * 3


def test_latin_lines_measure_their_size_by_their_chinese_characters():
    line = ocr_line("Conference 上作题为 Decarbonization", 50, 100, pitch=12.0, height=16.0)
    (estimate, rough), = ocrsizes.size_estimates([line, ocr_line(BODY, 50, 82, pitch=12.0, height=16.0)])[:1]
    assert not rough and estimate == pytest.approx(12.0, rel=0.02)


@pytest.mark.parametrize("box, first, want", [
    ((70.0, 300.0), 72.0, 72.0 - 1.0),    # the detector's margin trimmed (1 pt of 3)
    ((46.0, 300.0), 72.0, 72.0 - 5.25),   # a box 26 pt wider than its first character: blank paper
])
def test_a_lines_glyphs_start_near_its_first_characters_box(box, first, want):
    line = {"text": "连连。", "height": 12.5, "box": [box[0], box[1], 100, 112.5],
            "chars": [[first, first + 9, 100, 112], [first + 10.5, first + 19.5, 100, 112], [first + 21, first + 24, 100, 112]]}
    x0, _ = ocrglyphs.line_extent(line, line["text"], 10.5)
    assert x0 == pytest.approx(max(want, box[0] + 1.0))


@pytest.mark.parametrize("text, padded", [
    ("“家”与“国”", True),      # regression (garbled-ps2pdf): an opening quote before Chinese, set full width —
    #                             its ink in the right half; the line looked indented a whole em, a new paragraph
    ("（新华社）", True),        # a full-width bracket, as before
    ("“Aluminium”", False),   # a quote before Latin: proportional, no blank half
    ("家与国相连", False),
])
def test_a_line_opening_with_a_full_width_mark_starts_half_an_em_before_its_ink(text, padded):
    first = 72.0
    line = {"text": text, "height": 10.5, "box": [first, first + 10.5 * len(text), 100, 110.5],
            "chars": [[first + 10.5 * k, first + 10.5 * (k + 1), 100, 110.5] for k in range(len(text))]}
    x0, _ = ocrglyphs.line_extent(line, text, 10.5)
    assert x0 == pytest.approx(first - 5.25 if padded else first)


@pytest.mark.parametrize("estimates, want", [
    ([(13.5, False)] * 3 + [(17.96, True)], 18.0),  # a letter-spaced 16 pt title's box: not the 13.5 pt line's
    ([(10.5, False)] * 3 + [(12.5, True)], 10.5),  # a short line's box, a little tall: the body
    ([(10.5, False)] * 3 + [(9.0, True)], 10.5),   # a Latin word without descenders: the body
])
def test_a_rough_size_snaps_only_to_a_size_it_may_stand_for(estimates, want):
    assert ocrsizes.snap_sizes(estimates)[-1] == want


@pytest.mark.parametrize("text, want", [
    ("悟·心之语·", "悟·心之语"),                   # a speck after a title's last character
    ("（山西分公司·）", "（山西分公司）"),            # ...or before a closing bracket
    ("（山西中润杨帆）.", "（山西中润杨帆）"),        # a full stop after a full-width bracket
    ("· 37 ·", "· 37 ·"),                         # a page number between dots stays
    ("马克思·恩格斯", "马克思·恩格斯"),               # a name's dot stays
    ("(IAC).", "(IAC)."),                          # Latin punctuation stays
    ("利润1.5万元。", "利润1.5万元。"),
])
def test_specks_read_as_dots_are_dropped(text, want):
    placed = ocrglyphs.place_glyphs(text, [[i, i + 1, 0, 1] for i, ch in enumerate(text) if not ch.isspace()])
    assert "".join(ch for ch, _ in ocrglyphs.drop_specks(placed)) == want


@pytest.mark.parametrize("text, want", [
    ("悟：心之语", "悟·心之语"),      # OCR read the middle dot as a colon
    ("悟:心之语", "悟·心之语"),
    ("悟·心之语", "悟·心之语"),
    ("注：略", None),                 # too short to be a section title
    ("通知：关于开展党史学习教育的通知", None),
])
def test_a_section_titles_dot_read_as_a_colon(text, want):
    assert section_title(Block("title", [line(text, 200, 100, 300, size=16)])) == want


# --- a photographed issue, imported ---------------------------------------------------------------

@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """tests/fixtures/photos/2018-002.pdf (two columns, photographed at 1400 px, its first page well
    askew) imported by the CLI: (data folder, its record)."""
    from archive.ingest import ocr
    if ocr.available() is not None:
        pytest.skip(f"OCR not installed: {ocr.available()}")
    from click.testing import CliRunner

    from archive.cli.main import cli
    data = share_ocr_cache(tmp_path_factory.mktemp("photos") / "data", shared_ocr_folder(tmp_path_factory))
    runner = CliRunner()
    result = runner.invoke(cli, ["--data", str(data), "import", str(PHOTOS / "2018-002.pdf")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    export = json.loads(runner.invoke(cli, ["--data", str(data), "export"], catch_exceptions=False).output)
    (record,) = export
    return data, record


def test_a_photographed_issue_gives_its_records(imported):
    _, record = imported
    truth = load_truth(PHOTOS / "2018-002.truth.json")
    masthead_matches(record, truth)  # the masthead is found
    items_match(record, truth, MAX_CER)


def joins(text: str, truths: list[str], window: int = 6) -> str | None:
    """Where `text` runs from one truth item's words into another's (two lines of different
    paragraphs read as one), or None."""
    for k in range(window, len(text) - window + 1):
        a, b = text[k - window:k], text[k:k + window]
        in_a = {n for n, t in enumerate(truths) if a in t}
        in_b = {n for n, t in enumerate(truths) if b in t}
        if in_a and in_b and not in_a & in_b and not any(a + b in t for t in truths):
            return f"{a}|{b}"
    return None


def test_the_two_halves_of_a_photographed_page_are_never_joined(imported):
    """Regression: a two-column page photographed askew was read across its gutter, a line of the
    left column running on into the right one's (「米。中铝香港推进精益管理…」)."""
    _, record = imported
    truth = load_truth(PHOTOS / "2018-002.truth.json")
    truths = [squash(it["text"]) for _, it in truth_items(truth)] + [squash(s["title"]) for s in truth["sections"]]
    joined = [j for s in record["sections"] for it in s["items"] if (j := joins(squash(it["text"]), truths))]
    assert joined == []


def test_joins_sees_two_paragraphs_read_as_one():
    truths = ["坚持以人民为中心的发展思想，把人民对美好生活的向往作为奋斗目标。", "分析检测中心为病困职工捐款28100元。"]
    assert joins("把人民对美好生活的向往作为奋斗目标。析检测中心为病困", truths) == "为奋斗目标。|析检测中心为"
    assert joins(truths[0], truths) is None


# --- a photographed page shown as it was read: cut out of its photo and straightened ---------------

@pytest.mark.parametrize("turned", [0, 90, 180, 270])
def test_a_point_of_the_page_cut_out_maps_back_onto_its_photo(turned):
    """The corners of the page as the records keep it (upright) land on the photo's corners."""
    quad = [[110.0, 80.0], [520.0, 95.0], [540.0, 690.0], [90.0, 670.0]]  # a keystoned page, points
    size = [420.0, 595.0] if turned in (0, 180) else [595.0, 420.0]  # the page cut out, upright
    to_photo = photo.cut_to_photo({"quad": quad, "size": size}, turned)
    w, h = size
    corners = [(0, 0), (w, 0), (w, h), (0, h)]  # upright: top-left, top-right, bottom-right, bottom-left
    # read turned clockwise by `turned`: the upright top-left corner was the photo's corner k quarters on
    k = (turned // 90) % 4
    for n, (x, y) in enumerate(corners):
        assert to_photo(x, y) == pytest.approx(tuple(quad[(n + k) % 4]), abs=1e-6)
    assert to_photo(w / 2, h / 2)[0] == pytest.approx(sum(p[0] for p in quad) / 4, abs=15)  # the middle stays inside


def test_a_photographed_page_keeps_its_place_in_its_photo(imported):
    from archive.store import DataDir
    data, record = imported
    with DataDir(data).records() as records:
        geometry = records.page_geometries(record["id"])
        sizes = records.pages_of(record["id"])
    assert len(geometry) == len(sizes) == record["pages"]
    for g in geometry:
        assert len(g["quad"]) == 4 and all(len(p) == 2 for p in g["quad"])
        w, h = g["size"]
        assert 0.6 < min(w, h) / max(w, h) < 0.8  # a page's aspect (A4 0.707), not the photo's


def ink_share(image, box, scale) -> float:
    """The share of dark pixels in a box (points, top-left origin) of a page image drawn at `scale`."""
    x0, top, x1, bottom = (round(v * scale) for v in box)
    histogram = image.convert("L").crop((x0, top, x1, bottom)).histogram()
    return sum(histogram[:128]) / max(1, sum(histogram))


def test_the_page_view_draws_a_photographed_page_as_it_was_read(imported):
    """Regression: the page view drew the whole photo (desk and all) under boxes that are in the
    straightened page's points, so they fell beside the text. Now the page is cut out and
    straightened as OCR read it: the image has the page's size and every line box lies on ink."""
    import io

    from PIL import Image

    from archive.web import create_app
    data, record = imported
    app = create_app({"DATA_DIR": str(data), "SECRET_KEY": "photo-view", "TESTING": True})
    client = app.test_client()
    issue = record["id"]
    with app.app_context():
        from archive.web.db import get_db
        geometry = get_db().page_geometry(issue, 1)
    page = client.get(f"/issues/{issue}/pages/1")
    assert page.status_code == 200
    w, h = geometry["size"]
    assert f'class="page" viewBox="0 0 {w} {h}"' in page.get_data(as_text=True)  # the boxes' coordinates
    png = client.get(f"/issues/{issue}/pages/1.png")
    assert png.status_code == 200
    image = Image.open(io.BytesIO(png.data))
    scale = image.width / w
    assert image.height / h == pytest.approx(scale, rel=0.01)  # the page's aspect, not the photo's
    boxes = [b[1:] for s in record["sections"] for it in s["items"] for b in item_boxes(data, it["id"]) if b[0] == 1]
    assert len(boxes) >= 5
    on_ink = [ink_share(image, b, scale) for b in boxes]
    assert min(on_ink) > 0.03 and sorted(on_ink)[len(on_ink) // 2] > 0.08, on_ink
    app.extensions["archive.renderer"].close()


def item_boxes(data, item_id) -> list:
    from archive.store import DataDir
    with DataDir(data).records() as records:
        return records.item(item_id)["boxes"]


def test_a_photographed_issue_downloads_with_its_text_on_the_photo(imported, tmp_path):
    """The searchable PDF lays each line where it lies on the photo (through the page's corners):
    every item's text is there, and every word lies within the page on the photo, none on the desk."""
    import re
    import subprocess

    from click.testing import CliRunner
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    from archive.cli.main import cli
    from archive.store import DataDir
    data, record = imported
    out = tmp_path / "photo.pdf"
    result = CliRunner().invoke(cli, ["--data", str(data), "pdf", record["id"], "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    raw = squash(subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True, check=True).stdout)
    for s in record["sections"]:
        for it in s["items"]:
            text = squash(it["text"])
            al = fuzz.partial_ratio_alignment(text, raw)
            assert Levenshtein.distance(text, raw[al.dest_start:al.dest_end]) / len(text) <= 0.02, it["id"]
    with DataDir(data).records() as records:
        geometry = records.page_geometries(record["id"])
    xml = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True, check=True).stdout
    with DataDir(data).records() as records:
        items = records.items_of_issue(record["id"])
        turns = [turn for _, turn in records.pages_of(record["id"])]
    for n, page in enumerate(re.findall(r"<page .*?</page>", xml, re.S), 1):
        lines = on_the_photo([b for it in items for b in it["boxes"] if b[0] == n], geometry[n - 1], turns[n - 1])
        words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', page)
        assert len(words) >= 10
        for x0, y0, x1, y1 in ((float(v) for v in w) for w in words):  # each word on a line of the photo
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            assert any(a - 3 <= cx <= c + 3 and b - 3 <= cy <= d + 3 for a, b, c, d in lines), (n, cx, cy)


def on_the_photo(boxes: list, geometry: dict, turned: int) -> list[tuple[float, ...]]:
    """The records' line boxes of a photographed page (the page cut out, upright) as boxes on the
    photo, by OpenCV's own perspective transform (not the code under test)."""
    import cv2
    import numpy as np
    w, h = geometry["size"]
    w0, h0 = (h, w) if turned in (90, 270) else (w, h)
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [w0, 0], [w0, h0], [0, h0]]), np.float32(geometry["quad"]))
    out = []
    for _, x0, top, x1, bottom in boxes:
        corners = np.float32([[x0, top], [x1, top], [x1, bottom], [x0, bottom]])
        ww, hh = w, h
        for _ in range((turned // 90) % 4):  # upright → as read: turned clockwise a quarter at a time
            corners, ww, hh = np.float32([[hh - y, x] for x, y in corners]), hh, ww
        mapped = cv2.perspectiveTransform(corners.reshape(-1, 1, 2), m).reshape(-1, 2)
        out.append((*mapped.min(axis=0), *mapped.max(axis=0)))
    return out


def test_a_cached_photo_reading_without_its_corners_is_read_again(tmp_path):
    """A photo's OCR cached before its corners were kept (a reading with "page", no "quad") is a
    miss, so `archive reparse` gives the page view its corners; scans' cached readings still hit."""
    from archive.ingest import ocr
    ocr.write_cache(tmp_path, "photo", {"rotate": 0, "lines": [], "page": [595.0, 842.0]})
    ocr.write_cache(tmp_path, "photo-now", {"rotate": 0, "lines": [], "page": [595.0, 842.0], "quad": [[0, 0]] * 4})
    ocr.write_cache(tmp_path, "scan", {"rotate": 0, "lines": []})
    assert ocr.read_cache(tmp_path, "photo") is None
    assert ocr.read_cache(tmp_path, "photo-now")["quad"] and ocr.read_cache(tmp_path, "scan") == {"rotate": 0, "lines": []}


def test_a_short_last_line_under_a_line_that_runs_on_takes_its_paragraphs_size():
    """Regression (photos/held3): 「方米。」, a paragraph's last line under 「…清理淤泥120立」, its box
    26.7 pt tall, was estimated at 22.5 pt among 15 pt lines — just past the tolerance — and became
    an item of its own. A line under one that stops in mid-sentence goes on with its paragraph."""
    from archive.ingest import ocrsizes
    above = [89.3, 102.8, 116.4, 125.3, 136.9, 147.5, 167.3, 180.9, 198.1, 211.6, 225.2, 238.7, 255.6, 272.5, 286.0,
             299.6, 316.8, 330.3, 347.2, 360.8, 374.3, 391.5, 408.4, 421.9, 435.5, 452.4, 462.9, 473.2, 481.8, 493.0]
    widths = [10.9, 11.0, 8.9, 8.6, 10.6, 10.2] + [10.9] * 20 + [10.3, 8.6, 8.6, 10.9]
    lines = [  # the detector's lines as read (photos/held3 2031-002, page 1)
        {"text": "职工43户。兰州铝业对厂区排水渠道进行清淤，清理淤泥120立", "score": 1.0, "height": 20.35,
         "box": [83.2, 507.5, 677.7, 699.1], "chars": [[x, x + w, 677.7, 698.9] for x, w in zip(above, widths)],
         "slope": 0.002},
        {"text": "方米。", "score": 1.0, "height": 26.66, "box": [80.7, 127.4, 702.3, 728.9],
         "chars": [[89.3, 102.8, 702.0, 729.1], [102.8, 116.1, 702.0, 729.1], [116.1, 127.3, 702.0, 729.1]], "slope": 0.0},
    ]
    estimates = [(15.02, False), (22.52, True)]  # as the page measured them (its box height, the page's ratio)
    sizes = ocrsizes.neighbour_sizes(lines, estimates, [15.0, 22.5])
    assert sizes == [15.0, 15.0]
