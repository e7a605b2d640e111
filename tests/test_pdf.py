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
            glyphs, images, _, _ = layout_objects(page)
            want = [tuple(c[k] for k in keys) for c in page.chars]
            assert [tuple(g[k] for k in keys) for g in glyphs] == want
            assert [(i["x0"], i["top"], i["x1"], i["bottom"]) for i in images] == \
                [(i["x0"], i["top"], i["x1"], i["bottom"]) for i in page.images]
