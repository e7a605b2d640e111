"""Stage 1 reads glyphs from pdfminer's layout itself: the same coordinates pdfplumber gives."""
import pdfplumber
import pytest

from archive.ingest.pdf import layout_objects

from conftest import FIXTURES

PDFS = sorted(FIXTURES.glob("*/*.pdf")) + sorted(FIXTURES.glob("producers/*/*.pdf"))


@pytest.mark.parametrize("path", PDFS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_glyphs_match_pdfplumber(path):
    keys = ("text", "x0", "x1", "top", "bottom", "size", "fontname", "upright")
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[:3]:
            glyphs, images, _, filled = layout_objects(page)
            want = [tuple(c[k] for k in keys) for c in page.chars]
            assert [tuple(g[k] for k in keys) for g in glyphs] == want
            assert [(i["x0"], i["top"], i["x1"], i["bottom"]) for i in images] == \
                [(i["x0"], i["top"], i["x1"], i["bottom"]) for i in page.images]
            paths = page.curves + page.rects + page.lines  # the filled paths' boxes (drawn text is such paths)
            want_paths = sorted((o["x0"], o["top"], o["x1"], o["bottom"]) for o in paths if o["fill"])
            assert [pytest.approx(b) for b in sorted(filled)] == want_paths
