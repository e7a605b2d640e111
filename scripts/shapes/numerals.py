"""The numerals shape: mastheads that print their numbers and dates in Chinese numerals or full-width
digits, and issues whose date is printed only in the 公文 版记's 印发 line.

Every issue draws one choice of each (all seeded by (seed, index)):
  - the year: Chinese digits with a zero form (〇 U+3007, ○ U+25CB, the letter O or o, 零), full-width
    (２０２４), or ASCII; the issue number and the total: counted Chinese numerals (十, 十九, 二十一,
    一百零八), full-width or ASCII, each chosen on its own (so a line may mix forms);
  - a combined issue (合刊, one in four): 第十一、十二期, 第十一—十二期, 第十一至十二期, 第１１－１２期,
    第11期、第12期, with a total or a total range (总第八十一、八十二期: total_number is the first);
  - where the date is: on the masthead row beside the publisher (in any of the forms above, or the
    month only: 二〇一一年三月), or only in the 版记's last row 「中铝股份党委党群工作部　　2011年3月15日印发」
    (left and right cells; between the 版记's rules or under them) with the masthead printing the
    publisher alone (left or centred) or no publisher line at all (then the publisher is the 版记's);
  - the 版记: the bulletin's (本期信息采集时间, 发放, 抄送) or a 公文 one (抄送 only; no collection
    period).
Truth: year, number, number_end, special (null), total_number, date (ISO, or YYYY-MM), publisher as
printed (the masthead's, else the 版记's), collection_period; sections and items from make_corpus."""
from __future__ import annotations

import datetime as dt

from .common import CN_DIGITS, load_make_corpus, rng_for
from .content import base_issue, issue_id, pick_style

ZEROS = ["〇", "○", "O", "o", "零"]
FULL = str.maketrans("0123456789", "０１２３４５６７８９")
ORGANS = ["党群工作部", "中铝股份党委党群工作部", "中铝股份党群工作部", "中国铝业股份有限公司党群工作部"]
RANGES = ["、", "—", "至", "-", "－"]


