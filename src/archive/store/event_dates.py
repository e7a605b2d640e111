"""When an activity happened, as its own text says, resolved against its issue's date.

An activity says when it happened more precisely than its issue's date does: 「4月15日，兰州铝业……」,
「兰州铝业于4月上旬……」, 「12月28日」 in an issue dated 2021-01-10 (so 2020-12-28). `event_date` reads
the first date phrase of the text that dates the activity itself and gives (ISO date, source):

    4月15日 / 4月15日至17日 / 4月15—16日 / 四月十五日      → 2021-04-15 (a day)          "text"
    4月上旬 / 4月中下旬 / 4月初 / 4月底 / 4月份 / 3至5月  → 2021-04 (a month, its first)  "text"
    2020年12月28日 / 去年12月 / 今年3月                  → that year's                   "text"
    近日, 日前, 近期, or no date at all                  → the issue's date               "issue"

A month and day without a year are the latest such day not after the issue's date: the issue's
year, or the year before when that day is still to come (a December day in a January issue), if
that is at most LOOKBACK_DAYS before the issue; a day further back than that is no rollover but a
date still to come or a misprint, and the issue's date stands. Never after the issue's date: a date
that would be is not taken. What is not the activity's own date is passed over: a date someone
spoke on (「习近平总书记7月1日在……上的重要讲话」), a plan or deadline (「计划于5月底前」,
「将于6月」), a date inside a title or quotation (《…》, “…”)."""
from __future__ import annotations

import datetime as dt
import re

from ..chars import ASCII_SENTENCE_ENDS, SENTENCE_ENDS, fold_width
from ..ingest.masthead import cn_number

LOOKBACK_DAYS = 183  # a day a year back from the issue is a rollover only within this many days
CN = "〇零一二两三四五六七八九十"
NUM = rf"(?:\d{{1,2}}|[{CN}]{{1,3}})"
JOIN = r"[至到—–\-~～、]"
PARTS = r"上旬|中旬|下旬|上中旬|中下旬|初|中|底|末|份"
DATE = re.compile(
    rf"(?:(?P<year>[12]\d{{3}})\s*年\s*|(?P<rel>今年|去年|上年|前年|当年|同年)\s*)?"
    rf"(?:(?P<m0>{NUM})\s*(?:月\s*)?{JOIN}\s*)?"  # 3至5月, 3月至5月: the first month
    rf"(?P<month>{NUM})\s*月\s*"
    rf"(?:(?P<day>{NUM})\s*(?:日|号)?\s*(?:{JOIN}\s*(?:{NUM}\s*月\s*)?{NUM}\s*)?(?:日|号)"  # 15日, 15—16日, 15日至5月2日
    rf"|(?P<part>{PARTS}))?")
# what makes a date someone else's: a speech or instruction given on it, a plan or deadline
SPOKEN_AFTER = re.compile(r"^\s*(?:习近平|总书记)?[^，。；]{0,6}?(?:在[^，。；]{0,40}?上)?"
                          r"(?:的(?:重要)?(?:讲话|指示|批示|贺信|回信|致辞)|重要(?:讲话|指示|批示))")
SPOKEN_BEFORE = re.compile(r"(?:习近平|总书记|主席)[^，。；]{0,6}$")
PLAN_BEFORE = re.compile(r"(?:将|拟|计划|预计|定于|力争|争取|确保|要求|预定|下一步)[^，。；]{0,4}$")
PLAN_AFTER = re.compile(r"^\s*(?:前|之前|以前)(?:完成|全面|实现|基本|全部|，|,|。)")
QUOTES = {"《": "》", "“": "”", "「": "」", "〈": "〉"}


def parse_iso(value: str | None) -> tuple[dt.date | None, str]:
    """"2021-04-16" → (that day, "day"); "2021-04" → (its 1st, "month"); "2021" → (1 January, "year")."""
    value = (value or "").strip()
    try:
        if len(value) >= 10:
            return dt.date.fromisoformat(value[:10]), "day"
        if len(value) == 7:
            return dt.date(int(value[:4]), int(value[5:7]), 1), "month"
        if len(value) == 4 and value.isdigit():
            return dt.date(int(value), 1, 1), "year"
    except ValueError:
        pass
    return None, ""


