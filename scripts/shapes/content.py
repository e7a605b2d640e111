"""What each shape prints: the issue (its truth, before page spans), the front matter, and the
style (page, columns, fonts, sizes) it is drawn in. Content starts from make_corpus.synth_issue and
is then modified per shape; every choice comes from a Random seeded by (shape, seed, index, producer)."""
from __future__ import annotations

import copy
import datetime as dt
import json
import os

from .common import REPO, cn_number, fonts_for, check_font, load_make_corpus, rng_for

SHAPES = ("cover", "masthead", "three-column", "figures", "gongwen", "units")

# ---- vocabulary beyond make_corpus ----

MORE_REFLECTIONS = [
    "从“站起来”到“富起来”再到“强起来”，我们党始终坚持人民至上、执政为民。",
    "“不忘初心、牢记使命”不是一句口号，而是要融入日常工作的自觉行动。",
    "作为一名基层党员，要把“我为群众办实事”落实到每一个“小细节”中去。",
    "“绿水青山就是金山银山”，铝工业的绿色转型是我们必须答好的“必答题”。",
    "聆听老党员讲述“半条被子”的故事，深深体会到“鱼水情深”的分量。",
    "读红色家书，感悟信仰的力量，“家”与“国”从来紧密相连，“小家”连着“大家”。",
    "一代代铝业人扎根山区、艰苦创业，用汗水浇灌出今天的“铝城”，这份精神值得我们永远传承。",
]
MORE_QUOTES = [
    ("江山就是人民，人民就是江山，打江山、守江山，守的是人民的心。", "新华社"),
    ("青年一代有理想、有本领、有担当，国家就有前途，民族就有希望。", "人民日报"),
    ("绿水青山就是金山银山，要坚定不移走生态优先、绿色发展之路。", "求是网"),
]
MORE_HEADINGS = ["能力作风建设篇", "安全生产责任篇", "青年建功篇", "基层党建提质篇"]
CAPTIONS = [
    "图为{u}党员在革命纪念馆开展主题党日活动",
    "图为{u}青年志愿者走访慰问困难职工",
    "图为{u}举办党史知识竞赛现场",
    "图为{u}党员突击队在电解车间开展技术攻关",
    "图为{u}组织职工开展安全生产应急演练",
    "图为{u}新党员面向党旗庄严宣誓",
]
TABLE_ACTIVITIES = ["主题党日", "专题党课", "志愿服务", "党史知识竞赛", "“三会一课”集中学习", "红色观影",
                    "技能比武", "安全隐患排查"]

# Units the registry (src/archive/data/units.json) lacks, checked at import time below.
LEGAL_UNITS = ["中铝沈阳有色金属加工有限公司", "中铝稀土（江苏）有限公司", "中铝材料应用研究院有限公司",
               "中铝洛阳铜加工有限公司", "中铝华中铜业有限公司", "中铝广西有色稀土开发有限公司",
               "中铝视拓智能科技有限公司", "中铝昆明铜业有限公司", "中铝青海铝电有限公司",
               "中铝贵州铝镁新材料有限公司", "中铝萨帕特种铝材（重庆）有限公司", "中铝（雄安）矿业有限责任公司"]
SHORT_UNITS = ["中铝青岛轻金属", "中铝东南铜业", "中铝铝箔", "中铝洛阳铜加工", "华中铜业", "云铝阳宗海",
               "中铝江苏稀土", "山东华宇", "中铝西北铝", "中铝招标", "云铝建水", "贵州华仁", "广西华磊",
               "中铝上海碳素", "宁夏宁东铝业", "科技发展部", "数字化转型办公室", "法律合规部", "创新创效中心"]
COMPOUND_PEOPLE = ["司马青", "欧阳晓明", "诸葛文", "上官婉清", "皇甫静", "令狐涛", "东方明月", "慕容雪", "尉迟刚",
                   "公孙亮", "夏侯安", "端木蓉"]
PLAIN_PEOPLE = ["王建国", "李秀英", "张志强", "刘海燕", "陈晓东", "杨桂兰", "赵国庆", "孙丽华", "周建军", "吴敏"]


def _registry():
    with open(os.path.join(REPO, "src", "archive", "data", "units.json"), encoding="utf-8") as fh:
        data = json.load(fh)
    names = set()
    for unit in data["units"]:
        names.add(unit["name"])
        names.update(unit["aliases"])
    return names


