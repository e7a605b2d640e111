import pytest

from archive.ingest.textrepair import squash

from archive.ingest.masthead import cn_number, is_footer, parse_date, parse_footer, parse_issue_number, parse_publisher


@pytest.mark.parametrize("text, expected", [
    ("2021年第5期（总第5期）", (2021, 5, None, None, 5)),
    ("2021 年第 5 期（总第 5 期）", (2021, 5, None, None, 5)),
    ("2016年第12期(总第112期)", (2016, 12, None, None, 112)),
    ("二〇二一年 2021年第五期 总第一百零五期", (2021, 5, None, None, 105)),
    ("2021年第０５期", (2021, 5, None, None, None)),
    ("没有期号", (None, None, None, None, None)),
    ("第5期（总第105期）", (None, 5, None, None, 105)),         # the year comes from the date
    ("总第105期", (None, None, None, None, 105)),
    # combined issues (合刊)
    ("2021年第5-6期", (2021, 5, 6, None, None)),
    ("2021年第5－6期合刊（总第40期）", (2021, 5, 6, None, 40)),
    ("2021年第5、6期", (2021, 5, 6, None, None)),
    ("2021年第五、六期", (2021, 5, 6, None, None)),
    ("第11-12期", (None, 11, 12, None, None)),
    ("2021年第6-5期", (2021, 6, None, None, None)),  # not a range: the second number is no later issue
    # supplements and specials, with or without a number
    ("2021年增刊", (2021, None, None, "增刊", None)),
    ("2019年特刊（总第40期）", (2019, None, None, "特刊", 40)),
    ("2019年专刊第2期", (2019, 2, None, "专刊", None)),
    ("增 刊", (None, None, None, "增刊", None)),
])
def test_parse_issue_number(text, expected):
    got = parse_issue_number(squash(text) if " " in text and "刊" in text else text)
    assert (got.year, got.number, got.number_end, got.special, got.total) == expected


@pytest.mark.parametrize("text, expected", [
    ("党群工作部 2021 年 4月 16 日", "2021-04-16"),
    ("2021.4.16", "2021-04-16"),
    ("2021-04-16", "2021-04-16"),
    ("2021年2月30日 2021年3月1日", "2021-03-01"),  # an impossible date is skipped
    ("2021年第5期", None),
    ("二〇二一年四月十六日", "2021-04-16"),
    ("党群工作部　二〇二〇年十二月三十一日", "2020-12-31"),
    ("党群工作部 2017年3月", "2017-03"),  # a month without a day
    ("党群工作部　二〇一七年三月", "2017-03"),
    ("2017年13月", None),
    ("2017年3月 2017年3月8日", "2017-03-08"),  # a whole date wins over a month
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("党群工作部 2021年4月16日", "党群工作部"),
    ("2021年4月16日　党群工作部", "党群工作部"),
    ("主办：中铝股份党群工作部　2021年4月16日", "中铝股份党群工作部"),
    ("2021年第5期 2021年4月16日", None),
    ("第5期（总第105期） 党群工作部 2021年4月16日", "党群工作部"),
    ("党群工作部 二〇二一年四月十六日", "党群工作部"),
    ("党群工作部2017年3月", "党群工作部"),
    ("2021年第5-6期 党群工作部 2021年6月1日", "党群工作部"),
])
def test_parse_publisher(text, expected):
    assert parse_publisher(text) == expected


@pytest.mark.parametrize("text, expected", [("5", 5), ("十", 10), ("十二", 12), ("二十一", 21), ("一百零五", 105),
                                            ("１２", 12), ("abc", None)])
def test_cn_number(text, expected):
    assert cn_number(text) == expected


def test_parse_footer():
    text = ("（本期信息采集时间：4月10日-4月15日）\n发放：公司领导，本部各部门、各实体企业\n"
            "抄送：集团党群工作部投稿邮箱：gfdqb1@chalco.com.cn")
    assert parse_footer(text) == {"collection_period": "4月10日-4月15日",
                                  "distribution": "公司领导，本部各部门、各实体企业",
                                  "cc": "集团党群工作部", "email": "gfdqb1@chalco.com.cn"}


