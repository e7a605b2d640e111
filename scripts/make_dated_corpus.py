#!/usr/bin/env python3
"""Issues whose activity paragraphs date (or do not date) each unit's activity, and say what it is
about, with the truth of both: for the event dates (store/event_dates.py) and the topics
(store/topics.py) of issue 25.

    .venv/bin/python scripts/make_dated_corpus.py render 30 out/dated --seed 25     # PDFs + truth
    .venv/bin/python scripts/make_dated_corpus.py render 20 out/dated-2col --seed 26 --layout two-column
    .venv/bin/python scripts/make_dated_corpus.py sample 400 tests/fixtures/chronicle/activities.json --seed 7
    .venv/bin/python scripts/make_dated_corpus.py fixture tests/fixtures/chronicle   # two issues, one event twice

`render` writes OUT/<id>.pdf and OUT/<id>.truth.json through ../shared/corpus/make_corpus.py (its
issue shape, masthead and layout; its 践·铝之行 section replaced by paragraphs of dated
activities); each such item's truth carries "activity_truth": [{units, text, date, date_source,
topics}]. Issue dates run over 2014–2024, a third of them in the first half of January, so that a
December day is printed in a January issue. `sample` writes the activities alone (with each one's
issue date), the labelled sample the tests read. The phrases and their labels are in
scripts/chronicle_content.py. Score a rendered set with scripts/eval_chronicle.py."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

from benchlib import SHARED

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chronicle_content import HEADINGS, activity, fits, shared  # noqa: E402

sys.path.insert(0, str(SHARED / "corpus"))
UNITS = ["中州铝业", "抚顺铝业", "广西华昇", "遵义铝业", "青海分公司", "兰州铝业", "中铝矿业", "山西中润",
         "宁夏能源", "贵州华锦", "云铝涌鑫", "广西分公司", "中铝香港", "云铝文山", "山西新材料",
         "分析检测中心", "中铝山东", "中铝物资", "包头铝业", "连城分公司", "重庆分公司", "贵州分公司",
         "山西分公司", "华西铝业", "中铝瑞闽", "西南铝业", "东北轻合金", "郑州研究院", "云南铝业", "中铝碳素"]


def issue_dates(rng: random.Random, n: int) -> list[dt.date]:
    """n issue dates over 2014–2024, a third in January's first half, none twice."""
    out: set[dt.date] = set()
    while len(out) < n:
        year = rng.randint(2014, 2024)
        if rng.random() < 0.34:
            out.add(dt.date(year, 1, rng.randint(2, 15)))
        else:
            out.add(dt.date(year, rng.randint(1, 12), 1) + dt.timedelta(days=rng.randint(0, 27)))
    return sorted(out)


def paragraphs(rng: random.Random, issue: dt.date, count: int = 2) -> list[dict]:
    """Activity paragraphs (items) of an issue, each under a heading, with their activities' truth."""
    items = []
    headings = [h for h in HEADINGS if fits(h[2], issue.year)]
    for heading, topics, _ in rng.sample(headings, min(count, len(headings))):
        units = rng.sample(UNITS, rng.randint(4, 7))
        acts = shared(rng, issue, units[:2], topics) if rng.random() < 0.3 else []
        acts += [activity(rng, issue, u, topics) for u in units[len(acts):]]
        items.append({"heading": heading, "text": "".join(a["text"] + a.pop("joiner", "") for a in acts),
                      "units": [a["units"][0] for a in acts], "activity_truth": acts})
    return items


def issues(n: int, seed: int):
    import make_corpus as mc
    rng = random.Random(seed)
    numbers: dict[int, int] = {}
    for total, date in enumerate(issue_dates(rng, n), 1):
        numbers[date.year] = numbers.get(date.year, 0) + 1
        issue = mc.synth_issue(rng, date.year, numbers[date.year], total, date)
        for section in issue["sections"]:
            if section["title"] == "践·铝之行":
                section["items"] = paragraphs(rng, date)
        yield issue


# Two issues reporting one event twice (the second time in other words, nearly the same), with a
# December day in a January issue, a month, a vague date and a speech's date: tests/fixtures/chronicle.
FIXTURE = [
    ("2021-01-10", 1, [("党史学习教育进行篇", [
        "12月28日，兰州铝业组织党员赴革命纪念馆开展主题党日活动，重温入党誓词。",
        "1月5日至6日，中州铝业举办党史知识竞赛，12支代表队参赛。",
        "近日，山西中润开展安全生产大检查，排查整改隐患35处。",
        "遵义铝业组织党员干部学习习近平总书记12月10日在全国两院院士大会上的重要讲话精神。"])]),
    ("2021-01-24", 2, [("基层动态", [
        "12月28日，兰州铝业组织党员赴革命纪念馆开展主题党日活动，重温了入党誓词。",
        "12月下旬，广西华昇推进精益管理，完成降本增效项目8个。",
        "兰州铝业党委书记、董事长张建国于1月15日带队开展“我为群众办实事”走访慰问。",
        "1月18日，中州铝业组织“法律进企业”普法宣传活动。"])]),
]


def fixture_issues():
    """FIXTURE as issues in make_corpus's shape (its sections, with these activity paragraphs)."""
    import make_corpus as mc
    rng = random.Random(1)
    for date, number, paragraphs_ in FIXTURE:
        day = dt.date.fromisoformat(date)
        issue = mc.synth_issue(rng, day.year, number, number + 20, day)
        issue["sections"] = [s for s in issue["sections"] if s["title"] in ("践·铝之行", "悟·心之语")]
        for section in issue["sections"]:
            if section["title"] == "践·铝之行":
                section["items"] = [{"heading": h, "text": "".join(sentences),
                                     "units": [u for u in UNITS if any(x.startswith(u) or f"，{u}" in x
                                                                      or x.startswith("近日，" + u) for x in sentences)]}
                                    for h, sentences in paragraphs_]
            else:
                section["items"] = section["items"][:1]
        yield issue


def sample(n: int, seed: int) -> list[dict]:
    """n labelled activities (the tests' sample), each with its issue's date."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        for date in issue_dates(rng, 20):
            for item in paragraphs(rng, date):
                out += [{**a, "heading": item["heading"]} for a in item["activity_truth"]]
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("render")
    r.add_argument("count", type=int)
    r.add_argument("out_dir")
    r.add_argument("--layout", choices=["single", "two-column"], default="single")
    f = sub.add_parser("fixture")
    f.add_argument("out_dir")
    s = sub.add_parser("sample")
    s.add_argument("count", type=int)
    s.add_argument("out_json")
    for p in (r, s):
        p.add_argument("--seed", type=int, default=25)
    args = ap.parse_args()
    if args.cmd == "fixture":
        import make_corpus as mc
        for issue in fixture_issues():
            print(mc.render(issue, args.out_dir), flush=True)
        return
    if args.cmd == "sample":
        Path(args.out_json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out_json).write_text(json.dumps(sample(args.count, args.seed), ensure_ascii=False, indent=0),
                                       encoding="utf-8")
        print(args.out_json)
        return
    import make_corpus as mc
    for issue in issues(args.count, args.seed):
        print(mc.render(issue, args.out_dir, args.layout), flush=True)


if __name__ == "__main__":
    main()
