"""What scripts/make_dated_corpus.py writes activities from: activity phrases with the topics a
careful editor would tag them with, and date phrases with the event date they state.

Labels are given by meaning, not by the shipped vocabulary's keywords: a phrase about a campaign
that names none of its words (「重温党的百年奋斗历程」) is labelled with it all the same (the tagger
is expected to miss some of these), and a phrase that holds a keyword without being about the
topic (「全民国家安全教育日」, 「网络安全」, 「帮扶困难职工」) is labelled without it."""
from __future__ import annotations

import datetime as dt

DSXX, BWCX, XXSX = "党史学习教育", "不忘初心、牢记使命主题教育", "学习贯彻习近平新时代中国特色社会主义思想主题教育"
LXYZ, SYSS, QZLX = "两学一做", "三严三实", "党的群众路线教育实践活动"
AQ, YQ, JY, XC, LJ, HG = "安全生产", "疫情防控", "精益管理", "乡村振兴", "廉洁从业", "合规管理"

# (phrase, topics, years it may be printed in: None = any)
PHRASES = [
    ("举办党史知识竞赛，{k}支代表队参赛", [DSXX], (2021, 2022)),
    ("开展“我为群众办实事”实践活动，为职工解决急难愁盼问题{k}件", [DSXX], (2021, 2022)),
    ("组织党员赴革命纪念馆开展党史学习教育现场教学", [DSXX], (2021, 2022)),
    ("召开党史学习教育专题民主生活会", [DSXX], (2021, 2022)),
    ("邀请老党员讲述百年党史中的感人故事", [DSXX], (2021, 2022)),
    ("组织观看庆祝建党100周年文艺演出", [DSXX], (2021, 2021)),
    ("开展“学党史、悟思想”读书分享会", [DSXX], (2021, 2022)),
    ("组织党员赴延安开展红色教育，重温党的百年奋斗历程", [DSXX], (2021, 2021)),  # no keyword: a miss
    ("召开“不忘初心、牢记使命”主题教育动员部署会", [BWCX], (2019, 2020)),
    ("围绕“守初心、担使命、找差距、抓落实”开展专题研讨", [BWCX], (2019, 2020)),
    ("开展主题教育专题调研，形成调研报告{k}篇", [BWCX], (2019, 2020)),
    ("召开学习贯彻习近平新时代中国特色社会主义思想主题教育读书班", [XXSX], (2023, 2024)),
    ("围绕“以学铸魂、以学增智、以学正风、以学促干”开展专题研讨", [XXSX], (2023, 2024)),
    ("深入开展主题教育，大兴调查研究，形成调研报告{k}篇", [XXSX], (2023, 2024)),
    ("推进“两学一做”学习教育常态化制度化", [LXYZ], (2016, 2018)),
    ("组织党员学党章党规、学系列讲话，争做合格党员", [LXYZ], (2016, 2018)),
    ("召开“三严三实”专题民主生活会", [SYSS], (2015, 2016)),
    ("围绕严以修身、严以用权、严以律己开展专题学习研讨", [SYSS], (2015, 2016)),
    ("召开党的群众路线教育实践活动专题民主生活会", [QZLX], (2014, 2014)),
    ("聚焦反对“四风”开展自查自纠，整改问题{k}项", [QZLX], (2014, 2014)),
    ("开展安全生产大检查，排查整改隐患{m}处", [AQ], None),
    ("组织“安全生产月”应急演练", [AQ], None),
    ("开展反违章专项整治，查处违章行为{k}起", [AQ], None),
    ("举办安全知识竞赛，{k}个班组参赛", [AQ], None),
    ("组织员工进行消防演练", [AQ], None),
    ("召开安全环保工作例会，部署隐患治理工作", [AQ], None),
    ("组织开展高温作业防暑降温专项检查", [AQ], None),  # no keyword: a miss
    ("组织党员志愿者协助社区开展核酸检测", [YQ], (2020, 2022)),
    ("落实常态化疫情防控措施，做好职工健康监测", [YQ], (2020, 2022)),
    ("组织职工分批接种新冠疫苗", [YQ], (2021, 2022)),
    ("安排职工居家办公，减少人员聚集", [YQ], (2022, 2022)),  # no keyword: a miss
    ("推进精益管理，完成降本增效项目{k}个", [JY], None),
    ("开展精益改善提案活动，收集合理化建议{m}条", [JY], None),
    ("组织对标一流管理提升行动专题培训", [JY], None),
    ("赴定点帮扶村开展消费帮扶，采购农产品{money}元", [XC], None),
    ("选派驻村第一书记，助力乡村振兴", [XC], (2021, 2024)),
    ("开展扶贫助农志愿服务，帮助农户销售农产品{m}余斤", [XC], None),
    ("组织党员干部参观廉政教育基地，接受警示教育", [LJ], None),
    ("开展“纪律教育学习月”活动", [LJ], None),
    ("召开党风廉政建设工作会议，签订廉洁从业承诺书{m}份", [LJ], None),
    ("开展合规管理专题培训", [HG], None),
    ("组织“法律进企业”普法宣传活动", [HG], None),
    ("推进依法治企，修订完善管理制度{k}项", [HG], None),
    ("组织青年员工开展技能比武，评选出岗位能手{k}名", [], None),
    ("为病困职工捐款{money}元", [], None),
    ("举行入党宣誓仪式，{k}名预备党员面向党旗庄严宣誓", [], None),
    ("推进ERP系统上线，实现物资采购全流程线上审批", [], None),
    ("组织QC小组活动成果发布，{k}项成果获奖", [], None),
    ("开展“三八”妇女节系列活动", [], None),
    ("举办职工乒乓球比赛", [], None),
    ("召开年度工作会议，部署重点任务", [], None),
    ("开展全民国家安全教育日宣传活动", [], None),  # holds 安全教育, is no 安全生产
    ("组织网络安全知识培训", [], None),
    ("开展食品安全检查", [], None),
    ("组织职工学习党章", [], None),
    ("举办“初心如磐”主题演讲比赛", [], None),
    ("开展帮扶困难职工送温暖活动", [], None),
    ("组织职工参观厂史馆，了解企业发展史", [], None),
    ("开展党史学习，重温入党誓词", [], (2016, 2018)),  # 党史 before the campaign's years
]