def check_unseen():
    known = _registry()
    clash = [u for u in LEGAL_UNITS + SHORT_UNITS if u in known]
    if clash:
        raise SystemExit(f"units meant to be unknown are in the registry: {clash}")


# ---- the calendar of an issue run ----

class Calendar:
    """Dates, numbers and totals of a run of issues: numbers restart each year, totals run on."""

    def __init__(self, rng, start_year):
        self.rng = rng
        self.date = dt.date(start_year, 1, rng.randint(5, 15))
        self.number, self.total = 1, rng.randint(1, 120)

    def take(self, numbers=1):
        """The next issue's (year, number, total, date); it uses up `numbers` numbers (2 for 合刊, 0
        for a supplement, which has none)."""
        out = (self.date.year, self.number if numbers else None, self.total, self.date)
        self.total += max(1, numbers)
        self.number += numbers
        self.date += dt.timedelta(days=self.rng.choice([7, 14, 14, 21, 28]))
        if self.date.year != out[0]:
            self.number = 1
        return out


# ---- issue content ----

def activities_of(text, units_per_sentence):
    sentences = [s + "。" for s in text.split("。") if s]
    assert len(sentences) == len(units_per_sentence), (text, units_per_sentence)
    return [{"units": list(u), "text": s} for u, s in zip(units_per_sentence, sentences)]


def base_issue(mc, rng, year, number, total, date):
    """make_corpus's synthetic issue, with the activity sentences of 践·铝之行 written out."""
    issue = mc.synth_issue(rng, year, number or 1, total, date)
    issue["number"] = number
    for section in issue["sections"]:
        for item in section["items"]:
            if "units" in item:  # synth writes one sentence per unit, in order
                item["activities"] = activities_of(item["text"], [[u] for u in item["units"]])
    return issue


def _figures(rng):
    return {"k": rng.randint(2, 60), "m": rng.choice([20, 35, 50, 80, 120, 150, 300]), "money": rng.randint(20, 900) * 100}


def practice_item(mc, rng, heading, pool, n_sentences, lists=0.25, mid=0.0):
    """An activity report: sentences each opened by one unit or a list of units; with probability
    `mid` a sentence names a second unit after a comma (…，中铝青岛轻金属组织…)."""
    pool = list(pool)
    rng.shuffle(pool)
    sentences, per = [], []
    while len(sentences) < n_sentences and pool:
        k = min(len(pool), rng.choice([2, 3])) if rng.random() < lists else 1
        us = [pool.pop() for _ in range(k)]
        act = rng.choice(mc.ACTIVITIES).format(**_figures(rng))
        text = "、".join(us) + act
        if pool and rng.random() < mid:
            u2 = pool.pop()
            text += "，" + u2 + rng.choice(mc.ACTIVITIES).format(**_figures(rng))
            us = us + [u2]
        sentences.append(text + "。")
        per.append(us)
    text = "".join(sentences)
    units = [u for us in per for u in us]
    return {"heading": heading, "text": text, "units": units, "activities": activities_of(text, per)}


def enlarge(mc, rng, issue, factor):
    """More of everything, for big pages: quotes, reflections, activity headings, signed items, news."""
    sec = {s["title"]: s for s in issue["sections"]}
    units = mc.UNITS[:-3]
    for _ in range(factor):
        t, s = rng.choice(mc.QUOTES + MORE_QUOTES)
        if all(it["text"] != f"{t}（{s}）" for it in sec["学·习之路"]["items"]):
            sec["学·习之路"]["items"].append({"text": f"{t}（{s}）", "source": s})
        sec["思·理之源"]["items"].append({"heading": sec["思·理之源"]["items"][0]["heading"],
                                      "text": rng.choice(MORE_REFLECTIONS) + rng.choice(mc.REFLECTIONS)})
    for heading in rng.sample(MORE_HEADINGS, min(factor, len(MORE_HEADINGS))):
        sec["践·铝之行"]["items"].append(practice_item(mc, rng, heading, units, rng.randint(4, 8)))
    for _ in range(factor * 2):
        u, p = rng.choice(units), rng.choice(mc.PEOPLE)
        sec["悟·心之语"]["items"].append({"text": f"{rng.choice(MORE_REFLECTIONS)}（{u} {p}）", "unit": u, "author": p})
    for _ in range(factor):
        u = rng.choice(units)
        text = rng.choice(mc.ACHIEVEMENTS).format(u=u, a=rng.randint(2, 30), b=rng.randint(2, 40),
                                                  c=rng.randint(50, 900), mo=rng.randint(1, 11))
        sec["开·新之局"]["items"].append({"text": f"{text}（{u}）", "unit": u})
    return issue