def cn_count(n: int) -> str:
    """A counted number in Chinese: 10 十, 19 十九, 21 二十一, 108 一百零八, 112 一百一十二, 200 二百."""
    if n < 10:
        return CN_DIGITS[n] if n else "〇"
    if n < 20:
        return "十" + (CN_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return CN_DIGITS[tens] + "十" + (CN_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return CN_DIGITS[hundreds] + "百"
    if rest < 10:
        return CN_DIGITS[hundreds] + "百零" + CN_DIGITS[rest]
    return CN_DIGITS[hundreds] + "百" + CN_DIGITS[rest // 10] + "十" + (CN_DIGITS[rest % 10] if rest % 10 else "")


def cn_digits(n: int, zero: str) -> str:
    """A year digit by digit: 2009 with 〇 → 二〇〇九."""
    return "".join(zero if d == "0" else CN_DIGITS[int(d)] for d in str(n))


def form_number(n: int, form: str) -> str:
    return {"cn": cn_count(n), "full": str(n).translate(FULL), "ascii": str(n)}[form]


def form_year(y: int, form: str, zero: str) -> str:
    return {"cn": cn_digits(y, zero), "full": str(y).translate(FULL), "ascii": str(y)}[form]


def form_date(d: dt.date, form: str, zero: str, month_only=False) -> str:
    y = form_year(d.year, form, zero)
    if form == "cn":
        return f"{y}年{cn_count(d.month)}月" + ("" if month_only else f"{cn_count(d.day)}日")
    m, day = form_number(d.month, form), form_number(d.day, form)
    return f"{y}年{m}月" + ("" if month_only else f"{day}日")


class Calendar:
    """Numbers restart each year and may run past 20; totals run on past 100."""

    def __init__(self, rng, start_year):
        self.rng = rng
        self.date = dt.date(start_year, rng.randint(1, 9), rng.randint(1, 28))
        self.number, self.total = rng.randint(8, 22), rng.randint(60, 140)

    def take(self, numbers):
        out = (self.date.year, self.number, self.total, self.date)
        self.total += numbers
        self.number += numbers
        self.date += dt.timedelta(days=self.rng.choice([7, 10, 14]))
        if self.date.year != out[0]:
            self.number = 1
        return out


def number_line(rng, year, number, end, total, total_range):
    """The printed number line, its forms chosen one by one."""
    forms = ["cn", "cn", "full", "ascii"]
    year_form = rng.choice(["cn", "cn", "cn", "full", "ascii"])
    zero = rng.choice(ZEROS)
    num_form = "cn" if year_form == "cn" and rng.random() < 0.7 else rng.choice(forms)
    text = f"{form_year(year, year_form, zero)}年"
    if end is None:
        text += f"第{form_number(number, num_form)}期"
    elif rng.random() < 0.2:
        text += f"第{form_number(number, num_form)}期、第{form_number(end, num_form)}期"
    else:
        text += f"第{form_number(number, num_form)}{rng.choice(RANGES)}{form_number(end, num_form)}期"
        if rng.random() < 0.3:
            text += "合刊"
    if total is not None:
        tot_form = num_form if rng.random() < 0.6 else rng.choice(forms)
        tot = form_number(total, tot_form)
        if total_range:
            tot += rng.choice(["、", "-"]) + form_number(total + 1, tot_form)
        text += rng.choice(["（总第{}期）", "(总第{}期)", "　总第{}期"]).format(tot)
    return text, year_form, zero


def masthead_print(rng, issue, date, combined):
    """What the masthead and the 版记 print, and the truth they give: sets issue["_print"], and the
    issue's date, publisher and collection_period as a reader reads them."""
    total_range = combined and rng.random() < 0.4
    total = issue["total_number"] if rng.random() < 0.8 else None
    line, year_form, zero = number_line(rng, issue["year"], issue["number"], issue["number_end"], total, total_range)
    issue["total_number"] = total
    date_form = year_form if rng.random() < 0.7 else rng.choice(["cn", "full", "ascii"])
    organ = rng.choice(ORGANS)
    where = rng.choice(["row", "row", "imprint-left", "imprint-center", "imprint-none", "month"])
    pr = {"number_line": line, "left": organ, "date_line": "", "align": "split"}
    issue["publisher"] = organ
    issue["date"] = date.isoformat()
    if where in ("row", "month"):
        pr["date_line"] = form_date(date, date_form, zero, month_only=where == "month")
        if where == "month":
            issue["date"] = date.isoformat()[:7]
    elif where == "imprint-center":
        pr["align"] = "center"
    elif where == "imprint-none":
        pr["left"] = ""
    if where.startswith("imprint") or rng.random() < 0.3:
        left = organ if where != "imprint-none" and rng.random() < 0.6 else rng.choice(ORGANS)
        pr["imprint"] = {"left": left, "right": form_date(date, rng.choice([date_form, "ascii"]), zero) + "印发",
                         "rules": rng.random() < 0.6}
        if where == "imprint-none":
            issue["publisher"] = left
    if rng.random() < 0.3:  # a 公文 版记: 抄送 only, no collection period
        pr["end_lines"] = ["", f"抄送：{issue['cc']}"]
        issue["collection_period"] = None
    issue["_print"] = pr
    issue["_where"] = where


def synth_numerals(count, seed, start_year, producer, font=None, one_column=False):
    """[(issue, front, style)] as content.synth_shape gives them, for the numerals shape (one_column:
    for a producer that sets no columns)."""
    mc = load_make_corpus()
    cal = Calendar(rng_for("numerals", seed, "calendar"), start_year)
    out = []
    for i in range(count):
        rng = rng_for("numerals", seed, i, producer)
        combined = rng.random() < 0.25
        year, number, total, date = cal.take(2 if combined else 1)
        issue = base_issue(mc, rng, year, number, total, date)
        issue["number_end"] = number + 1 if combined else None
        issue["special"] = None
        style = pick_style("masthead", producer, rng, font)
        if one_column:
            style["columns"] = 1
        masthead_print(rng, issue, date, combined)
        if style["header"]:
            style["header"]["text"] = issue["publication"]
        issue["id"] = issue_id(issue)
        out.append((issue, [], style))
    return out