@pytest.mark.parametrize("text, period, distribution", [
    # regression (a scanned volume): the bracketed period wrapped, its 「日）」 a line of its own
    ("（本期信息采集时间：1月2日-1月7\n日）\n发放：公司领导", "1月2日-1月7日", "公司领导"),
    # a bracket never closed does not swallow the next field
    ("（本期信息采集时间：1月2日-1月7日\n发放：公司领导，本部各部门", "1月2日-1月7日", "公司领导，本部各部门"),
    # closed on its line: the next line is the next field
    ("（本期信息采集时间：4月10日-4月15日）\n发放：各实体企业", "4月10日-4月15日", "各实体企业"),
])
def test_a_footer_field_wrapped_inside_its_brackets_is_whole(text, period, distribution):
    got = parse_footer(text)
    assert (got["collection_period"], got["distribution"]) == (period, distribution)


@pytest.mark.parametrize("text, expected", [("（本期信息采集时间：1月2日", True), ("发放：公司领导", True),
                                            ("抄送：集团", True), ("发放公司领导的慰问品", False)])
def test_is_footer(text, expected):
    assert is_footer(text) == expected


# --- Chinese numerals, full-width digits, zero forms (issue 20 part 4) ----------------------------

from archive.ingest.masthead import ascii_numerals, parse_imprint, parse_organ  # noqa: E402


@pytest.mark.parametrize("text, expected", [
    # the year digit by digit with each zero form: 〇 U+3007, ○ U+25CB, the letter O / o, 零
    ("二〇〇九年第十九期（总第八十一期）", (2009, 19, None, None, 81)),
    ("二○○九年第十九期（总第八十一期）", (2009, 19, None, None, 81)),
    ("二OO九年第十九期(总第八十一期)", (2009, 19, None, None, 81)),
    ("二oo九年第二十一期", (2009, 21, None, None, None)),
    ("二零零九年第一百零八期", (2009, 108, None, None, None)),
    ("二〇一〇年第十期（总第一百〇八期）", (2010, 10, None, None, 108)),
    ("二0一一年第三期", (2011, 3, None, None, None)),  # a Latin 0 among Chinese digits
    # full-width digits, and forms mixed on one line
    ("２０２４年第３期（总第４１２期）", (2024, 3, None, None, 412)),
    ("２０２４年第三期（总第412期）", (2024, 3, None, None, 412)),
    ("二〇二四年第3期　总第一百一十二期", (2024, 3, None, None, 112)),
    ("2024年第十一期", (2024, 11, None, None, None)),
    # combined issues (合刊) in numerals
    ("二〇一一年第十一、十二期", (2011, 11, 12, None, None)),
    ("二〇一一年第十一—十二期（总第八十一期）", (2011, 11, 12, None, 81)),
    ("二〇一一年第十一至十二期合刊", (2011, 11, 12, None, None)),
    ("二〇一一年第１１－１２期", (2011, 11, 12, None, None)),
    ("二〇一一年第十一期、第十二期", (2011, 11, 12, None, None)),
    # the combined-issue variants that lost a field: the second number written with its own 第…期,
    # a total range (total_number is its first), other dashes
    ("2021年第5期、第6期（总第40期）", (2021, 5, 6, None, 40)),
    ("2021年第5-6期合刊（总第40-41期）", (2021, 5, 6, None, 40)),
    ("2021年第五、六期（总第四十、四十一期）", (2021, 5, 6, None, 40)),
    ("2021年第5―6期", (2021, 5, 6, None, None)),  # U+2015
    ("2021年第5〜6期", (2021, 5, 6, None, None)),  # U+301C
    ("2021年第5／6期", (2021, 5, 6, None, None)),
    # not a masthead: a quarter, a training class, a number in a sentence
    ("二〇二一年第三季度工作会议", (None, None, None, None, None)),
    ("第十九期培训班", (None, None, None, None, None)),
    ("2021年第3期党校培训班", (None, None, None, None, None)),
    ("第5期党群工作部2021年4月16日", (None, 5, None, None, None)),  # the publisher after the number is
])
def test_parse_issue_number_in_numerals(text, expected):
    got = parse_issue_number(text)
    assert (got.year, got.number, got.number_end, got.special, got.total) == expected