def figure_item(rng, unit, heading=None):
    item = {"text": rng.choice(CAPTIONS).format(u=unit), "kind": "caption", "units": [unit],
            "_figure": {"aspect": rng.uniform(0.55, 0.75), "width": rng.choice([1.0, 1.0, 0.9, 0.75]),
                        "align": rng.choice(["center", "center", "left"]), "seed": rng.randrange(10 ** 9)}}
    if heading:
        item["heading"] = heading
    return item


def table_items(mc, rng, heading=None, month=4):
    """An intro paragraph, sometimes a 表N caption above, and the table: ONE item, rows joined by
    "\\n", cells by "\\t", a cell's wrapped lines joined without a space."""
    names = rng.sample(LEGAL_UNITS, rng.randint(1, 3)) + rng.sample(mc.UNITS[:-3], rng.randint(2, 3))
    rng.shuffle(names)
    with_no = rng.random() < 0.4
    header = (["序号"] if with_no else []) + ["单位", rng.choice(["活动", "活动内容", "开展形式"]),
                                              rng.choice(["人数", "参加人数"])]
    rows = [header]
    for i, name in enumerate(names, 1):
        rows.append(([str(i)] if with_no else []) + [name, rng.choice(TABLE_ACTIVITIES), str(rng.randint(12, 260))])
    base = [0.13] if with_no else []
    rest = 1 - sum(base)
    widths = base + [rest * 0.36, rest * 0.4, rest * 0.24]
    items = [{"text": f"{month}月以来，各单位扎实开展党建工作，部分单位活动开展情况如下：", "kind": "paragraph"}]
    if rng.random() < 0.5:
        items.append({"text": f"表{rng.randint(1, 3)} {month}月各单位党建活动开展情况", "kind": "caption"})
    items.append({"text": "\n".join("\t".join(r) for r in rows), "kind": "table", "units": names,
                  "_table": {"rows": rows, "widths": widths}})
    if heading:
        for it in items:
            it["heading"] = heading
    return items


def unseen_units_issue(mc, rng, issue):
    """Units the registry lacks: legal names opening activity sentences, short unknown units in the
    middle of a paragraph, signatures with no space and compound surnames."""
    sec = {s["title"]: s for s in issue["sections"]}
    pool = LEGAL_UNITS + SHORT_UNITS
    sec["践·铝之行"]["items"] = [
        practice_item(mc, rng, h, rng.sample(pool, 10) + rng.sample(mc.UNITS[:-3], 2), rng.randint(4, 7),
                      lists=0.2, mid=0.5)
        for h in ("党史学习教育进行篇", "为群众办实事篇")]
    thoughts = []
    for k in range(rng.randint(4, 7)):
        text = rng.choice(mc.REFLECTIONS + MORE_REFLECTIONS)
        form = k % 4 if k < 4 else rng.randrange(4)
        if form == 0:  # （包头铝业王建国）: a registered unit, no space before the name
            u, p = rng.choice(["包头铝业", "中州铝业", "兰州铝业", "中铝山东"]), rng.choice(PLAIN_PEOPLE)
            sig = f"{u}{p}"
        elif form == 1:  # （中铝东南铜业司马青）: unknown unit, compound surname, no space
            u, p = rng.choice(SHORT_UNITS[:15]), rng.choice(COMPOUND_PEOPLE)
            sig = f"{u}{p}"
        elif form == 2:  # unknown unit, a space, then the name
            u, p = rng.choice(SHORT_UNITS), rng.choice(COMPOUND_PEOPLE + PLAIN_PEOPLE)
            sig = f"{u} {p}"
        else:  # a long legal name, no space
            u, p = rng.choice(LEGAL_UNITS), rng.choice(COMPOUND_PEOPLE + PLAIN_PEOPLE)
            sig = f"{u}{p}"
        thoughts.append({"text": f"{text}（{sig}）", "unit": u, "author": p})
    sec["悟·心之语"]["items"] = thoughts
    news = []
    for u in rng.sample(pool, rng.randint(2, 3)):
        text = rng.choice(mc.ACHIEVEMENTS).format(u=u, a=rng.randint(2, 30), b=rng.randint(2, 40),
                                                  c=rng.randint(50, 900), mo=rng.randint(1, 11))
        news.append({"text": f"{text}（{u}）", "unit": u})
    sec["开·新之局"]["items"] = news
    return issue


