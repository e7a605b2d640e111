"""Masthead and footer fields of an issue, read from repaired text.

Pure functions over strings: the masthead (publication, 2021年第5期（总第5期）, publisher, date) and the
footer (本期信息采集时间, 发放, 抄送, 投稿邮箱)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..chars import HAN, fold_width

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
# What a printed zero may be in a Chinese numeral: 〇 U+3007, ○ U+25CB, ◯ U+25EF, the letter O (o; or
# the Greek or Cyrillic one OCR may give), 零, or a Latin 0 in a run of Chinese digits (二0一一年)
ZERO_FORMS = "〇○◯OoΟοОо零0"
NUMERAL_RUN = re.compile(r"[0-9〇○◯OoΟοОо零一二两三四五六七八九十百]+")
FULL_WIDTH_NUMERAL = re.compile(r"[０-９Ｏｏ]+")
NONZERO = set("123456789一二两三四五六七八九十百")
NUM = r"[0-9]+|[〇零一二两三四五六七八九十百]+"
SPECIAL = r"增刊|特刊|专刊"
# what joins a combined issue's two numbers: 第5-6期, 第5、6期, 第五至六期, 第5/6期, 第5期—第6期
JOINS = "-－—–‐‑‒―−~～〜至、，,/／及和"
RANGE = f"[{re.escape(JOINS)}]"
NUMBERS = rf"第\s*(?P<number>{NUM})\s*(?:期\s*)?(?:{RANGE}\s*(?:第\s*)?(?P<end>{NUM}))?\s*期"
# after a number line's 期: its end, a bracket or mark, 合刊, the total, a gap, or a special's name
# (第十九期培训班 is not a masthead; 第5期党群工作部2021年4月16日 is: see after_number)
ISSUE_NUMBER = re.compile(rf"(?P<year>[12][0-9]{{3}})\s*年\s*(?P<special>{SPECIAL})?\s*(?:{NUMBERS})?\s*(?:合刊)?")
NUMBER_ONLY = re.compile(rf"(?<!总)(?<!总\s)(?P<special>{SPECIAL})?\s*{NUMBERS}")  # 第5期 with the year elsewhere
SPECIAL_ONLY = re.compile(rf"(?P<special>{SPECIAL})")
TOTAL_NUMBER = re.compile(rf"总\s*第\s*(?P<total>{NUM})\s*(?:期\s*)?(?:{RANGE}\s*(?:第\s*)?(?:{NUM}))?\s*期")
# a date: 2021年4月16日, or 2021.4.16 / 2021-04-16 / 2021/4/16 (one separator throughout)
DATE = re.compile(r"(?P<y>[12][0-9]{3})\s*(?:年\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})(?![0-9])\s*日?"
                  r"|(?P<sep>[.\-/．])(?P<m2>[0-9]{1,2})(?P=sep)(?P<d2>[0-9]{1,2})(?![0-9]))")
# the month only: 2017年3月, or a combined issue's months 2021年5-6月 (its first)
MONTH = re.compile(rf"(?P<y>[12][0-9]{{3}})\s*年\s*(?P<m>[0-9]{{1,2}})\s*(?:{RANGE}\s*[0-9]{{1,2}}\s*)?月(?!\s*[0-9])")
PUBLISHER_LABEL = re.compile(r"(?:(?:主办|承办|编印|编辑|出品|主编)(?:单位)?)\s*[：:]\s*(?P<name>[^\s，,。]{2,20})")
# an issuing body's name, printed alone: 党群工作部, 中铝股份党委党群工作部, 中国铝业股份有限公司党委宣传部
# (its name may carry 编, 编印 or 主办 after it: 中铝股份党群工作部编)
ORGAN = re.compile(rf"^(?P<name>[{HAN}（）()·]{{2,24}}(?:部|委|委员会|办公室|办|室|处|中心|编辑部|公司|集团|工会|团委|支部|局|厅))"
                   rf"(?:编印|主办|编)?$")
WEEKDAY = re.compile(r"(?:星期|礼拜|周)[一二三四五六日天]")
# the 公文 版记's last line: 中铝股份党委党群工作部　　2011年3月15日印发
IMPRINT = re.compile(r"(?:印发|印制|编印)\s*$|(?:印发|印制)(?:日期|时间)?\s*[：:]")
FOOTER_LABEL = re.compile(r"^[（(]?\s*(本期信息采集时间|信息采集时间|发放|发送|报送|抄送|投稿邮箱|联系电话)\s*[：:]")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def ascii_numerals(text: str) -> str:
    """Numbers and dates in Arabic digits where a masthead prints them otherwise: full-width digits
    (２０２４年第３期), a year digit by digit with any zero form (二〇〇九年, 二○一一年, 二O一一年, 二零零九年),
    counted numbers after 第 and before 期 (第十九期, 总第一百零八期, 第十一、十二期), a month and day after
    a year (二〇一一年三月十五日). A run of numerals elsewhere (十年, 第三季度, 一O一) is left as printed."""
    text = FULL_WIDTH_NUMERAL.sub(lambda m: fold_width(m.group()), text)
    return NUMERAL_RUN.sub(lambda m: arabic_run(text, m.start(), m.end()), text)


def arabic_run(text: str, start: int, end: int) -> str:
    """The run text[start:end] in Arabic digits when where it stands makes it a year, an issue number,
    a month or a day; else the run unchanged."""
    run = text[start:end]
    if run.isdigit() and run.isascii() or not NONZERO & set(run):
        return run
    if any(ch in "Oo" for ch in run) and (text[start - 1:start].isascii() and text[start - 1:start].isalpha()
                                          or text[end:end + 1].isascii() and text[end:end + 1].isalpha()):
        return run  # a Latin word's O, not a zero
    before, after = text[:start].rstrip()[-1:], text[end:].lstrip()[:1]
    digits = "".join("0" if ch in ZERO_FORMS else ch for ch in run)
    if after == "年" and len(run) == 4 and not set(run) & set("十百"):  # a year, digit by digit
        year = "".join(str(CN_DIGITS.get(ch, ch)) for ch in digits)
        return year if year[0] in "12" and year.isdigit() else run
    counted = (after == "期" or after == "月" and before in "年" + JOINS or after == "日" and before == "月"
               or after in JOINS and before in "第年")  # 第十九期, 三月十五日, 第十一、十二期, 五、六月
    n = cn_number(digits.replace("0", "〇")) if counted else None
    return str(n) if n is not None else run


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
    """The issue's number (and year, special kind, total number) from a line like 2021年第5期（总第5期）,
    二〇〇九年第十九期（总第八十一期） or ２０２４年第３期."""
    text = ascii_numerals(text)
    year = number = end = special = None
    for m in ISSUE_NUMBER.finditer(text):
        if (m.group("number") or m.group("special")) and ends_number(text, m.end()):
            year, special = int(m.group("year")), m.group("special")
            number, end = _numbers(m) if m.group("number") else (None, None)
            break
    else:
        if (n := next((n for n in NUMBER_ONLY.finditer(text) if ends_number(text, n.end())), None)):
            number, end = _numbers(n)
            special = n.group("special")
        elif (s := SPECIAL_ONLY.search(text)):
            special = s.group("special")
    t = TOTAL_NUMBER.search(text)
    return IssueNumber(year, number, end, special, cn_number(t.group("total")) if t else None)


def ends_number(text: str, at: int) -> bool:
    """May text[at:] follow a masthead's issue number: nothing, a bracket, mark or digit, 合刊, the
    total number, or the issuing body (and its date)? 第十九期培训班 names a class, not an issue."""
    rest = text[at:].lstrip()
    if not rest or not re.match(f"[{HAN}]", rest) or rest.startswith(("合刊", "总", "增刊", "特刊", "专刊")):
        return True
    for pattern in (DATE, MONTH, TOTAL_NUMBER):
        rest = pattern.sub("", rest)
    return bool(ORGAN.match(re.sub(r"[（(]\s*[）)]|\s", "", rest)))


def is_number_line(text: str) -> bool:
    """Does the text carry the issue's number (2021年第5期, 第5-6期, 2021年增刊, or 第5期 with the
    year in the date)?"""
    return bool(parse_issue_number(text))


def parse_date(text: str) -> str | None:
    """The first real date: 2021年4月16日, 2021.4.16, 2021-04-16, 二〇二一年四月十六日 or ２０２１年４月１６日;
    where only a month is printed (2017年3月, 二〇一七年三月), that month: 2017-03."""
    text = ascii_numerals(text)
    for m in DATE.finditer(text):
        try:
            return dt.date(int(m.group("y")), int(m.group("m") or m.group("m2")),
                           int(m.group("d") or m.group("d2"))).isoformat()
        except ValueError:
            continue
    for m in MONTH.finditer(text):
        if 1 <= int(m.group("m")) <= 12:
            return f"{m.group('y')}-{int(m.group('m')):02d}"
    return None


def parse_publisher(text: str) -> str | None:
    """The publisher: after a 主办：-style label, or what shares the date's line (党群工作部 2021年4月16日,
    the 版记's 中铝股份党委党群工作部 2011年3月15日印发)."""
    m = PUBLISHER_LABEL.search(text)
    if m:
        return m.group("name")
    text = ascii_numerals(text)
    if any(d.search(text) for d in (DATE, MONTH)):
        rest = IMPRINT.sub(" ", text)
        for pattern in (DATE, MONTH, TOTAL_NUMBER, ISSUE_NUMBER, NUMBER_ONLY):
            rest = pattern.sub(" ", rest)  # a line with both number and date
        rest = re.sub(r"[（(]\s*[）)]|合刊", " ", WEEKDAY.sub(" ", rest)).strip(" \u3000:：,，")
        rest = parse_organ(rest) or rest  # 中铝股份党群工作部编 → the body's name
        if 2 <= len(rest) <= 20 and not re.search(r"\d", rest):
            return rest
    return None


