"""Issues made by other producers than the corpus generator: headless Chromium (HTML → PDF, CSS
letter-spacing and columns, radical code points, zero-width spaces) and LibreOffice (DOCX → PDF,
mixed fonts, hanging punctuation). Made by scripts/fixtures/render_producers.py."""
import json

import pytest

from conftest import FIXTURES, assert_matches_truth, load_truth

CASES = sorted(p.with_suffix("").with_suffix("") for p in (FIXTURES / "producers").glob("*/*.truth.json"))


@pytest.mark.parametrize("stem", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_producer_issue_matches_truth(archive, stem):
    result = archive("import", stem.with_suffix(".pdf"))
    assert result.exit_code == 0, result.output
    [record] = json.loads(archive("export").output)
    assert record["needs_review"] is False
    assert_matches_truth(record, load_truth(stem.with_suffix(".truth.json")))


def test_radical_code_points_become_ideographs(archive):
    archive("import", FIXTURES / "producers" / "chromium" / "2021-005.pdf")
    [record] = json.loads(archive("export").output)
    text = "".join(it["text"] for s in record["sections"] for it in s["items"])
    assert "工匠精神" in text and "人民" in text
    assert not any("\u2e80" <= ch <= "\u2fdf" for ch in text)
