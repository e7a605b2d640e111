"""Stage 1 reads glyphs from pdfminer's layout itself: the same coordinates pdfplumber gives."""
import pdfplumber
import pytest

from archive.ingest.pdf import layout_objects

from conftest import FIXTURES

PDFS = sorted(FIXTURES.glob("*/*.pdf")) + sorted(FIXTURES.glob("producers/*/*.pdf"))


def rehung(c: dict) -> dict:
    """pdfplumber's glyph as stage 1 places it: a box hung an em below its baseline moved up (on_baseline)."""
    from types import SimpleNamespace
    from archive.ingest.pdf import on_baseline
    y0, _ = on_baseline(SimpleNamespace(y0=c["y0"], y1=c["y1"], matrix=c["matrix"]))
    shift = y0 - c["y0"]
    return {**c, "top": c["top"] - shift, "bottom": c["bottom"] - shift} if shift else c


@pytest.mark.parametrize("path", PDFS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_glyphs_match_pdfplumber(path):
    keys = ("text", "x0", "x1", "top", "bottom", "size", "fontname", "upright")
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[:3]:
            glyphs, images, _, filled, _ = layout_objects(page)
            want = [tuple(rehung(c)[k] for k in keys) for c in page.chars]
            assert [tuple(g[k] for k in keys) for g in glyphs] == want
            assert [(i["x0"], i["top"], i["x1"], i["bottom"]) for i in images] == \
                [(i["x0"], i["top"], i["x1"], i["bottom"]) for i in page.images]
            paths = page.curves + page.rects + page.lines  # the filled paths' boxes (drawn text is such paths)
            want_paths = sorted((o["x0"], o["top"], o["x1"], o["bottom"]) for o in paths if o["fill"])
            assert [pytest.approx(b) for b in sorted(filled)] == want_paths


# --- glyph boxes hung from the baseline ------------------------------------------------------------

from types import SimpleNamespace  # noqa: E402

from archive.ingest.pdf import on_baseline  # noqa: E402


@pytest.mark.parametrize("y0, y1, matrix, expected", [
    # pdfminer hangs the box by the font's Descent: -0.12 em is usual, kept
    (633.8, 647.8, (1, 0, 0, 1, 70, 635.5), (633.8, 647.8)),
    # a Descent of -1.05 em (Ghostscript's rewrite of Noto CJK) put the box a whole em low: hung anew
    (620.8, 634.8, (1, 0, 0, 1, 210.9, 635.5), (633.82, 647.82)),
    # a turned glyph is left as pdfminer places it
    (620.8, 634.8, (0, 1, -1, 0, 210.9, 635.5), (620.8, 634.8)),
])
def test_a_glyph_box_hangs_from_its_baseline(y0, y1, matrix, expected):
    got = on_baseline(SimpleNamespace(y0=y0, y1=y1, matrix=matrix))
    assert tuple(round(v, 2) for v in got) == expected


def test_an_import_holds_nothing_of_the_file_after_it():
    """Regression: the last file's bytes and its parsed pypdf reader stayed in a module list until the
    next import (an idle import worker held up to the size limit). Read, refused after its checks, or
    refused by its parse: nothing is kept."""
    import io

    from reportlab.pdfgen import canvas

    from archive.errors import RefusedPDF
    from archive.ingest import pdf
    from archive.ingest.units import Registry
    from archive.service.importing import ImportOptions, parse_bytes
    sample = sorted((FIXTURES.parent.parent / "src" / "archive" / "samples").glob("*.pdf"))[0].read_bytes()
    assert parse_bytes(sample, Registry.load(), ImportOptions()) and pdf._last == []
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.rect(100, 100, 200, 200)  # a page with no text: passes inspect(), refused by the parse
    c.showPage()
    c.save()
    blank = out.getvalue()
    with pytest.raises(RefusedPDF):
        parse_bytes(blank, Registry.load(), ImportOptions())
    assert pdf._last == []
