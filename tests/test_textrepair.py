import pytest

from archive.ingest.textrepair import (clean_chars, drop_cjk_spaces, join_lines, join_pair, line_starts, normalize_title,
                                       repair)


@pytest.mark.parametrize("left, right, expected", [
    ("中州铝业充分利用网络", "教学资源", "中州铝业充分利用网络教学资源"),      # CJK | CJK: no space
    ("捐款", "51680元", "捐款51680元"),                                    # CJK | digit
    ("共计12", "200元", "共计12200元"),                                    # a number broken over lines stays one
    ("在 International", "Aluminium Conference", "在 International Aluminium Conference"),  # Latin | Latin
    ("pathways for alumina refi-", "neries and", "pathways for alumina refineries and"),      # split word
    ("介绍了 energy-", "management 与", "介绍了 energy-management 与"),                       # compound kept
    ("上作题为 “Deca-", "rbonization pathways", "上作题为 “Decarbonization pathways"),
    ("smelters”", "的报告", "smelters”的报告"),
    ("推进ERP", "系统上线", "推进ERP系统上线"),
    ("其中一等", "奖25项，", "其中一等奖25项，"),
    ("soft\u00ad", "ware", "software"),
])
def test_join_pair(left, right, expected):
    assert join_pair(left, right) == expected


@pytest.mark.parametrize("text, expected", [
    ("2021 年第 5 期（总第 5 期）", "2021年第5期（总第5期）"),   # autospace debris
    ("2021 年 4月 16 日", "2021年4月16日"),
    ("4 月 15 日是全民国家安全教育日", "4月15日是全民国家安全教育日"),
    ("学 · 习 之 路", "学·习之路"),                              # letter-spaced title
    ("在 International Aluminium Conference 上", "在International Aluminium Conference上"),
    ("中文　全角空格", "中文全角空格"),
    ("ERP  system", "ERP system"),
    ("（宁夏能源 刘和）", "（宁夏能源刘和）"),
    ("  trailing  ", "trailing"),
])
def test_drop_cjk_spaces(text, expected):
    assert drop_cjk_spaces(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("⼯作", "工作"),          # Kangxi radical → ideograph
    ("⼈⺠", "人民"),          # CJK radical supplement
    ("⼾口", "户口"),          # NFKC would give 戶
    ("，。：（）", "，。：（）"),   # full-width punctuation is kept (no NFKC of whole strings)
    ("a\u200bb\u0007c", "abc"),  # zero-width and control characters
    ("reﬁneries ﬂow", "refineries flow"),  # ligature glyphs
    # ligatures whose ToUnicode Ghostscript's pdfwrite wrote byte-swapped (U+6600 U+6900 for "fi")
    ("re\u6600\u6900neries", "refineries"),
    ("\u6600\u6c00ow and sta\u6600\u6600", "flow and staff"),
    ("e\u6600\u6600\u6900cient", "efficient"),
    ("\u6600\u6900nal", "final"),
    ("\u6600\u6900", "\u6600\u6900"),  # ideographs with no Latin letter beside them stay
    ("ERP最新系统", "ERP最新系统"),  # 最 U+6700 is no ligature letter
    ("A\u6600", "A\u6600"),
    ("7月26日\u20118月1日", "7月26日-8月1日"),  # U+2011 for "-" (MuPDF's subset of WenQuanYi)
])
def test_clean_chars(text, expected):
    assert clean_chars(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("学 · 习 之 路", "学·习之路"),
    ("学・习之路", "学·习之路"),
    ("学•习之路", "学·习之路"),
    ("践 ．铝 之 行", "践·铝之行"),
    ("为群众办实事篇", "为群众办实事篇"),
])
def test_normalize_title(text, expected):
    assert normalize_title(text) == expected


def test_repair_paragraph():
    lines = ["4 月 15 日是全民国家安全教育日。国家安全包括政治", "安全、国土安全。⼯作"]
    assert repair(lines) == "4月15日是全民国家安全教育日。国家安全包括政治安全、国土安全。工作"


def test_join_lines_skips_blank():
    assert join_lines(["甲", "", "乙"]) == "甲乙"


# --- where each printed line begins in the item's text (stored with its boxes) ---------------------

@pytest.mark.parametrize("lines, starts", [
    (["党史学习教育", "进行篇"], [0, 6]),                                # Chinese: no space at the join
    (["The energy", "management plan"], [0, 11]),                     # Latin: one space, owned by neither line
    (["predic-", "tive maintenance"], [0, 6]),                         # a split word rejoined: the hyphen goes
    (["energy-", "management"], [0, 7]),                               # a compound: the hyphen stays
    (["predic\u00ad", "tive"], [0, 6]),                                # a soft hyphen
    (["2021 年 第 5", "期 ⼯作"], [0, 7]),                               # autospace debris and a radical repaired
    (["12", "34 元"], [0, 2]),                                          # a number broken over two lines
    (["  缩进的一行", "", "下一行"], [0, 5, 5]),                           # an empty line begins where the next does
    (["ﬁne", "tuning"], [0, 5]),                                       # a ligature (one glyph, two letters)
])
def test_line_starts(lines, starts):
    text = repair(lines)
    assert line_starts(lines, text) == starts
    for k, at in enumerate(starts):  # each line's own text begins there (a rejoined word: its first part)
        own = repair([lines[k]]).rstrip("-\u00ad")
        assert text[at:].startswith(own[:3])


def test_line_starts_find_a_line_the_repair_changed_at_its_start():
    """Text changed across a line break (an editor's correction, a repair that reaches over it):
    the next line is found further on, not placed where the last one ended."""
    assert line_starts(["甲乙丙", "XYZ丁戊己"], "甲乙丙丁戊己") == [0, 3]
    assert line_starts(["甲乙丙", "丁戊己"], "甲乙丙——丁戊己") == [0, 5]