def parse_organ(text: str) -> str | None:
    """An issuing body's name printed on a line of its own (党群工作部, 中铝股份党委党群工作部), or None."""
    m = ORGAN.match(re.sub(r"\s", "", text))
    return m.group("name") if m else None


def parse_imprint(text: str) -> tuple[str | None, str | None]:
    """(publisher, date) of the 公文 版记's last line, 「中铝股份党委党群工作部　　2011年3月15日印发」
    (its two cells joined), or (None, None) when the text is no such line."""
    if not IMPRINT.search(text.strip()):
        return None, None
    date = parse_date(text)
    return (parse_publisher(text), date) if date else (None, None)


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


def within_brackets(text: str) -> str:
    """Line breaks inside a bracket taken out: a bracketed footer field wrapped onto the next line
    (「（本期信息采集时间：1月2日-1月7」 over 「日）」) is one field."""
    out, depth = [], 0
    for ch in text:
        if ch == "\n" and depth > 0:
            continue
        depth = max(0, depth + (ch in "（(") - (ch in "）)")) if ch != "\n" else 0
        out.append(ch)
    return "".join(out)


def parse_footer(text: str) -> dict[str, str | None]:
    text = within_brackets(text)
    email = EMAIL.search(text)
    return {
        "collection_period": field_after(text, "(?:本期)?信息采集时间"),
        "distribution": field_after(text, "(?:发放|发送)"),
        "cc": field_after(text, "抄送"),
        "email": email.group(0) if email else None,
    }
