"""Real Chinese PDFs written by others (tests/fixtures/real/SOURCES.tsv says where each comes from):
not the bulletin, so each is imported for review, and what a reader sees becomes searchable."""
import json

import pytest

from conftest import FIXTURES

REAL = FIXTURES / "real"


@pytest.fixture
def data_dir(data_dir_sharing_ocr):
    """The scans imported here are recognised once a run (conftest.shared_ocr_cache)."""
    return data_dir_sharing_ocr


def items_of(archive):
    return {r["id"]: [it for s in r["sections"] for it in s["items"]] for r in json.loads(archive("export").output)}


def test_wps_notice_and_fake_bold_cover(archive):
    result = archive("import", REAL / "gongwen_mockup_notice_wps.pdf", REAL / "anli_2011_annual_report_cover.pdf")
    assert result.exit_code == 0 and result.output.count("needs review") == 2
    texts = ["".join(it["text"] for it in items) for items in items_of(archive).values()]
    assert any("安徽安利合成革股份有限公司" in t for t in texts)  # drawn four times over, read once
    assert any("国防部关于放假的通知" in t for t in texts)


def test_real_scan_is_read_and_found(archive):
    pytest.importorskip("rapidocr")
    result = archive("import", REAL / "SCAN_amac_disciplinary_decision.pdf")
    assert result.exit_code == 0 and "imported as doc-" in result.output
    for phrase in ("纪律处分决定书", "浙江优策投资管理有限公司", "虚假记载"):
        hits = json.loads(archive("search", "--json", phrase).output)
        assert hits["total"] >= 1, phrase
        assert all(phrase in h["text"] for h in hits["hits"])
        assert hits["hits"][0]["page_start"] == 1
