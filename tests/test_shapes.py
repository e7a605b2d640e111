"""Shapes real back catalogues have, each made by two or more producers (scripts/fixtures/render_shapes.py,
truth written from the produced PDF): every field, section, item, page span, unit and kind as
the truth has it. tests/fixtures/shapes/<shape>/ holds one issue per producer."""
import json
from pathlib import Path

import pytest

from conftest import FIXTURES, import_matches_truth, load_truth

SHAPES = sorted((FIXTURES / "shapes").rglob("*.pdf"))


@pytest.fixture
def data_dir(data_dir_sharing_ocr):
    """The picture cover is recognised once a run (conftest.shared_ocr_cache)."""
    return data_dir_sharing_ocr


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("pdf", SHAPES, ids=case_id)
def test_shape_matches_truth(archive, pdf):
    import_matches_truth(archive, pdf)


def test_every_shape_has_two_producers():
    shapes: dict[str, set[str]] = {}
    for pdf in SHAPES:
        producer = load_truth(pdf.with_name(pdf.stem + ".truth.json"))["producer"].split()[0].lower()
        shapes.setdefault(pdf.parent.name, set()).add(producer)
    assert set(shapes) == {"cover", "masthead", "three-column", "figures", "gongwen", "units"}
    assert all(len(p) >= 2 for p in shapes.values()), shapes


def test_a_picture_cover_and_a_blank_page_are_front_matter(archive, data_dir):
    """Regression: a picture cover made the masthead an untitled first section (「2010年第1期…」 as
    items), every section title shifted by one, total number, date and publisher empty, unflagged;
    a blank first page made the issue a doc-… record."""
    import sqlite3
    pdf = FIXTURES / "shapes" / "cover" / "2009-001.pdf"  # a picture cover (title painted in), then a blank page
    assert "imported as 2009-001" in archive("import", pdf).output
    [record] = json.loads(archive("export").output)
    assert record["sections"][0]["title"] == "学·习之路" and all(s["title"] for s in record["sections"])
    assert (record["total_number"], record["date"], record["publisher"]) == (43, "2009-01-07", "党群工作部")
    assert min(it["page_start"] for s in record["sections"] for it in s["items"]) == 3  # physical pages
    methods = sqlite3.connect(data_dir / "archive.sqlite3").execute("SELECT method FROM pages ORDER BY page").fetchall()
    assert methods[0][0] == "ocr"  # the cover was read, and its title not taken for the masthead
    blank = FIXTURES / "shapes" / "cover" / "libreoffice-2012-004.pdf"
    assert "imported as 2012-004" in archive("import", blank).output


@pytest.mark.parametrize("name, fields", [
    ("reportlab-2017-004", {"number": 4, "number_end": 5, "special": None}),      # 合刊
    ("2009-zk-0112", {"number": None, "special": "特刊", "total_number": 81}),    # a supplement without a number
    ("libreoffice-2021-001", {"date": "2021-01", "number_end": None}),            # a month without a day
])
def test_combined_issues_supplements_and_month_dates_are_issues(archive, name, fields):
    """Regression: 合刊 and 增刊 issues became doc-… records; 「党群工作部2017年3月」 an untitled section."""
    truth = load_truth(FIXTURES / "shapes" / "masthead" / f"{name}.truth.json")
    assert f"imported as {truth['id']}" in archive("import", FIXTURES / "shapes" / "masthead" / f"{name}.pdf").output
    [record] = json.loads(archive("export").output)
    assert {k: record[k] for k in fields} == fields and record["sections"][0]["title"] == "学·习之路"