# ---- masthead variants ----

MASTHEAD_VARIANTS = ["heji-dash", "heji-dun", "heji-cn", "zengkan", "tekan-total", "zhuankan",
                     "no-total", "month-only", "plain-spaced"]


def date_text(date, rng):
    return rng.choice(["{y}年{m}月{d}日", "{y} 年 {m} 月 {d} 日", "{y}年{m}月{d}日"]).format(
        y=date.year, m=date.month, d=date.day)


def number_line(issue, variant, rng):
    """The printed issue line and how the truth reads it (number, number_end, special, total, id)."""
    y, n, t = issue["year"], issue["number"], issue["total_number"]
    sp = rng.choice(["", " "])
    tot = f"（总第{sp}{t}{sp}期）"
    if variant == "heji-dash":
        return f"{y}{sp}年第{sp}{n}-{n + 1}{sp}期" + (tot if rng.random() < 0.5 else "")
    if variant == "heji-dun":
        return f"{y}{sp}年第{sp}{n}、{n + 1}{sp}期" + (tot if rng.random() < 0.5 else "")
    if variant == "heji-cn":
        return f"{y}年第{cn_number(n)}、{cn_number(n + 1)}期" + (tot if rng.random() < 0.5 else "")
    if variant == "zengkan":
        return f"{y}年增刊"
    if variant == "tekan-total":
        return f"{y}年特刊{tot}"
    if variant == "zhuankan":
        return f"{y}年专刊"
    if variant == "no-total":
        return f"{y}{sp}年第{sp}{n}{sp}期"
    return f"{y}{sp}年第{sp}{n}{sp}期{tot}"


# ---- styles ----

PAGE_A4 = (210, 297)


def pick_style(shape, producer, rng, font=None, n_front=0):
    """Geometry, fonts and sizes for one issue. Sizes in pt, lengths in mm."""
    body_fonts = fonts_for(producer)
    hei = fonts_for(producer, "hei")
    song = fonts_for(producer, "song")
    kai = fonts_for(producer, "kai")
    st = {
        "page": PAGE_A4, "margins": (25, 25, 25, 25), "columns": 1, "gutter": 8, "col_rule": False,
        "fonts": {"body": rng.choice(body_fonts), "title": rng.choice(hei + song), "heading": rng.choice(hei),
                  "masthead": rng.choice(song + hei), "quote": None, "caption": None},
        "body": 14, "leading": 25, "section": 18, "heading": 15, "caption": 11, "masthead": 36, "number": 14,
        "align": "justify", "indent": 2, "para_after": 3, "title_style": rng.choice(["plain", "plain", "rules"]),
        "title_spacing": rng.choice([0, 0.25, 0.5]),
        "header": None, "footer": None, "span_min": 13.5,
    }
    if producer == "libreoffice":
        st["margins"] = (25.4, 31.7, 25.4, 31.7)
    if rng.random() < 0.5:  # Chromium's header template prints on every page
        st["header"] = {"align": rng.choice(["center", "left"]),
                        "pages": "all" if producer == "chromium" else rng.choice(["all", "not_first"])}
    if rng.random() < 0.7:
        st["footer"] = {"pattern": rng.choice(["— {n} —", "- {n} -", "第 {n} 页", "{n}"]), "offset": 0}
    if shape in ("masthead", "units", "cover", "figures") and rng.random() < 0.35:
        two_col(st, rng)
    if shape == "three-column":
        st["page"], st["columns"] = rng.choice([((297, 420), 4), ((297, 420), 3), ((297, 210), 3),
                                                ((257, 364), 3), ((297, 210), 4)])
        m = rng.choice([12, 15, 18])
        st["margins"] = (m + rng.choice([0, 4]), m, m + 2, m)
        st["gutter"] = rng.choice([4, 5, 6, 8, 10])
        st["col_rule"] = rng.random() < 0.4 and producer != "chromium" or (producer == "chromium" and rng.random() < 0.3)
        st["body"] = rng.choice([9.5, 10, 10.5, 11])
        st["leading"] = round(st["body"] * rng.uniform(1.45, 1.75), 1)
        st["heading"] = rng.choice([11.5, 12, 13])
        st["section"] = rng.choice([16, 18, 20, 22])
        st["masthead"] = rng.choice([44, 52, 60]) if st["page"][1] > 300 else rng.choice([34, 40])
        st["number"] = 14
        st["caption"] = rng.choice([8.5, 9, 9.5])
        st["title_style"] = rng.choice(["banner", "rules", "plain"])
    if shape == "gongwen":  # GB/T 9704 look: 16 pt on a fixed 28 pt line, ragged right
        st["margins"] = (37, 26, 35, 28)
        st["fonts"].update(body=rng.choice(song), heading=rng.choice(hei), title=rng.choice(hei),
                           quote=rng.choice(kai), masthead=rng.choice(song))
        if producer != "reportlab":
            st["fonts"]["quote"] = rng.choice(kai + ["AR PL KaitiM GB"])
        st.update(body=16, leading=28, section=16, heading=16, align="left", para_after=0, masthead=rng.choice([26, 30]),
                  number=16, title_style="plain", title_spacing=rng.choice([0, 0, 0.25]))
        st["header"] = {"align": rng.choice(["center", "left"]), "pages": "all"}
        st["footer"] = {"pattern": "— {n} —", "offset": 0}
        st["title_align"] = rng.choice(["center", "left"])
        st["span_min"] = 99
    if shape == "figures" and producer == "libreoffice":  # Writer 7.4 breaks tables in column sections
        st["columns"] = 1
        st.update(body=rng.choice([12, 14]), heading=15, section=18)
        st["leading"] = round(st["body"] * 1.75, 1)
    if shape == "figures":
        st["caption"] = rng.choice([9, 10, 10.5]) if st["columns"] > 1 else rng.choice([10.5, 11, 12])
    if st["header"] and st["margins"][0] < 18:  # room for the running header above the body
        st["margins"] = (18,) + tuple(st["margins"][1:])
    if st["footer"] and n_front:  # printed folios either count the front matter or start at the masthead
        st["footer"]["offset"] = n_front if producer == "chromium" or rng.random() < 0.5 else 0
    if font:
        check_font(producer, font)
        st["fonts"]["body"] = font
    st["fonts"]["quote"] = st["fonts"]["quote"] or st["fonts"]["body"]
    st["fonts"]["caption"] = st["fonts"]["caption"] or rng.choice([st["fonts"]["body"], st["fonts"]["heading"]])
    if st["columns"] > 1:
        assert max(st["body"], st["heading"], st["caption"]) < st["span_min"] <= min(st["section"], st["number"])
    return st


