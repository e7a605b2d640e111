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


@pytest.mark.parametrize("text, expected", [("（本期信息采集时间：1月2日", True), ("发放：公司领导", True),
                                            ("抄送：集团", True), ("发放公司领导的慰问品", False)])
def test_is_footer(text, expected):
    assert is_footer(text) == expected
