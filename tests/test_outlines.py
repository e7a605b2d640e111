"""Print-shop PDFs: text drawn as vector outlines, garbled text layers, and pages mixing either
with real text (scripts/fixtures/make_outlines.py: Ghostscript -dNoOutputFonts, ToUnicode maps rewritten
with pikepdf, a real-text band over an outlined body, outlined and text pages in turn). Each such
page is found from its drawing or its glyphs, read by rendering and OCR, and its method recorded
(ocr-outlines, ocr-garbled); charts, ruled tables and logos drawn as paths beside real text are
not. tests/fixtures/outlines/<variant>/ holds one small issue of each kind."""
from __future__ import annotations

import json
import sqlite3
from types import SimpleNamespace

import pytest

from archive.errors import RefusedPDF
from archive.ingest import drawntext, ocr, ocrglyphs, ocrlines, ocrsizes, textlayer
from archive.ingest.parse import parse_issues
from archive.ingest.pdf import Char, Page
from archive.ingest.units import Registry
from archive.model import read_by_ocr
from conftest import FIXTURES, items_match, load_truth, masthead_matches, squash

OUTLINES = FIXTURES / "outlines"
CASES = sorted(OUTLINES.glob("*/*.pdf"))
MAX_CER = 0.01  # per item: OCR's character errors on a clean rendering


@pytest.fixture
def data_dir(data_dir_sharing_ocr):
    """The scans imported here are recognised once a run (conftest.shared_ocr_cache)."""
    return data_dir_sharing_ocr


def needs_engine():
    if ocr.available() is not None:
        pytest.skip(f"OCR not installed: {ocr.available()}")


# --- the fixtures: records and per-page methods ---------------------------------------------------

@pytest.mark.parametrize("pdf", CASES, ids=lambda p: p.parent.name)
def test_print_shop_pdf_is_read_page_by_page(archive, data_dir, pdf):
    """Regression: every such file was refused with "no text on any page" (outlines) or imported
    as nonsense (garbled). Now each page is read by OCR where it must be, the masthead found on
    an outlined first page before a page with text (mixed-pages), and the records are the truth's."""
    needs_engine()
    truth = load_truth(pdf.with_name(pdf.stem + ".truth.json"))
    result = archive("import", pdf)
    assert result.exit_code == 0 and f"imported as {truth['id']}" in result.output, result.output
    [record] = json.loads(archive("export").output)
    masthead_matches(record, truth)
    for g, t in items_match(record, truth, MAX_CER):
        assert squash(g["source"]) == squash(t.get("source")) and squash(g["author"]) == squash(t.get("author"))
    methods = sqlite3.connect(data_dir / "archive.sqlite3").execute("SELECT method FROM pages ORDER BY page").fetchall()
    assert [m for (m,) in methods] == truth["page_methods"]


def test_without_ocr_an_outlined_file_is_refused_with_its_reason(monkeypatch):
    """Outlines and no OCR: refused as drawn text (not "no text on any page"), the reason named."""
    monkeypatch.setattr(ocr, "runtime_problem", lambda: "OCR is not available (onnxruntime not installed)")
    data = (OUTLINES / "outlines-gs" / "2021-005.pdf").read_bytes()
    with pytest.raises(RefusedPDF, match=r"^text drawn as outlines \(no text layer\), and OCR is not available") as err:
        parse_issues(data, Registry.load())[0]
    assert err.value.kind == "outlines_without_ocr"


def test_without_ocr_a_garbled_page_is_kept_and_flagged(monkeypatch):
    """A garbled text layer OCR cannot read is kept, never silently: method "garbled", flagged with its page."""
    monkeypatch.setattr(ocr, "runtime_problem", lambda: "OCR is not available (onnxruntime not installed)")
    issue = parse_issues((OUTLINES / "garbled-latin" / "2021-005.pdf").read_bytes(), Registry.load())[0]
    assert issue.page_methods == ["garbled"]
    assert [(r.kind, r.pages) for r in issue.reviews if r.kind == "garbled_pages"] == [("garbled_pages", (1,))]


@pytest.mark.parametrize("method, ocr_read", [
    ("text", False), ("ocr", True), ("ocr-outlines", True), ("ocr-garbled", True),
    ("garbled", False), ("image", False), ("outlines", False), ("empty", False),
])
def test_read_by_ocr(method, ocr_read):
    assert read_by_ocr(method) is ocr_read


def test_a_job_counts_outlined_and_garbled_pages_as_ocr():
    from archive.service.jobs import result_record
    records = SimpleNamespace(page_methods=lambda issue_id: ["ocr-outlines", "text", "ocr-garbled", "ocr"])
    r = SimpleNamespace(status="imported", issue_id="2021-005", message="", reviews=[], error=None, failed=False, source_pages=None,
                        name="2021-005.pdf", collection="bulletin")
    assert result_record(r, records)["ocr_pages"] == 3