def two_col(st, rng):
    st["columns"], st["gutter"] = 2, rng.choice([6, 8, 10])
    st["body"], st["heading"], st["section"] = rng.choice([10.5, 11, 12]), 12.5, rng.choice([15, 16, 18])
    st["leading"] = round(st["body"] * rng.uniform(1.5, 1.8), 1)
    st["caption"] = 9.5
    st["col_rule"] = rng.random() < 0.3


# ---- one issue of a shape ----

def synth_shape(shape, count, seed, start_year, producer, font=None):
    """[(issue, front, style)]: the truth without page spans (items may carry private "_figure" /
    "_table" render data), the front-matter pages, and the style."""
    check_unseen()
    mc = load_make_corpus()
    cal = Calendar(rng_for(shape, seed, "calendar"), start_year)
    order = rng_for(shape, seed, "order")
    variants = list(MASTHEAD_VARIANTS)
    order.shuffle(variants)
    fronts = [["cover"], ["blank"], ["toc"], ["cover", "toc"], ["blank", "toc"], ["cover", "blank", "toc"],
              ["cover", "blank"]]
    order.shuffle(fronts)
    out = []
    for i in range(count):
        rng = rng_for(shape, seed, i, producer)
        variant = variants[i % len(variants)] if shape == "masthead" else None
        numbers = 2 if variant and variant.startswith("heji") else 0 if variant in ("zengkan", "tekan-total", "zhuankan") else 1
        year, number, total, date = cal.take(numbers)
        issue = base_issue(mc, rng, year, number, total, date)
        front = fronts[i % len(fronts)] if shape == "cover" else []
        style = pick_style(shape, producer, rng, font, n_front=len(front))
        print_mast = {"number_line": f"{year}{rng.choice(['', ' '])}年第{number}期（总第{total}期）",
                      "date_line": date_text(date, rng)}
        if shape == "masthead":
            masthead_variant(issue, variant, rng, print_mast)
        elif shape == "three-column":
            enlarge(mc, rng, issue, 2 if style["page"][1] > 300 else 1)
            add_pictures(rng, issue, rng.randint(1, 2), kinds=True)
        elif shape == "figures":
            add_pictures(rng, issue, rng.randint(1, 3), kinds=True)
            add_tables(mc, rng, issue, rng.randint(1, 2), date.month)
        elif shape == "gongwen":
            gongwen_content(mc, rng, issue)
        elif shape == "units":
            unseen_units_issue(mc, rng, issue)
        elif shape == "cover":
            issue["_cover_line"] = f"{year}年第{number}期"
        issue["_print"] = print_mast
        if style["header"]:
            short = print_mast["number_line"].split("（")[0]
            style["header"]["text"] = rng.choice([issue["publication"], f"{issue['publication']}　{short}"])
        issue["id"] = issue_id(issue)
        out.append((issue, front, style))
    return out