@pytest.mark.parametrize("text, expected", [
    ("二〇一一年三月十五日", "2011-03-15"),
    ("二○一一年三月十五日", "2011-03-15"),
    ("二O一一年十二月三十一日", "2011-12-31"),
    ("二零一一年十月一日", "2011-10-01"),
    ("２０１１年３月１５日", "2011-03-15"),
    ("2011年三月十五日", "2011-03-15"),
    ("二〇一一年三月", "2011-03"),
    ("２０１１年１２月", "2011-12"),
    ("2021年5-6月", "2021-05"),  # a combined issue's months: the first
    ("二〇二一年五、六月", "2021-05"),
    ("中铝股份党委党群工作部　　2011年3月15日印发", "2011-03-15"),
    ("2021年5-6", None),  # 年 and a dash do not make a date
    ("二〇二一年第三季度", None),
    ("近十年来", None),
])
def test_parse_date_in_numerals(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("中铝股份党委党群工作部　　2011年3月15日印发", ("中铝股份党委党群工作部", "2011-03-15")),
    ("中铝股份党委党群工作部 二〇一一年三月十五日印发", ("中铝股份党委党群工作部", "2011-03-15")),
    ("党群工作部　２０１１年３月１５日印发", ("党群工作部", "2011-03-15")),
    ("2011年3月15日印发", (None, "2011-03-15")),
    ("中铝股份党委党群工作部　　2011年3月15日", (None, None)),  # no 印发: not the 版记's line
    ("印发通知的要求", (None, None)),
])
def test_parse_imprint(text, expected):
    assert parse_imprint(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("党群工作部", "党群工作部"),
    ("中铝股份党委党群工作部", "中铝股份党委党群工作部"),
    ("中国铝业股份有限公司党群工作部", "中国铝业股份有限公司党群工作部"),
    ("中 铝 股 份 党 群 工 作 部", "中铝股份党群工作部"),
    ("中铝股份党群工作", None),  # the publication's name
    ("学·习之路", None),
    ("第十九期培训班", None),
    ("党群工作部组织开展主题党日活动。", None),
])
def test_parse_organ(text, expected):
    assert parse_organ(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("二〇〇九年第十九期（总第八十一期）", "2009年第19期（总第81期）"),
    ("２０２４年第３期", "2024年第3期"),
    ("二〇一一年三月十五日", "2011年3月15日"),
    ("Logo与CO2", "Logo与CO2"),  # Latin O is a letter beside Latin letters
    ("十年来", "十年来"),
    ("第一党支部", "第一党支部"),  # only numbers of issues, years, months and days
])
def test_ascii_numerals(text, expected):
    assert ascii_numerals(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("2021年第5-6期合刊 党群工作部 2021年6月1日", "党群工作部"),
    ("2021年5—6月合刊", None),
    ("党群工作部 二〇二一年五、六月", "党群工作部"),
])
def test_parse_publisher_of_combined_issues(text, expected):
    assert parse_publisher(text) == expected


# --- the masthead and the 版记 in an issue's blocks ------------------------------------------------

from archive.ingest.structure import build_issue  # noqa: E402
from archive.ingest.units import Registry  # noqa: E402
from archive.model import Block  # noqa: E402
from geometry import line  # noqa: E402

TITLE = Block("title", [line("中铝股份党群工作", 150, 60, 440, size=36)])


def row(y, *cells, size=14.0, kind="title"):
    """Blocks of one printed row: (text, x0, x1) cells, each its own block."""
    return [Block(kind, [line(text, x0, y, x1, size=size)]) for text, x0, x1 in cells]


def body(y=200):
    out = []
    for title, text in (("学·习之路", "江山就是人民，人民就是江山。（人民网）"), ("悟·心之语", "历史是最好的教科书。（包头铝业 王强）")):
        out.append(Block("title", [line(title, 250, y, 340, size=18)]))
        out.append(Block("para", [line(text, 70, y + 30, 400, size=14)]))
        y += 60
    return out


FOOTER = [Block("para", [line("（本期信息采集时间：3月8日-3月14日）", 70, 700, 320, size=11)]),
          Block("para", [line("抄送：集团党群工作部", 70, 720, 220, size=11)])]


def issue_of(blocks):
    return build_issue(blocks, Registry.load())