# headings an activity paragraph may stand under: (heading, topics it gives its activities, years)
HEADINGS = [
    ("基层动态", [], None),
    ("党建工作动态", [], None),
    ("为群众办实事篇", [], None),
    ("党史学习教育进行篇", [DSXX], (2021, 2022)),
    ("“安全生产月”活动专题", [AQ], None),
]


def fits(years, year: int) -> bool:
    return years is None or years[0] <= year <= years[1]


def md(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


CN_NUM = "〇一二三四五六七八九十"


def cn(n: int) -> str:
    """1..31 in Chinese numerals (十五, 二十一)."""
    if n <= 10:
        return "十" if n == 10 else CN_NUM[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUM[tens]) + "十" + (CN_NUM[ones] if ones else "")


def dated(rng, issue: dt.date, day: dt.date, unit: str, phrase: str) -> tuple[str, str, str]:
    """An activity sentence of `unit` doing `phrase` on `day`, with one of the ways a bulletin dates
    (or does not date) it: (sentence, event date in ISO, "text" or "issue")."""
    way = rng.choice(["day_lead", "day_lead", "day_in", "day_in", "range", "range_cross", "part", "month",
                      "year", "cn", "spaced", "full_width", "as_of", "two_dates", "vague", "vague", "none", "none",
                      "speech", "plan"])
    iso_day = day.isoformat()
    month_iso = f"{day.year:04d}-{day.month:02d}"
    if way == "day_lead":
        return f"{md(day)}，{unit}{phrase}。", iso_day, "text"
    if way == "day_in":
        return f"{unit}于{md(day)}{phrase}。", iso_day, "text"
    if way == "range":
        end = min(issue, day + dt.timedelta(days=rng.randint(1, 3)))
        if end.month != day.month or end == day:
            return f"{md(day)}，{unit}{phrase}。", iso_day, "text"
        joiner = rng.choice(["至", "—", "-"])
        return f"{day.month}月{day.day}{joiner}{end.day}日，{unit}{phrase}。", iso_day, "text"
    if way == "range_cross":
        end = min(issue, day + dt.timedelta(days=rng.randint(1, 6)))
        return f"{md(day)}至{md(end)}，{unit}{phrase}。", iso_day, "text"
    if way == "part":
        part = "上旬" if day.day <= 10 else "中旬" if day.day <= 20 else "下旬"
        part = rng.choice([part, "初" if day.day <= 5 else part, "底" if day.day >= 25 else part])
        return f"{day.month}月{part}，{unit}{phrase}。", month_iso, "text"
    if way == "month":
        lead = rng.choice([f"{day.month}月份，{unit}", f"{unit}在{day.month}月", f"{day.month}月以来，{unit}"])
        return f"{lead}{phrase}。", month_iso, "text"
    if way == "year":
        return f"{day.year}年{md(day)}，{unit}{phrase}。", iso_day, "text"
    if way == "cn":
        return f"{cn(day.month)}月{cn(day.day)}日，{unit}{phrase}。", iso_day, "text"
    if way == "spaced":  # Latin digits set apart from the ideographs, as a word processor may print them
        return f"{day.month} 月 {day.day} 日，{unit}{phrase}。", iso_day, "text"
    if way == "full_width":
        wide = str.maketrans("0123456789", "０１２３４５６７８９")
        return f"{str(day.month).translate(wide)}月{str(day.day).translate(wide)}日，{unit}{phrase}。", iso_day, "text"
    if way == "as_of":
        return f"截至{day.month}月底，{unit}{phrase}。", month_iso, "text"
    if way == "two_dates":  # two things done: the first one's date is the activity's
        later = min(issue, day + dt.timedelta(days=rng.randint(1, 5)))
        return f"{md(day)}，{unit}{phrase}；{md(later)}，又召开总结会。", iso_day, "text"
    if way == "vague":
        lead = rng.choice([f"近日，{unit}", f"日前，{unit}", f"{unit}近期", f"前不久，{unit}"])
        return f"{lead}{phrase}。", issue.isoformat(), "issue"
    if way == "speech":  # a date someone spoke on: no date of the activity's own
        spoken = issue - dt.timedelta(days=rng.randint(20, 200))
        return (f"{unit}组织党员干部学习习近平总书记{md(spoken)}在{rng.choice(['全国两院院士大会', '企业家座谈会', '庆祝大会'])}"
                f"上的重要讲话精神，{phrase}。", issue.isoformat(), "issue")
    if way == "plan":  # a deadline to come after the activity, which is dated or not
        due = issue + dt.timedelta(days=rng.randint(20, 90))
        if rng.random() < 0.5:
            return f"{md(day)}，{unit}{phrase}，计划于{due.month}月底前完成全部整改。", iso_day, "text"
        return f"{unit}{phrase}，确保{due.month}月{due.day}日前全部完成。", issue.isoformat(), "issue"
    return f"{unit}{phrase}。", issue.isoformat(), "issue"


def activity(rng, issue: dt.date, unit: str, heading_topics: list[str]) -> dict:
    """One activity with its truth: text, units, date, date_source, topics."""
    day = issue - dt.timedelta(days=rng.randint(1, 45))  # up to 45 days before the issue (over New Year too)
    choices = [p for p in PHRASES if fits(p[2], day.year)]  # a campaign's phrase in its own years
    phrase, topics, _ = rng.choice(choices)
    phrase = phrase.format(k=rng.randint(2, 60), m=rng.choice([20, 35, 50, 80, 120, 150, 300]),
                           money=rng.randint(20, 900) * 100)
    text, date, source = dated(rng, issue, day, unit, phrase)
    labels = [t for t in dict.fromkeys(heading_topics + topics)]
    return {"units": [unit], "text": text, "date": date, "date_source": source, "topics": labels,
            "issue_date": issue.isoformat()}


def shared(rng, issue: dt.date, units: list[str], heading_topics: list[str]) -> list[dict]:
    """Two units' activities in one sentence its date leads (「4月15日，兰州铝业召开大会，中州铝业组织
    学习。」): the second clause is dated by the sentence's lead, as the first is. Each activity's
    truth carries its "context", the words of its sentence before it."""
    day = issue - dt.timedelta(days=rng.randint(1, 45))
    choices = [p for p in PHRASES if fits(p[2], day.year) and "，" not in p[0]]
    (a, ta, _), (b, tb, _) = rng.sample(choices, 2)
    figures = dict(k=rng.randint(2, 60), m=rng.choice([20, 35, 50, 80]), money=rng.randint(20, 900) * 100)
    lead = rng.choice([f"{md(day)}，", f"{md(day)}上午，", f"{day.month}月{day.day}日至{min(issue, day + dt.timedelta(days=1)).day}日，"
                       if day.month == min(issue, day + dt.timedelta(days=1)).month else f"{md(day)}，"])
    first = f"{lead}{units[0]}{a.format(**figures)}"
    second = f"{units[1]}{b.format(**figures)}。"
    common = {"date": day.isoformat(), "date_source": "text", "issue_date": issue.isoformat()}
    return [{**common, "units": [units[0]], "text": first, "context": "",
             "topics": list(dict.fromkeys(heading_topics + ta)), "joiner": "，"},
            {**common, "units": [units[1]], "text": second, "context": first + "，",
             "topics": list(dict.fromkeys(heading_topics + tb))}]
