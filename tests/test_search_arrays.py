"""The fast ranking (search/postings.py) gives exactly what Whoosh's own collectors give: the same
matches, the same scores to the last bit, the same order of ties — for a table of queries, on an
index of one segment (the fast path) and on one with several segments and deletions (where it
falls back). And the title-only hits walked among the title alternatives' items are the same as
the text-or-title query minus the text query."""
import random

import pytest
from whoosh import collectors

from archive.ingest.units import Registry
from archive.model import Issue, Item, Section
from archive.search import index
from archive.search.indexer import drain
from archive.search.matchers import title_alternatives, title_only
from archive.search.postings import Exclude
from archive.search.ranking import top_dated, top_scored
from archive.search.searcher import DATE_ORDER, Searcher, parse_spec
from archive.search.spec import SearchSpec
from archive.store import DataDir

WORDS = ["党史", "学习", "教育", "安全", "生产", "隐患", "排查", "主题党日", "活动", "党员", "先锋岗", "捐款",
         "初心", "宣誓", "技能", "比武", "ERP", "系统", "51680元", "党"]
UNITS = ["中州铝业", "抚顺铝业", "贵州分公司", "青海分公司"]
SECTIONS = ["践·铝之行", "学·习之路", "悟·心之语"]
HEADINGS = [None, "党史学习教育进行篇", "安全生产月", "为群众办实事篇"]


def synthetic_issue(rng: random.Random, k: int) -> Issue:
    sections = []
    for title in SECTIONS:
        items = []
        for _ in range(6):
            unit = rng.choice(UNITS)
            # few distinct sentences: many items tie on score
            text = unit + "开展" + "，".join(rng.sample(WORDS, rng.choice([2, 3, 3, 4]))) + "。"
            items.append(Item(text, 1, 2, heading=rng.choice(HEADINGS), units=[unit]))
        sections.append(Section(title, items))
    year = 2016 + k % 4
    return Issue(publication="中铝股份党群工作", year=year, number=k + 1, total_number=k + 1,
                 date=f"{year}-{1 + k % 12:02d}-{1 + k % 27:02d}", publisher="党群工作部", pages=4, sections=sections)


def write(records, iss, replace=False):
    reg = Registry.load()
    sha = f"{iss.year}{iss.number:03d}".ljust(64, "0")
    canonical = {u: reg.canonical_name(u) for s in iss.sections for it in s.items for u in it.units}
    records.write_issue(iss.issue_id(sha), iss, sha, "x.pdf", canonical, replace=replace)


@pytest.fixture(scope="module", params=["one segment", "segments with deletions"])
def searcher(request, tmp_path_factory):
    dd = DataDir(tmp_path_factory.mktemp("data"))
    rng = random.Random(5)
    issues = [synthetic_issue(rng, k) for k in range(14)]
    with dd.records() as records:
        for iss in issues:
            write(records, iss)
            if request.param != "one segment":
                drain(records, dd)  # a commit (a segment) per issue
        if request.param == "one segment":
            index.rebuild(records, dd)
        else:
            write(records, synthetic_issue(rng, 3), replace=True)  # deletes that issue's documents
            drain(records, dd)
        with Searcher(dd, records) as s:
            yield request.param, s


QUERIES = ["党史", "安全", "党", "学习 教育", "党史 安全", "安全 OR 隐患", "党史 -安全", "-安全 党史", '"主题党日"',
           "中州铝业", "unit:中州铝业", "中州铝业 -unit:抚顺铝业", "year:2016..2017 安全", "date:2018 党员",
           "section:践·铝之行 党员", "heading:学习 ERP", "51680元", "进行篇", "党员 OR 初心 -技能", "铝之行"]


def whoosh_ranked(s, q, sort: str, want: int):
    """Whoosh's own collectors, as the searcher used them before the fast path."""
    if sort == "date":
        collector = collectors.SortingCollector(DATE_ORDER, limit=want)
    else:
        collector = collectors.TopCollector(limit=want, usequality=False, replace=0)
    s.search_with_collector(q, collector)
    results = collector.results()
    best = [(results.score(n) if sort == "relevance" else None, results.docnum(n))
            for n in range(results.scored_length())]
    return best, collector.count()


def queries(searcher, text):
    parsed = parse_spec(SearchSpec(text))
    q = searcher.whoosh_query(parsed)
    qt = searcher.whoosh_query(parsed, titles=True) if parsed.has_text else None
    return parsed, q, qt


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("want", [5, 1000])
def test_fast_ranking_is_whooshs_ranking(searcher, text, want):
    kind, s = searcher
    _, q, qt = queries(s, text)
    with s.remembering() as ws:
        for query in filter(None, [q, qt]):
            for sort in ("relevance", "date"):
                fast = top_scored(ws, query, want) if sort == "relevance" else top_dated(ws, query, DATE_ORDER, want)
                if kind == "one segment":
                    assert fast is not None  # the fast path is taken
                if fast is None:
                    continue
                expected, total = whoosh_ranked(ws, query, sort, want)
                if sort == "date":
                    expected = [d for _, d in expected]
                    fast = ([d for _, d in fast[0]], fast[1])
                assert fast == (expected, total)


@pytest.mark.parametrize("text", [t for t in QUERIES if not t.startswith(("unit:", "year:", "date:"))])
def test_title_only_hits_are_the_text_or_title_matches_minus_the_text_matches(searcher, text):
    _, s = searcher
    parsed, q, qt = queries(s, text)
    if qt is None:
        return
    with s.remembering() as ws:
        fast = whoosh_ranked(ws, title_only(qt, q, title_alternatives(parsed, s.topics)), "relevance", 1000)
        plain = whoosh_ranked(ws, Exclude(qt, q), "relevance", 1000)
    assert fast == plain


def test_an_exclusion_excludes_the_first_match_too(tmp_path):
    """Whoosh's AndNotMatcher let the first match through when the excluded word's first match
    came earlier: 党史 -安全 found an item with 安全 (the second here)."""
    dd = DataDir(tmp_path)
    items = [Item("安全生产。", 1, 1), Item("党史学习，安全生产。", 1, 1), Item("党史学习。", 1, 1)]
    iss = Issue(publication="中铝股份党群工作", year=2021, number=1, total_number=1, date="2021-01-08",
                publisher="党群工作部", pages=1, sections=[Section("践·铝之行", items)])
    with dd.records() as records:
        write(records, iss)
        drain(records, dd)
        with Searcher(dd, records) as s:
            for sort in ("relevance", "date"):
                hits = s.search(SearchSpec("党史 -安全", sort=sort)).hits
                assert [h["text"] for h in hits] == ["党史学习。"]