@pytest.mark.parametrize("mast, foot, expected", [
    # number line, then the publisher | date row
    ([row(110, ("二〇一一年第十一期（总第八十一期）", 200, 400)),
      row(140, ("中铝股份党委党群工作部", 70, 230), ("二〇一一年三月十五日", 400, 520))],
     [], (2011, 11, None, 81, "2011-03-15", "中铝股份党委党群工作部")),
    # the publisher alone on its line, the date only in the 版记's 印发 row (two cells)
    ([row(110, ("２０１１年第３期", 230, 370)), row(140, ("中铝股份党委党群工作部", 220, 380))],
     row(740, ("中铝股份党委党群工作部", 70, 230), ("2011年3月15日印发", 400, 520), size=11, kind="para"),
     (2011, 3, None, None, "2011-03-15", "中铝股份党委党群工作部")),
    # no publisher line: both from the 印发 row, the date in Chinese numerals
    ([row(110, ("二O一一年第十一、十二期", 200, 400))],
     row(740, ("党群工作部", 70, 150), ("二〇一一年三月十五日印发", 380, 520), size=11, kind="para"),
     (2011, 11, 12, None, "2011-03-15", "党群工作部")),
    # the number line and the centred publisher line read as one title block
    ([[Block("title", [line("二〇〇九年第十九期", 230, 110, 370, size=14),
                       line("中国铝业股份有限公司党群工作部", 190, 132, 400, size=14)])]],
     row(740, ("中国铝业股份有限公司党群工作部　　2009年5月8日印发", 70, 520), size=11, kind="para"),
     (2009, 19, None, None, "2009-05-08", "中国铝业股份有限公司党群工作部")),
])
def test_masthead_and_imprint(mast, foot, expected):
    blocks = [TITLE] + [b for r in mast for b in r] + body() + FOOTER + foot
    issue = issue_of(blocks)
    assert (issue.year, issue.number, issue.number_end, issue.total_number, issue.date, issue.publisher) == expected
    assert issue.publication == "中铝股份党群工作"
    texts = [it.text for s in issue.sections for it in s.items]
    assert [s.title for s in issue.sections] == ["学·习之路", "悟·心之语"]  # no section shifted by a stray item
    assert not any("工作部" in t or "印发" in t for t in texts)
    assert issue.collection_period == "3月8日-3月14日"


def test_a_banji_set_as_a_ruled_table_gives_the_date():
    table = Block("table", [line("抄送：集团党群工作部\n中铝股份党委党群工作部\t二〇一一年三月十五日印发", 70, 720, 520, size=11)])
    blocks = [TITLE] + row(110, ("二〇一一年第三期", 240, 360)) + row(140, ("党群工作部", 250, 330)) + body() + [table]
    issue = issue_of(blocks)
    assert (issue.publisher, issue.date, issue.cc) == ("党群工作部", "2011-03-15", "集团党群工作部")
    assert not any("印发" in it.text for s in issue.sections for it in s.items)


def test_a_publisher_line_without_a_date_is_no_item():
    # regression: 「党群工作部」 under the number line became an untitled first section's item, and the
    # issue lost its publisher (and its date, printed only in the 版记)
    blocks = ([TITLE] + row(110, ("2011年第3期", 240, 360)) + row(140, ("党群工作部", 250, 330)) + body() + FOOTER
              + row(740, ("党群工作部", 70, 150), ("2011年3月15日印发", 400, 520), size=11, kind="para"))
    issue = issue_of(blocks)
    assert issue.sections[0].title == "学·习之路"
    assert (issue.publisher, issue.date) == ("党群工作部", "2011-03-15")


@pytest.mark.parametrize("first", [
    "二〇二一年第三季度工作会议",  # a body line at the top of page 1: no issue number
    "第十九期培训班开班",
])
def test_a_numeral_in_a_heading_makes_no_masthead(first):
    blocks = [Block("title", [line(first, 200, 60, 400, size=16)]),
              Block("para", [line("会议要求，各单位认真学习，抓好落实。", 70, 100, 500, size=12)])]
    issue = issue_of(blocks)
    assert not issue.has_masthead
    assert issue.number is None


@pytest.mark.parametrize("text, expected", [
    ("编印单位：中铝股份党委党群工作部", "中铝股份党委党群工作部"),
    ("主办单位：党群工作部", "党群工作部"),
    ("党群工作部 2011年3月15日 星期二", "党群工作部"),  # a weekday is no part of the name
    ("中铝股份党群工作部编　二〇一一年三月十五日", "中铝股份党群工作部"),
])
def test_parse_publisher_labels_and_suffixes(text, expected):
    assert parse_publisher(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("二Ο一一年第三期", (2011, 3)),  # Greek capital omicron for zero (OCR)
    ("二О一一年第三期", (2011, 3)),  # Cyrillic capital O
    ("2021年第5期　中铝股份党群工作部编", (2021, 5)),  # the issuing body after the number, with 编
])
def test_zero_forms_and_a_body_after_the_number(text, expected):
    got = parse_issue_number(text)
    assert (got.year, got.number) == expected


def test_imprint_with_a_label():
    assert parse_imprint("中铝股份党委党群工作部　印发日期：2011年3月15日") == ("中铝股份党委党群工作部", "2011-03-15")
    assert parse_organ("中铝股份党群工作部编") == "中铝股份党群工作部"