def number(text: str | None) -> int | None:
    return cn_number(text) if text else None


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where a title or quotation stands: (start, end) of each 《…》, “…”, 「…」."""
    spans, stack = [], []
    for i, ch in enumerate(text):
        if ch in QUOTES:
            stack.append((ch, i))
        elif stack and ch == QUOTES[stack[-1][0]]:
            spans.append((stack.pop()[1], i + 1))
    return spans


def someone_elses(text: str, m: re.Match, quoted: list[tuple[int, int]]) -> bool:
    """Is this date not the activity's own: inside a title or quotation, a speech's or instruction's
    date, or a plan's or deadline's?"""
    if any(a < m.start() < b for a, b in quoted):
        return True
    before, after = text[max(0, m.start() - 12):m.start()], text[m.end():m.end() + 60]
    return bool(SPOKEN_AFTER.match(after) or SPOKEN_BEFORE.search(before) or PLAN_BEFORE.search(before)
                or PLAN_AFTER.match(after))


def stated(m: re.Match, issue_year: int | None) -> tuple[int | None, int, int | None, bool] | None:
    """(year or None, month, day or None, year given) of a match; None when it is no date."""
    month = number(m["m0"]) or number(m["month"])
    day = number(m["day"])
    if month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    year = int(m["year"]) if m["year"] else None
    if m["rel"] and issue_year:
        year = issue_year - (1 if m["rel"] in ("去年", "上年") else 2 if m["rel"] == "前年" else 0)
    return year, month, day, year is not None


def resolve(year: int | None, month: int, day: int | None, given: bool, issue: dt.date | None,
            precision: str, issue_year: int | None) -> str | None:
    """The date stated, in ISO at its own precision, placed in the right year and never after the
    issue's date; None when it cannot be (then the issue's date stands)."""
    if issue is None:  # an undated issue: its year, if it has one
        year = year or issue_year
        if year is None:
            return None
        return iso(year, month, day)
    candidates = [year] if given else [issue.year, issue.year - 1]
    for y in candidates:
        try:
            when = dt.date(y, month, day or 1)
        except ValueError:
            return None
        if not_after(when, day is not None, issue, precision):
            if not given and y != issue.year and (issue - when).days > LOOKBACK_DAYS:
                return None
            return iso(y, month, day)
    return None


def not_after(when: dt.date, has_day: bool, issue: dt.date, precision: str) -> bool:
    """Is `when` on or before the issue's date, at the precision both are known to?"""
    if precision == "day" and has_day:
        return when <= issue
    if precision == "year":
        return when.year <= issue.year
    return (when.year, when.month) <= (issue.year, issue.month)


def iso(year: int, month: int, day: int | None) -> str | None:
    try:
        return dt.date(year, month, day).isoformat() if day else f"{year:04d}-{month:02d}"
    except ValueError:
        return None


def inside_number(text: str, start: int) -> bool:
    """Does a match at `start` continue a number printed before it (the 12月 of 112月, 二月 of 十二月)?"""
    if start == 0:
        return False
    prev, first = text[start - 1], text[start]
    return prev.isdigit() and first.isdigit() or prev in CN and first in CN


def event_date(text: str, issue_date: str | None, issue_year: int | None = None) -> tuple[str | None, str]:
    """(ISO date, "text" or "issue") of an activity's text in an issue of `issue_date` (ISO day or
    month; `issue_year` where the issue has a year but no date)."""
    issue, precision = parse_iso(issue_date)
    fallback = (issue_date[:10] if issue_date else None), "issue"
    text = fold_width(text or "")
    quoted = quoted_spans(text)
    for m in DATE.finditer(text):
        if inside_number(text, m.start()):
            continue
        parts = stated(m, issue_year or (issue.year if issue else None))
        if parts is None or someone_elses(text, m, quoted):
            continue
        date = resolve(*parts, issue, precision, issue_year)
        if date is not None:
            return date, "text"
        return fallback  # the activity's own date, but one that cannot be: not another one further on
    return fallback


SENTENCE_END = SENTENCE_ENDS + ASCII_SENTENCE_ENDS + "\n"
LEAD_TAIL = re.compile(r"\s*(?:上午|下午|晚上|晚间|期间|前后|当天|当日)?\s*")  # what may follow a sentence's leading date


def leading_date(text: str, start: int) -> str:
    """The date phrase that leads the sentence an activity starting at `start` is a later clause of
    (「4月15日，兰州铝业召开大会，中州铝业组织学习。」: 4月15日 dates 中州铝业's clause too), as that
    sentence's first clause; "" when the activity starts its sentence or the sentence opens with none."""
    begin = max((text.rfind(ch, 0, start) for ch in SENTENCE_END), default=-1) + 1
    lead = text[begin:start]
    if not lead.strip():
        return ""
    first = re.split(r"[，,]", lead.lstrip(), maxsplit=1)[0]
    m = DATE.match(first)
    return first + "，" if m and m.group(0).strip() and LEAD_TAIL.fullmatch(first[m.end():]) else ""


def activity_date(text: str, start: int, end: int, issue_date: str | None,
                  issue_year: int | None = None) -> tuple[str | None, str]:
    """(ISO date, source) of the activity text[start:end] of an item: its own words' date, else the
    date that leads its sentence (a later clause of a dated sentence), else its issue's."""
    own = event_date(text[start:end], issue_date, issue_year)
    if own[1] == "text":
        return own
    lead = leading_date(text, start)
    return event_date(lead, issue_date, issue_year) if lead else own


def month_day_label(date: str | None) -> str:
    """4月15日, or 4月 for a month; "" for none (a 大事记 entry's date)."""
    when, precision = parse_iso(date)
    if when is None:
        return ""
    return f"{when.month}月{when.day}日" if precision == "day" else f"{when.month}月"
