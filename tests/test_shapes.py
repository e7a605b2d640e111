"""Shapes real back catalogues have, each made by two or more producers (scripts/render_shapes.py,
truth written from the produced PDF): every field, section, item, page span, unit and kind as
the truth has it. tests/fixtures/shapes/<shape>/ holds one issue per producer."""
import json
from pathlib import Path

import pytest

from conftest import FIXTURES, assert_matches_truth, load_truth

SHAPES = sorted((FIXTURES / "shapes").rglob("*.pdf"))


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("pdf", SHAPES, ids=case_id)
def test_shape_matches_truth(archive, pdf):
    truth = load_truth(pdf.with_name(pdf.stem + ".truth.json"))
    result = archive("import", pdf)
    assert result.exit_code == 0, result.output
    assert f"imported as {truth['id']}" in result.output, result.output
    [record] = json.loads(archive("export").output)
    assert_matches_truth(record, truth)


def test_every_shape_has_two_producers():
    shapes: dict[str, set[str]] = {}
    for pdf in SHAPES:
        producer = load_truth(pdf.with_name(pdf.stem + ".truth.json"))["producer"].split()[0].lower()
        shapes.setdefault(pdf.parent.name, set()).add(producer)
    assert set(shapes) == {"cover", "masthead", "three-column", "figures", "gongwen", "units"}
    assert all(len(p) >= 2 for p in shapes.values()), shapes
