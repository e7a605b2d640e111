"""Mastheads in Chinese numerals and full-width digits, dates printed only in the 版记's 印发 line
(scripts/fixtures/render_numerals.py; truth written from the produced PDF): every field, section and item as
the truth has it. tests/fixtures/numerals/ holds one issue each from PyMuPDF's Story engine,
WeasyPrint rewritten by Ghostscript, reportlab and LibreOffice."""
import json
from pathlib import Path

import pytest

from conftest import FIXTURES, import_matches_truth, load_truth

NUMERALS = sorted((FIXTURES / "numerals").glob("*.pdf"))


@pytest.mark.parametrize("pdf", NUMERALS, ids=lambda p: p.stem)
def test_numerals_match_truth(archive, pdf: Path):
    import_matches_truth(archive, pdf)


@pytest.mark.parametrize("stem, fields", [
    # 「二oo一年第9—10期(总第一百一十六期)」: a 合刊, the letter o for zero; no publisher line, so
    # publisher and date from the 版记's 「党群工作部　二oo一年八月十七日印发」 (PyMuPDF)
    ("2001-009", {"year": 2001, "number": 9, "number_end": 10, "total_number": 116, "date": "2001-08-17",
                  "publisher": "党群工作部"}),
    # 「二○○八年第13期（总第七十六期）」: ○ U+25CB for zero, the publisher alone and centred, the date
    # only in the 版记 (Chinese numerals), whose issuing body differs: the masthead's wins (WeasyPrint + gs)
    ("2008-013", {"year": 2008, "number": 13, "number_end": None, "total_number": 76, "date": "2008-07-18",
                  "publisher": "中铝股份党群工作部"}),
    # 零 for zero, a 合刊 written 第十六期、第十七期, a total range (its first is the total) (reportlab)
    ("2002-016", {"year": 2002, "number": 16, "number_end": 17, "total_number": 98, "date": "2002-05-27"}),
    # 「２００４年第十六、十七期（总第九十八、九十九期）」: full-width digits, no publisher line (LibreOffice)
    ("2004-016", {"year": 2004, "number": 16, "number_end": 17, "total_number": 98, "date": "2004-05-27",
                  "publisher": "党群工作部"}),
])
def test_numeral_mastheads(archive, stem, fields):
    """Regression: such issues became doc-… records (no masthead found), or lost date and publisher
    and gained the item 「党群工作部」, every section title shifted by one."""
    pdf = FIXTURES / "numerals" / f"{stem}.pdf"
    truth = load_truth(pdf.with_name(f"{stem}.truth.json"))
    assert f"imported as {truth['id']}" in archive("import", pdf).output
    [record] = json.loads(archive("export").output)
    assert {k: record[k] for k in fields} == fields
    assert record["sections"][0]["title"] == "学·习之路" and all(s["title"] for s in record["sections"])