# --- the triage rule for drawn text: rows of glyph-sized filled paths ---------------------------

SIZE = 10.5


def glyph_pieces(x: float, top: float, size: float = SIZE) -> list[tuple[float, float, float, float]]:
    """The filled paths of one outlined Chinese character: a stroke on the left, two on the right."""
    return [(x + 0.08 * size, top + 0.1 * size, x + 0.42 * size, top + 0.92 * size),
            (x + 0.5 * size, top + 0.06 * size, x + 0.9 * size, top + 0.48 * size),
            (x + 0.52 * size, top + 0.55 * size, x + 0.88 * size, top + 0.95 * size)]


def drawn_rows(rows: int, chars: int, top: float = 100.0, left: float = 60.0, size: float = SIZE) -> list:
    return [p for r in range(rows) for k in range(chars) for p in glyph_pieces(left + k * size, top + r * 1.6 * size, size)]


def text_rows(rows: int, chars: int, top: float = 100.0, left: float = 60.0, size: float = SIZE) -> list[Char]:
    return [Char("字", left + k * size, left + (k + 1) * size, top + r * 1.6 * size, top + r * 1.6 * size + size,
                 size, "SimSun") for r in range(rows) for k in range(chars)]


def bar_chart(left: float = 80.0, base: float = 700.0) -> list:
    return [(left + 16 * k, base - h, left + 16 * k + 12, base) for k, h in enumerate([20, 34, 45, 28, 40, 22, 38, 44])]


def ruled_table(left: float = 60.0, top: float = 500.0) -> list:
    rules = [(left, top + 22 * r, left + 400, top + 22 * r + 0.5) for r in range(6)]
    rules += [(left + 80 * c, top + 22 * r, left + 80 * c + 0.5, top + 22 * r + 22) for r in range(5) for c in range(6)]
    return rules