def issue_id(issue):
    if issue["number"] is None:
        d = dt.date.fromisoformat(issue["date"]) if len(issue["date"]) == 10 else None
        return f"{issue['year']}-zk-{d.month:02d}{d.day:02d}"
    return f"{issue['year']}-{issue['number']:03d}"


def masthead_variant(issue, variant, rng, print_mast):
    issue["number_end"], issue["special"] = None, None
    print_mast["number_line"] = number_line(issue, variant, rng)
    if variant.startswith("heji"):
        issue["number_end"] = issue["number"] + 1
        if "总第" not in print_mast["number_line"]:
            issue["total_number"] = None
    elif variant in ("zengkan", "zhuankan"):
        issue["special"] = "增刊" if variant == "zengkan" else "专刊"
        issue["total_number"] = None
    elif variant == "tekan-total":
        issue["special"] = "特刊"
    elif variant == "no-total":
        issue["total_number"] = None
    elif variant == "month-only":
        d = dt.date.fromisoformat(issue["date"])
        issue["date"] = f"{d.year}-{d.month:02d}"
        print_mast["date_line"] = f"{d.year}{rng.choice(['', ' '])}年{d.month}月"
        if rng.random() < 0.5:
            issue["total_number"] = None
            print_mast["number_line"] = f"{issue['year']}年第{issue['number']}期"
    issue["_variant"] = variant


def add_pictures(rng, issue, n, kinds=False):
    """Photos with a caption line under each (the caption an item of kind "caption"), placed after
    items that name a unit; every item gets a "kind"."""
    candidates = []
    for s_i, section in enumerate(issue["sections"]):
        for i_i, item in enumerate(section["items"]):
            unit = item.get("unit") or (item.get("units") or [None])[0]
            if unit and section["title"] in ("践·铝之行", "开·新之局", "悟·心之语"):
                candidates.append((s_i, i_i, unit))
    picks = sorted(rng.sample(candidates, min(n, len(candidates))), reverse=True)
    for s_i, i_i, unit in picks:
        items = issue["sections"][s_i]["items"]
        items.insert(i_i + 1, figure_item(rng, unit, items[i_i].get("heading")))
    if kinds:
        for section in issue["sections"]:
            for item in section["items"]:
                item.setdefault("kind", "paragraph")


def add_tables(mc, rng, issue, n, month):
    sections = [s for s in issue["sections"] if s["title"] in ("践·铝之行", "开·新之局")]
    for section in rng.sample(sections, min(n, len(sections))):
        at = rng.randint(1, len(section["items"]))
        heading = section["items"][at - 1].get("heading")
        section["items"][at:at] = table_items(mc, rng, heading, month)


def gongwen_content(mc, rng, issue):
    """Reflections with quoted words (a ragged line may end early before an opening quote “)."""
    sec = {s["title"]: s for s in issue["sections"]}
    for item in sec["悟·心之语"]["items"][:3]:
        sig = item["text"][item["text"].rindex("（"):]
        item["text"] = rng.choice(MORE_REFLECTIONS) + sig
    sec["思·理之源"]["items"][0]["text"] = (rng.choice(mc.REFLECTIONS[4:5] + MORE_REFLECTIONS[:3]) +
                                          rng.choice(MORE_REFLECTIONS[3:]) + sec["思·理之源"]["items"][0]["text"])


def truth_of(issue):
    """The truth file's issue: without the private render data."""
    t = copy.deepcopy(issue)
    for key in [k for k in t if k.startswith("_")]:
        del t[key]
    for section in t["sections"]:
        for item in section["items"]:
            for key in [k for k in item if k.startswith("_")]:
                del item[key]
    return t
