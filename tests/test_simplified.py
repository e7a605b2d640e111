"""OCR's traditional forms in a simplified text (ingest/simplified.py): a 150-dpi scan read 「紅色家書」
「與」「國」「中鋁」「采集時间」 among simplified text, so a unit's name and the footer's label were lost."""
import pytest

from archive.ingest import ocrglyphs
from archive.ingest.simplified import simplify

BODY = "安全是最大的效益，每一位党员都要做安全生产的明白人、带头人。这里说话还有许多简体字，统计这里。"


@pytest.mark.parametrize("lines, want", [
    # simplified text with the scan's traditional reads: made simplified
    ([BODY, "读紅色家書，“家”與“國”从來紧密相连。", "（本期信息采集時间：1月6日-1月11日）"],
     [BODY, "读红色家书，“家”与“国”从来紧密相连。", "（本期信息采集时间：1月6日-1月11日）"]),
    ([BODY, "中鋁洛阳铜加工有限公司技术中心党支部"], [BODY, "中铝洛阳铜加工有限公司技术中心党支部"]),
    # characters simplified text prints, outside GB 2312 or with a traditional use: kept
    ([BODY, "广西華昇开展读书分享会，乾隆年间著名的"], [BODY, "广西华昇开展读书分享会，乾隆年间著名的"]),
    # a page in traditional characters: left as it is
    (["讀紅色家書，感悟信仰的力量，家與國從來緊密相連。", "這裡說話還有許多繁體字，統計這裡。"],
     ["讀紅色家書，感悟信仰的力量，家與國從來緊密相連。", "這裡說話還有許多繁體字，統計這裡。"]),
    ([BODY], [BODY]),  # nothing to change
])
def test_traditional_forms_in_a_simplified_text(lines, want):
    assert simplify(lines) == want


def test_an_ocr_line_is_placed_with_its_simplified_characters():
    lines = [{"text": text, "score": 0.99, "height": 14.0, "box": [50.0, 50.0 + 10 * len(text), 100.0 + 20 * k,
              114.0 + 20 * k], "chars": None, "slope": 0.0}
             for k, text in enumerate([BODY, "（本期信息采集時间：1月6日-1月11日）"])]
    text = "".join(c.text for c in ocrglyphs.to_chars(lines))
    assert "采集时间" in text and "時" not in text