def logo(left: float = 480.0, top: float = 40.0) -> list:
    return [(left + (k % 4) * 9, top + (k // 4) * 9, left + (k % 4) * 9 + 6 + k % 3, top + (k // 4) * 9 + 7)
            for k in range(16)]


def markers(left: float = 80.0, top: float = 620.0) -> list:
    return [(left + 15 * k, top + (k % 3) * 6, left + 15 * k + 4, top + (k % 3) * 6 + 4) for k in range(24)]


def triage(chars: list[Char], shapes: list, image_area: float = 0.0):
    return textlayer.needs_ocr(Page(1, 595, 842, chars, image_area, drawn=drawntext.drawn_lines(shapes, chars)))


@pytest.mark.parametrize("chars, shapes, image_area, want", [
    ([], drawn_rows(12, 30), 0.0, "drawn text"),                       # a print shop's page: outlines, no text layer
    (text_rows(1, 12, top=40), drawn_rows(10, 30), 0.0, "drawn text"),  # a real-text header over an outlined body
    (text_rows(12, 30), drawn_rows(6, 30, top=500), 0.0, "drawn text"),  # a third of the text drawn: the page is read
    (text_rows(15, 30), bar_chart(), 0.0, None),                       # real text beside a bar chart drawn as paths
    (text_rows(15, 30), ruled_table(), 0.0, None),                     # ... a ruled table drawn as thin rectangles
    (text_rows(15, 30), logo(), 0.0, None),                            # ... a logo
    (text_rows(15, 30), markers(), 0.0, None),                         # ... a line chart's markers
    (text_rows(15, 30), drawn_rows(2, 6, top=600), 0.0, None),          # ... and a chart's few outlined labels
    (text_rows(12, 30), drawn_rows(12, 30), 0.0, None),                # a text layer laid over its own outlines
    ([], logo() + bar_chart(), 0.0, None),                             # a page of a few decorative paths: no text
    ([], drawn_rows(1, 8, top=300, size=24), 0.0, None),               # a drawn name alone (8 ems): not worth OCR
    ([], [], 0.95, "scan"),                                            # a scan, as before
    ([], drawn_rows(1, 10, top=300, size=30), 0.9, "scan"),            # a picture cover with a drawn title: a scan's page
])
def test_drawn_text_triage(chars, shapes, image_area, want):
    assert triage(chars, shapes, image_area) == want


@pytest.mark.parametrize("box, glyph", [
    ((0, 0, 8, 9), True),
    ((0, 0, 2, 9), True),              # an upright stroke (丨) of a heavy face
    ((0, 0, 0.4, 9), False),           # a hairline: counted as a rule (a glyph or two so missed is no loss)
    ((0, 0, 60, 9), False),            # wider than any glyph of running text
    ((0, 0, 30, 0.5), False),          # a rule
    ((0, 0, 0, 0), False),             # a moveto without a path
])
def test_what_may_be_a_glyph(box, glyph):
    assert drawntext.is_glyph_sized(box) is glyph


# --- the triage rule for garbled text layers: glyph shapes against their text ---------------------

def glyphs(text: str, pitch: float = 1.0, width: float | None = None, top: float = 100.0, left: float = 50.0,
           size: float = 10.0) -> list[Char]:
    """Glyphs set `pitch` ems apart, each `width` ems wide (its pitch by default)."""
    w = (width if width is not None else pitch) * size
    return [Char(t, left + k * pitch * size, left + k * pitch * size + w, top, top + size, size, "F")
            for k, t in enumerate(text)]


def page_of(*runs: list[Char]) -> Page:
    return Page(1, 595, 842, [c for r in runs for c in r], 0.0)


CHINESE = "中州铝业充分利用网络教学资源做到中层以上管理人员注册学习抚顺铝业广西华昇遵义铝业组织党员"


def lines_of(text: str, rows: int) -> list[list[Char]]:
    return [glyphs(text, top=100 + 16 * r) for r in range(rows)]


@pytest.mark.parametrize("page, want", [
    (page_of(*lines_of(CHINESE, 4)), None),
    (page_of(glyphs("\"#$%&'()SQSR*+V,-.+V,/&'()0SQSR*U1RW234567")), "misfit glyphs"),  # codes read as ASCII, set square
    (page_of(glyphs(CHINESE), glyphs("International Aluminium Conference", pitch=0.5, top=120)), None),
    # a font that gives every glyph one em while the text places its Latin half an em apart (a standard's PDF)
    (page_of(glyphs(CHINESE), glyphs("GB/T3620.1-2007GB/T3620.1-2007", pitch=0.55, width=1.0, top=120)), None),
    (page_of(glyphs("中州铝业充分利用网络教学资源做到中层", pitch=0.5)), "misfit glyphs"),  # Latin glyphs read as ideographs
    (page_of(glyphs("⋨⟣⣔⮮⯴⋖␨⌆ʭ㪅ꉅ⋚⢝㨊ꉗ☸⣄ꉉ㯸⣐␟⏍⋦")), "misfit glyphs"),  # glyph ids read as code points
    (page_of(*lines_of(CHINESE, 3), glyphs("WWW MMM @@", pitch=0.94, top=200)), None),  # wide Latin letters
    (page_of(glyphs("대한민국국회의원선거관리위원회에서알려드립니다")), None),                 # Korean
    (page_of(glyphs("ひらがなとカタカナのまじったぶんしょうです")), None),                    # Japanese kana
    # real text with one title in a font without a usable map: the line is garbled, not the page's share
    (page_of(*lines_of(CHINESE, 12), glyphs("\x0f\x02\x10\x04\x11", top=400)), "garbled line"),
    (page_of(*lines_of(CHINESE, 12), glyphs("Ø~Ł»ﬂ", top=400)), "garbled line"),
    (page_of(*lines_of(CHINESE, 12), glyphs("\ue001\ue001\ue001\ue001", top=400)), None),  # a row of one ornament
    (page_of(*lines_of(CHINESE, 12), glyphs("（\ue001）", top=400)), None),          # one odd glyph in a line
])
def test_garbled_text_triage(page, want):
    assert textlayer.needs_ocr(page) == want


@pytest.mark.parametrize("reason, method", [
    ("scan", "ocr"), ("sideways text", "ocr"), ("drawn text", "ocr-outlines"), ("undecodable text", "ocr-garbled"),
    ("implausible text", "ocr-garbled"), ("misfit glyphs", "ocr-garbled"), ("garbled line", "ocr-garbled"),
])
def test_each_reason_has_its_page_method(reason, method):
    assert textlayer.METHODS[reason] == method
    assert reason == "scan" or reason == "sideways text" or textlayer.UNREAD[reason] in ("outlines", "garbled")


# --- OCR'd lines: a line run over a narrow gutter, pitch, weight and colour ----------------------

def ocr_line(text: str, x0: float, top: float, size: float = 10.0, gap_after: int | None = None,
             gap: float = 0.0, **extra) -> dict:
    """An OCR line of square characters one size apart, a gap after character `gap_after`."""
    boxes, x = [], x0
    for k, _ in enumerate(text):
        boxes.append([x, x + size, top, top + size * 1.3])
        x += size + (gap if k == gap_after else 0.0)
    return {"text": text, "score": 0.99, "height": size * 1.3, "box": [x0 - 2, x + 2, top, top + size * 1.3],
            "chars": boxes, "slope": 0.0, **extra}


def three_columns(merged: dict | None) -> list[dict]:
    """Ten rows of three columns (x 50-200, 215-365, 380-530: gutters of 15 pt), row 4 replaced by `merged`."""
    lines = []
    for r in range(10):
        top = 100 + 20 * r
        if r == 4 and merged is not None:
            lines.append({**merged, "box": [merged["box"][0], merged["box"][1], top, top + 13],
                          "chars": [[b[0], b[1], top, top + 13] for b in merged["chars"]]})
            lines.append(ocr_line("工作的自觉行动读红色家书感悟信", 380, top))
            continue
        lines += [ocr_line("学史明理学史增信学史崇德学史力", x, top) for x in (50, 215, 380)]
    return lines


@pytest.mark.parametrize("merged, cut", [
    # the detector ran columns 1 and 2 together: a gap of 15 pt at the gutter
    (ocr_line("学史明理学史增信学史崇德学史力句口号而是要融入日常工作行", 50, 0, gap_after=14, gap=15.0), True),
    # ... a mark's box filling its em reaches into the gutter: the gap lies a little right of it
    (ocr_line("学史明理学史增信学史崇德学史力、句口号而是要融入日常工作", 50, 0, gap_after=15, gap=8.0), True),
    (ocr_line("中铝股份党群工作中铝股份党群工作", 180, 0), False),    # a title over the gutter, no gap in it
])
def test_a_line_over_a_gutter_is_cut_there(merged, cut):
    lines = ocrlines.cut_at_gutters(three_columns(merged))
    texts = [ln["text"] for ln in lines]
    assert (merged["text"] not in texts) is cut
    if cut:
        [left] = [ln for ln in lines if ln.get("cut") == "end"]
        [right] = [ln for ln in lines if ln.get("cut") == "start"]
        assert left["text"] + right["text"] == merged["text"] and left["box"][1] <= 215 <= right["box"][0]


def test_a_lines_pitch_ignores_its_quotes_boxes():
    """Regression: quotes' boxes made a line of 11 pt type measure 10.9 pt, its paragraph cut in two."""
    ln = ocr_line("书，感悟信仰的力量，“家”与“国”从来", 50, 100, size=11.0)
    ln["chars"][10][1] = ln["chars"][10][0] + 3  # the engine's box for “ is its ink
    assert ocrsizes.line_pitch(ln) == pytest.approx(11.0)


@pytest.mark.parametrize("pens, sizes, colours, want", [
    ([0.8, 0.8, 0.8, 1.2], [16] * 4, [0, 0, 0, 0], ["OCR", "OCR", "OCR", "OCR bold"]),  # a 黑体 heading among 宋体 lines
    ([0.8, 0.88, 0.96, 0.83], [16] * 4, [0, 0, 0, 0], ["OCR"] * 4),                    # one face: no bold
    ([0.8, 0.8, 0.8, 1.2], [16, 16, 16, 24], [0, 0, 0, 0], ["OCR"] * 4),               # wider strokes of larger type
    ([0.8, 0.8, 0.8, 0.8], [16] * 4, [0, 1, 0, 0], ["OCR", "OCR colour", "OCR", "OCR"]),  # a red title at the body's size
    ([0.8, 0.8, 0.8, 1.2], [16] * 4, [0, 0, 0, 1], ["OCR", "OCR", "OCR", "OCR bold colour"]),
])
def test_a_lines_weight_and_colour_give_it_a_font(pens, sizes, colours, want):
    lines = [{"text": "学习党的不懈奋斗史" * 2, "pen": p, **({"colour": 1} if c else {})} for p, c in zip(pens, colours)]
    assert ocrglyphs.line_fonts(lines, sizes) == want


@pytest.mark.parametrize("ink, stroke_px, coloured", [
    ((0, 0, 0), 2, False), ((40, 50, 60), 2, False),    # black; dark grey-brown (a tinted scan)
    ((0, 0, 192), 2, True), ((200, 60, 0), 2, True),    # red, blue (BGR)
])
def test_line_ink(ink, stroke_px, coloured):
    import numpy as np
    from archive.ingest.ink import line_ink
    image = np.full((40, 200, 3), (225, 235, 240), np.uint8)  # paper, a little yellow
    for x in range(10, 190, 12):
        image[8:32, x:x + stroke_px] = ink
        image[18:18 + stroke_px, x:x + 8] = ink
    got = line_ink(image, (0, 200, 0, 40))
    assert bool(got.get("colour")) is coloured and got["pen"] == pytest.approx(stroke_px, abs=0.5)


@pytest.mark.parametrize("px, scale, want", [
    (2, 1.0, 2.0), (4, 1.0, 4.0), (4, 2.0, 2.0),   # a stroke's width, in points at `scale` pixels a point
])
def test_bold_strokes_measure_wider(px, scale, want):
    import numpy as np
    from archive.ingest.ink import line_ink
    image = np.full((40, 200, 3), 255, np.uint8)
    for x in range(10, 190, 14):
        image[8:32, x:x + px] = 0
        image[18:18 + px, x:x + 9] = 0
    assert line_ink(image, (0, 200, 0, 40), scale)["pen"] == pytest.approx(want, rel=0.15)


# a garbled-latin page (reportlab: 明体 body UMing, 黑体 heading WenQuanYi Zen Hei, a 楷体 quote LXGW WenKai,
# all at 16 pt), rendered at OCR's 200 dpi from (72, 245) pt: its OCR'd lines' boxes in points
HEADING_PAGE = [
    ((110.88, 512.28, 250.92, 268.56), "坚持以人民为中心的发展思想，把人民对美好生活的向往", False),  # 楷体
    ((78.12, 263.16, 277.2, 297.36), "作为奋斗目标。(人民网)", False),
    ((109.8, 257.04, 347.4, 367.56), "学习党的不懈奋斗史", True),                                  # 黑体
    ((118.8, 512.28, 378.0, 395.64), "“不忘初心、牢记使命”不是一句口号，而是要融入日常", False),
    ((78.84, 512.28, 406.08, 423.72), "工作的自觉行动。“绿水青山就是金山银山”，铝工业的绿色", False),
    ((78.84, 512.28, 434.88, 451.8), "转型是我们必须答好的“必答题”。读红色家书，感悟信仰的", False),
    ((78.84, 512.28, 462.24, 479.88), "力量，“家”与“国”从来紧密相连。读红色家书，感悟信仰", False),
    ((78.12, 364.32, 489.24, 508.68), "的力量，“家”与“国”从来紧密相连。", False),
]


def test_a_heading_in_a_heavier_face_at_the_bodys_size_is_bold():
    """Regression (outlines/garbled-latin 0.9545): a 黑体 heading over 明体 lines measured as thin as
    they (area over half the outline: 0.048 against 0.043-0.046) and became an item."""
    import numpy as np
    from PIL import Image
    from archive.ingest.ink import line_ink
    grey = np.asarray(Image.open(OUTLINES / "heading-weight.png").convert("L"))
    bgr, scale = np.repeat(grey[:, :, None], 3, axis=2), 200 / 72
    lines = []
    for (x0, x1, top, bottom), text, _ in HEADING_PAGE:
        box = ((x0 - 72) * scale, (x1 - 72) * scale, (top - 245) * scale, (bottom - 245) * scale)
        lines.append({"text": text, **line_ink(bgr, box, scale)})
    fonts = ocrglyphs.line_fonts(lines, [16.0] * len(lines))
    assert [f.endswith(ocrglyphs.BOLD) for f in fonts] == [bold for _, _, bold in HEADING_PAGE]


@pytest.mark.parametrize("gap, pieces", [
    (14.0, 2),    # a short last page: too few rows to show the gutter, the gap over a size wide
    (7.0, 1),     # a word space, an opening bracket's blank half: kept in the line
])
def test_a_line_over_a_wide_gap_is_cut_there(gap, pieces):
    line = ocr_line("产量同比增长实现利润万元中铝瑞目其中一等奖", 50, 100, gap_after=12, gap=gap)
    assert len(ocrlines.cut_at_gutters([line])) == pieces


def test_a_space_the_text_left_out_is_no_part_of_the_pitch():
    """Regression: a signature's space (（山西分公司 李娜）, read without it) made its line measure
    15.3 pt among 14 pt lines, and the paragraph's last line became an item of its own."""
    ln = ocr_line("平凡的业绩做出山西分公司李娜", 50, 100, size=14.0, gap_after=11, gap=8.0)
    assert ocrsizes.line_pitch(ln) == pytest.approx(14.0)
    spaced = ocr_line("学习党的不懈奋斗史", 50, 100, size=15.8)  # a larger heading: every step wide, none a space
    assert ocrsizes.line_pitch(spaced) == pytest.approx(15.8)


@pytest.mark.parametrize("obj, kept", [
    ({"object_type": "rect", "fill": True, "x0": 70, "top": 627, "x1": 147, "bottom": 627.7}, True),   # a rule
    ({"object_type": "rect", "fill": True, "x0": 70, "top": 627, "x1": 70.7, "bottom": 644}, True),    # a cell's side
    ({"object_type": "rect", "fill": True, "x0": 71, "top": 627, "x1": 147, "bottom": 644}, True),     # cell shading
    ({"object_type": "curve", "fill": True, "x0": 75, "top": 631, "x1": 84, "bottom": 641}, False),    # a glyph's outline
    ({"object_type": "line", "fill": False, "x0": 70, "top": 650, "x1": 75, "bottom": 650}, True),     # a stroked tick
    ({"object_type": "char", "x0": 75, "top": 631, "x1": 84, "bottom": 641}, True),
])
def test_the_table_finder_of_an_outlined_page_sees_rules_not_glyphs(obj, kept):
    from archive.ingest.pdf import without_glyph_paths
    seen = {}
    without_glyph_paths(SimpleNamespace(filter=lambda keep: seen.setdefault("keep", keep)))
    assert seen["keep"](obj) is kept


def paragraph_under(first: dict) -> list[dict]:
    """`first` over four lines of 11 pt type running from x 50 to 204 (14 characters)."""
    return [first] + [ocr_line("学史明理学史增信学史崇德学史", 50, 120 + 16 * k, size=11.0) for k in range(4)]


@pytest.mark.parametrize("first, size", [
    # a justified first line with a Latin word in it: its 11 pt characters spread 12.5 pt apart, to the edge
    (ocr_line("遵义铝业组织小组活动成果", 54, 100, size=12.5) | {"height": 14.3}, 11.0),
    # a caption over the paragraph: centred, ending short of the paragraph's edge
    (ocr_line("图为贵州分公司举办竞赛", 70, 100, size=9.0) | {"height": 14.3}, 9.0),
    # a heading in larger type: a taller box
    (ocr_line("为群众办实事篇", 80, 96, size=13.0), 13.0),
])
def test_a_spread_line_takes_its_paragraphs_size(first, size):
    first["box"][1] = first["box"][1] if size != 11.0 else 204 + 2  # the justified line ends at the edge
    lines = paragraph_under(first)
    estimates = ocrsizes.size_estimates(lines)
    sizes = ocrsizes.neighbour_sizes(lines, estimates, ocrsizes.snap_sizes(estimates, [len(ln["text"]) for ln in lines]))
    assert sizes[0] == pytest.approx(size, abs=0.5)


def test_a_short_last_line_takes_the_size_of_the_line_above_though_their_boxes_overlap():
    """Regression: 「网）」, a paragraph's last line, measured 12.6 pt (two glyphs: a rough
    estimate) among 10.5 pt lines; the detector's boxes overlapped by 3 pt, so the line above
    was not found and the line became an item of its own."""
    lines = [ocr_line("对美好生活的向往作为奋斗目标人民", 47, 249 + 18 * k, size=10.5) for k in range(-3, 1)]
    last = {"text": "网）", "score": 0.99, "height": 17.2, "box": [48, 67, 263 + 18, 280 + 18], "chars": None, "slope": 0.0}
    lines[-1]["box"][3] = 266 + 18
    lines.append(last)
    lines.append(ocr_line("为群众办实事篇学习", 300, 400, size=12.5))  # a heading elsewhere: a 12.5 pt size on the page
    estimates = ocrsizes.size_estimates(lines)
    sizes = ocrsizes.neighbour_sizes(lines, estimates, ocrsizes.snap_sizes(estimates, [len(ln["text"]) for ln in lines]))
    assert sizes[4] == sizes[0] == pytest.approx(10.5) and sizes[5] == pytest.approx(12.5)


def four_columns_band(short: dict) -> list[dict]:
    """A band of four balanced columns (x 30, 230, 430, 630; 10.5 pt lines, boxes 15.9-19.9 pt tall as
    the detector drew them), two rows, `short` alone at the top of the second column."""
    lines = [ocr_line("要弘扬劳模精神劳动精神工", 52, 223, size=10.5) | {"height": 15.88},
             ocr_line("匠精神激励广大职工建功立业", 30, 239, size=10.5) | {"height": 19.85},
             ocr_line("江山就是人民人民就是江山", 453, 223, size=10.5) | {"height": 15.88},
             ocr_line("打江山守江山守的是人民的心", 431, 239, size=10.5) | {"height": 19.85},
             ocr_line("为群众办实事篇", 300, 300, size=13.0)]  # a heading elsewhere: a 13 pt size on the page
    return lines + [short]


@pytest.mark.parametrize("short, size", [
    # 「新华网）」: a paragraph's end carried to the next column's top, its box 21.3 pt tall (the bracket's
    # ink reaches past the ideographs'): 13.4 pt by its height, 10.6 pt by its characters' pitch
    (ocr_line("新华网）", 236, 221, size=10.6) | {"height": 21.34}, 10.5),
    # spaced out (a title's letter spacing): its pitch says more than its height, which stands
    (ocr_line("为群众办", 300, 221, size=14.0) | {"height": 15.88}, 10.5),
    # a short heading in larger type: pitch and height agree
    (ocr_line("党建篇", 300, 221, size=13.0) | {"height": 19.7}, 13.0),
    # two glyphs (one pair): its height only
    (ocr_line("攻关", 300, 221, size=10.5) | {"height": 21.34}, 13.0),
])
def test_a_short_lines_size_is_at_most_its_pitch(short, size):
    """Regression (outlines-cairo, mixed-band): 「新华网）」 at the top of a column, the end of the
    paragraph before, was set in 13.5 pt by its tall box and the source split off as an item."""
    lines = four_columns_band(short)
    estimates = ocrsizes.size_estimates(lines)
    sizes = ocrsizes.neighbour_sizes(lines, estimates, ocrsizes.snap_sizes(estimates, [len(ln["text"]) for ln in lines]))
    assert sizes[-1] == pytest.approx(size, abs=0.5)


def no_boxes(text: str, height: float) -> dict:
    """A short OCR line at the top of the band's second column, without character boxes."""
    return {"text": text, "score": 0.99, "height": height, "box": [230, 230 + 0.66 * height * len(text), 221, 221 + height],
            "chars": None, "slope": 0.0}


@pytest.mark.parametrize("short, size", [
    (no_boxes("26名。", 19.44), 10.5),       # a paragraph's end at a column's top: 12.8 pt by its tall box
    (no_boxes("新华网）", 21.34), 10.5),     # a source carried over to the next column
    (no_boxes("党建工作篇", 21.34), 13.0),    # a heading at a column's top (no closing mark): its own size
    (no_boxes("（郑州研究院）", 11.0), 7.0),  # smaller type: keeps its size
    (no_boxes("今天的“铝城”。", 31.0), 20.5),  # display type (twice the body): its own
    # a long line (a paragraph's last, atop a page over a 版记 in smaller type: mixed-band 2016-002): its own
    (no_boxes("nt 与 predictive-maintenance 方面的实践。（云铝涌鑫）", 19.44) | {"box": [30, 400, 400, 419.44]}, 13.0),
])
def test_a_paragraphs_end_at_a_columns_top_takes_the_bodys_size(short, size):
    """Regression (garbled-ps2pdf 0.9815): 「26名。」, the end of a paragraph carried from the foot of
    one column to the top of the next, was set larger by its tall box and became an item."""
    lines = four_columns_band(short)
    estimates = ocrsizes.size_estimates(lines)
    sizes = ocrsizes.neighbour_sizes(lines, estimates, ocrsizes.snap_sizes(estimates, [len(ln["text"]) for ln in lines]))
    assert sizes[-1] == pytest.approx(size, abs=0.5)


def lone(text: str, x0: float, top: float, height: float) -> dict:
    return {"text": text, "score": 0.69, "height": height, "box": [x0, x0 + height, top, top + height],
            "chars": [[x0, x0 + height, top, top + height]], "slope": 0.0}


@pytest.mark.parametrize("above, mark, want", [
    ("读红色家书感悟信仰的力量从来紧密相连", lone("o", 86.8, 545.4, 7.2), "。"),  # 。 wrapped alone, read "o"
    ("读红色家书感悟信仰的力量，“家”与“国”", lone("0", 86.8, 545.4, 7.2), "。"),  # after a closing quote
    ("读红色家书感悟信仰的力量从来紧密相连。", lone("o", 86.8, 545.4, 7.2), "o"),  # the sentence ended: a speck
    ("读红色家书感悟信仰的力量从来紧密相连", lone("O", 86.8, 531.0, 14.0), "O"),  # a letter as tall as the line
    ("读红色家书感悟信仰的力量从来紧密相连", lone("o", 300.0, 545.4, 7.2), "o"),  # not under the line's start
    ("读红色家书感悟信仰的力量从来紧密相连", lone("o", 86.8, 580.0, 7.2), "o"),  # a line's height further down
])
def test_a_full_stop_wrapped_alone_is_read_as_one(above, mark, want):
    """Regression (garbled-ps2pdf 0.9815): 「。」 wrapped onto a line of its own, read by OCR as "o",
    became an item "o" and its paragraph lost its full stop."""
    lines = [ocr_line(above, 82.4, 512.3, size=13.0) | {"height": 17.64}, mark]
    lines[0]["box"][3] = 512.3 + 17.64
    got = ocrlines.wrapped_stops(lines)
    assert got[1]["text"] == want and (want != "。" or got[1]["height"] == 17.64)


# 「从“站起来”到“富起来”再到」 (garbled-strip, 12.5 pt, the first line of a justified paragraph): the
# engine's boxes, its quotes' boxes their ink
QUOTED = [[95.04, 106.92], [111.6, 123.48], [123.48, 135.0], [135.0, 146.88], [149.4, 160.92], [160.92, 172.8],
          [177.48, 189.36], [194.04, 205.92], [205.92, 217.8], [219.96, 231.84], [234.0, 244.8], [244.8, 255.24],
          [262.44, 274.32], [274.32, 286.2]]


@pytest.mark.parametrize("text, boxes, size", [
    ("从“站起来”到“富起来”再到", QUOTED, 12.5),                   # quotes between short runs of ideographs
    ("从“站起来”到“富起来”再到", [[x0 + (30 if k > 6 else 0), x1 + (30 if k > 6 else 0)]  # a left-out space
                                    for k, (x0, x1) in enumerate(QUOTED)], 12.5),
    ("年“站起”到“富起”再到", QUOTED[:4] + QUOTED[5:10] + QUOTED[11:], None),  # three pairs: as before
])
def test_a_lines_pitch_from_its_neighbouring_ideographs(text, boxes, size):
    """Regression (garbled-strip 0.9848): the line measured 15 pt (the span less the quotes' ink boxes) among
    12.5 pt lines, so it read as display type, a heading, and split its paragraph."""
    ln = {"text": text, "score": 0.99, "height": 14.04, "box": [92.88, boxes[-1][1], 274.68, 288.72],
          "chars": [[x0, x1, 274.68, 288.72] for x0, x1 in boxes], "slope": 0.0}
    pitch = ocrsizes.line_pitch(ln)
    if size is None:
        assert pitch is not None and pitch > (1 + ocrsizes.SIZE_CLUSTER) * 12.5  # (the old measure)
    else:
        assert abs(pitch - size) <= ocrsizes.SIZE_CLUSTER * size


def latin(text: str, x0: float, top: float, height: float) -> dict:
    return {"text": text, "score": 0.99, "height": height, "box": [x0, x0 + 8 * len(text), top, top + height],
            "chars": None, "slope": 0.0}


@pytest.mark.parametrize("pieces, want", [
    # a justified first line cut at its wide word spaces: the Latin words take its Chinese piece's pitch
    # (their estimates by height 11.8 pt: nearer the header's 11.5 than the body's 14.5)
    ([ocr_line("中铝香港团队在", 133, 82, size=15.1) | {"height": 16.5}, latin("International", 250, 82, 15.0),
      latin("Aluminium", 364, 82, 15.0), latin("Conference", 455, 82, 15.0)], [14.5] * 4),
    # the Latin words alone (no piece measured by its pitch): their height, as before
    ([latin("International", 250, 82, 15.0), latin("Aluminium", 364, 82, 15.0)], [11.5] * 2),
])
def test_the_pieces_of_a_cut_line_take_the_size_of_the_piece_measured_by_its_pitch(pieces, want):
    """Regression (volumes/scanned 0.9799, cer 0.067): a scanned paragraph's first line, spread
    over its width, was cut at its word spaces; 「International」 「Aluminium」 「Conference」 took
    the running header's 11.5 pt by their boxes' height (the Chinese piece, 7 glyphs, settled
    nothing), and the paragraph split under them."""
    header = ocr_line("中铝股份党群工作一九八四年", 96, 25, size=11.5) | {"height": 17.5}
    # the lines under it mostly Latin (measured by their few Chinese pairs: none settles a size)
    body = [ocr_line("上作题为Decarbonization", 104, 110 + 27 * k, size=14.5) | {"height": 20.2} for k in range(3)]
    lines = [header] + pieces + body
    estimates = ocrsizes.size_estimates(lines)
    sizes = ocrsizes.neighbour_sizes(lines, estimates, ocrsizes.snap_sizes(estimates, [len(ln["text"]) for ln in lines]))
    assert sizes[1:1 + len(pieces)] == pytest.approx(want, abs=0.5)


def test_a_marks_blank_half_is_no_wide_gap():
    """Regression: 「方面的实践。（云铝涌鑫）」 was cut between 。 and （ (an em between their ink, by
    design), and the piece beyond the lines' edge was taken for a next column."""
    line = ocr_line("方面的实践。（云铝涌鑫）", 50, 100, gap_after=5, gap=10.0)
    assert len(ocrlines.cut_at_gutters([line])) == 1


def test_a_captions_short_second_line_keeps_the_captions_size():
    """Regression: 「攻关」, a caption's second line (two glyphs, a tall padded box: 12 pt by its
    height), was set in the body's 10.5 pt, not the caption's 8.5, and became an item."""
    caption = ocr_line("图为宁夏能源党员突击队在电解车间开展技术", 632, 796, size=8.5) | {"height": 19.85}
    caption["box"][2:] = [796, 816]
    second = {"text": "攻关", "score": 0.99, "height": 18.86, "box": [632, 656, 810, 829], "chars": None, "slope": 0.0}
    body = [ocr_line("读红色家书感悟信仰的力量学史明理", 250, 600 + 22 * k, size=10.5) | {"height": 19.85} for k in range(6)]
    lines = [caption, second] + body
    estimates = ocrsizes.size_estimates(lines)
    sizes = ocrsizes.neighbour_sizes(lines, estimates, ocrsizes.snap_sizes(estimates, [len(ln["text"]) for ln in lines]))
    assert sizes[1] == sizes[0] == pytest.approx(8.5)
