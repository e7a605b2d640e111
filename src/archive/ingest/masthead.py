"""Masthead and footer fields of an issue, read from repaired text.

Pure functions over strings: the masthead (publication, 2021年第5期（总第5期）, publisher, date) and the
footer (本期信息采集时间, 发放, 抄送, 投稿邮箱)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
NUM = r"[0-9０-９]+|[〇零一二两三四五六七八九十百]+"
SPECIAL = r"增刊|特刊|专刊"
# a number, or a combined issue's two: 第5期, 第5-6期, 第5、6期, 第五、六期, 第5至6期
NUMBERS = rf"第\s*(?P<number>{NUM})\s*(?:[-－—–~～至、，,/]\s*(?P<end>{NUM}))?\s*期"
ISSUE_NUMBER = re.compile(rf"(?P<year>[12][0-9]{{3}})\s*年\s*(?P<special>{SPECIAL})?\s*(?:{NUMBERS})?\s*(?:合刊)?")
NUMBER_ONLY = re.compile(rf"(?<!总)(?<!总\s)(?P<special>{SPECIAL})?\s*{NUMBERS}")  # 第5期 with the year elsewhere
SPECIAL_ONLY = re.compile(rf"(?P<special>{SPECIAL})")
TOTAL_NUMBER = re.compile(rf"总\s*第\s*(?P<total>{NUM})\s*期")
DATE = re.compile(r"(?P<y>[12][0-9]{3})\s*(?:年\s*|[.\-/．])(?P<m>[0-9]{1,2})\s*(?:月\s*|[.\-/．])(?P<d>[0-9]{1,2})(?![0-9])\s*日?")
MONTH = re.compile(r"(?P<y>[12][0-9]{3})\s*年\s*(?P<m>[0-9]{1,2})\s*月(?!\s*[0-9])")  # 2017年3月, no day
CN = "〇零一二三四五六七八九十"
DATE_CN = re.compile(rf"(?P<y>[{CN}]{{4}})\s*年\s*(?P<m>[{CN}]{{1,3}})\s*月\s*(?P<d>[{CN}]{{1,3}})\s*日")
MONTH_CN = re.compile(rf"(?P<y>[{CN}]{{4}})\s*年\s*(?P<m>[{CN}]{{1,3}})\s*月(?!\s*[{CN}])")
PUBLISHER_LABEL = re.compile(r"(?:主办|编印|编辑|主编单位|出品)\s*[：:]\s*(?P<name>[^\s，,。]{2,20})")
FOOTER_LABEL = re.compile(r"^[（(]?\s*(本期信息采集时间|信息采集时间|发放|发送|报送|抄送|投稿邮箱|联系电话)\s*[：:]")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def cn_number(text: str) -> int | None:
    """'5', '０５', '五', '十二', '二十一' → int."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + CN_DIGITS[ch]
    return total + current


@dataclass(frozen=True)
class IssueNumber:
    """What a masthead's number line says: 2021年第5-6期合刊（总第40期）, 2019年特刊, 第5期."""
    year: int | None = None
    number: int | None = None
    number_end: int | None = None  # the second number of a combined issue (合刊)
    special: str | None = None  # 增刊, 特刊, 专刊
    total: int | None = None

    def __bool__(self) -> bool:
        return self.number is not None or self.special is not None


def _numbers(m: re.Match) -> tuple[int | None, int | None]:
    number = cn_number(m.group("number")) if m.group("number") else None
    end = cn_number(m.group("end")) if m.group("end") else None
    return number, (end if end is not None and number is not None and end > number else None)


def parse_issue_number(text: str) -> IssueNumber:
    """The issue's number (and year, special kind, total number) from a line like 2021年第5期（总第5期）."""
    year = number = end = special = None
    for m in ISSUE_NUMBER.finditer(text):
        if m.group("number") or m.group("special"):
            year, special = int(m.group("year")), m.group("special")
            number, end = _numbers(m) if m.group("number") else (None, None)
            break
    else:
        if (n := NUMBER_ONLY.search(text)):
            number, end = _numbers(n)
            special = n.group("special")
        elif (s := SPECIAL_ONLY.search(text)):
            special = s.group("special")
    t = TOTAL_NUMBER.search(text)
    return IssueNumber(year, number, end, special, cn_number(t.group("total")) if t else None)


def is_number_line(text: str) -> bool:
    """Does the text carry the issue's number (2021年第5期, 第5-6期, 2021年增刊, or 第5期 with the
    year in the date)?"""
    return bool(parse_issue_number(text))


def parse_date(text: str) -> str | None:
    """The first real date: 2021年4月16日, 2021.4.16, 2021-04-16 or 二〇二一年四月十六日; where only a
    month is printed (2017年3月, 二〇一七年三月), that month: 2017-03."""
    found = [(m.start(), int(m.group("y")), int(m.group("m")), int(m.group("d"))) for m in DATE.finditer(text)]
    for m in DATE_CN.finditer(text):
        found.append((m.start(), cn_year(m.group("y")), cn_number(m.group("m")) or 0, cn_number(m.group("d")) or 0))
    for _, y, mo, d in sorted(found):
        try:
            return dt.date(y, mo, d).isoformat()
        except ValueError:
            continue
    months = [(m.start(), int(m.group("y")), int(m.group("m"))) for m in MONTH.finditer(text)]
    months += [(m.start(), cn_year(m.group("y")), cn_number(m.group("m")) or 0) for m in MONTH_CN.finditer(text)]
    for _, y, mo in sorted(months):
        if 1 <= mo <= 12:
            return f"{y:04d}-{mo:02d}"
    return None


def cn_year(text: str) -> int:
    """二〇二一 → 2021 (digit by digit)."""
    return int("".join(str(CN_DIGITS[ch]) for ch in text))


def parse_publisher(text: str) -> str | None:
    """The publisher: after a 主办：-style label, or what shares the date's line (党群工作部 2021年4月16日)."""
    m = PUBLISHER_LABEL.search(text)
    if m:
        return m.group("name")
    if any(d.search(text) for d in (DATE, DATE_CN, MONTH, MONTH_CN)):
        rest = text
        for pattern in (DATE, DATE_CN, MONTH, MONTH_CN, TOTAL_NUMBER, ISSUE_NUMBER, NUMBER_ONLY):
            rest = pattern.sub(" ", rest)  # a line with both number and date
        rest = re.sub(r"[（(]\s*[）)]", " ", rest).strip(" \u3000:：,，")
        if 2 <= len(rest) <= 20 and not re.search(r"\d", rest):
            return rest
    return None


def is_footer(text: str) -> bool:
    return bool(FOOTER_LABEL.match(text.strip()))


def field_after(text: str, label: str) -> str | None:
    """The value after `label：` up to the next footer label, closing bracket or line end."""
    m = re.search(rf"{label}\s*[：:]\s*(.+?)\s*(?=[）)]?\s*$|[）)]\s*\n|\n|(?:发放|发送|报送|抄送|投稿邮箱|联系电话)\s*[：:])",
                  text, re.M)
    if not m:
        return None
    value = m.group(1).strip(" \u3000）)")
    return value or None


def parse_footer(text: str) -> dict[str, str | None]:
    email = EMAIL.search(text)
    return {
        "collection_period": field_after(text, "(?:本期)?信息采集时间"),
        "distribution": field_after(text, "(?:发放|发送)"),
        "cc": field_after(text, "抄送"),
        "email": email.group(0) if email else None,
    }
