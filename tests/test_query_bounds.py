"""Queries are bounded (length, terms, phrases, ranges) before Whoosh sees them, every refusal is
worded in Chinese on the web, and no query — fuzzed — makes a 500."""
import random
import re
from pathlib import Path

import pytest

from archive.search.spec import SearchSpec

from archive.messages import ERROR_CN
from archive.search import matchers, query
from archive.search.query import QueryError, parse
from archive.search.searcher import Searcher
from archive.store import DataDir
from webtools import html

CJK = re.compile(r"[\u4e00-\u9fff]")


def kind(text):
    with pytest.raises(QueryError) as exc:
        parse(text)
    return exc.value.kind


def test_each_bound():
    assert kind("党" * (query.MAX_QUERY_CHARS + 1)) == "query_too_long"
    assert kind(" ".join("ab" for _ in range(query.MAX_TERMS + 1))) == "too_many_terms"
    assert kind(" ".join('"ab"' for _ in range(query.MAX_PHRASES + 1))) == "too_many_phrases"
    assert kind(" ".join("year:2021" for _ in range(query.MAX_RANGES + 1))) == "too_many_ranges"
    parse(" ".join("ab" for _ in range(query.MAX_TERMS)))  # at the bound: fine
    parse(" ".join('"ab"' for _ in range(query.MAX_PHRASES)) + " year:2016..2021 date:2021-04")


@pytest.mark.parametrize("q", ["year:2016..2021 " * 1000, '"党史" ' * 1000, '"党史" ' * 950, "党史 OR " * 700 + "党史"])
def test_the_queries_that_made_a_500_are_400_before_whoosh(client, monkeypatch, q):
    def whoosh_must_not_see_it(*a, **k):
        raise AssertionError("a query past the bounds reached the Whoosh query builder")
    monkeypatch.setattr(matchers, "build", whoosh_must_not_see_it)
    for url in ("/", "/api/search"):
        r = client.get(url, query_string={"q": q})
        assert r.status_code == 400, url
        message = r.get_json()["error"] if url.startswith("/api") else html(r)
        assert "超过上限" in message, url


def test_long_option_values_are_refused(client):
    r = client.get("/api/search", query_string={"q": "党史", "unit": "铝" * 101})
    assert r.status_code == 400 and r.get_json()["error"] == "筛选条件“单位”超过 100 个字符"


def test_every_query_error_kind_is_worded_in_chinese():
    import ast
    src = Path(query.__file__).parent
    kinds = {"too_many_terms", "too_many_phrases", "too_many_ranges"}  # raised through a loop (test_each_bound)
    for name in ("query.py", "searcher.py"):
        for node in ast.walk(ast.parse((src / name).read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "QueryError" and len(node.args) > 1:
                if isinstance(node.args[1], ast.Constant):
                    kinds.add(node.args[1].value)
            elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "QueryError":
                raise AssertionError(f"{name}:{node.lineno}: a QueryError without a kind")
    assert {"quote_unclosed", "bad_year", "query_too_long", "empty_query", "from_after_to"} <= kinds
    for k in kinds:
        assert k in ERROR_CN, k
        assert CJK.search(ERROR_CN[k]({})), k  # words even without figures


@pytest.mark.parametrize("qs, says", [({"q": '"党史'}, "没有闭合"), ({"q": "党史", "from": "2021-13-01"}, "不存在"),
                                      ({"q": "党史", "from": "2021-06", "to": "2021-01"}, "晚于结束日期"),
                                      ({"q": "year:20x1"}, "年份“20x1”无法识别"), ({"q": "OR"}, "OR 的两边")])
def test_query_errors_on_the_web_are_chinese_and_speak_of_no_option(client, qs, says):
    for url in ("/", "/api/search"):
        r = client.get(url, query_string=qs)
        text = r.get_json()["error"] if url.startswith("/api") else html(r)
        assert r.status_code == 400 and says in text, (url, text[:300])
        assert "--from" not in text and "--to" not in text


PIECES = ['党史', '学习', '教育', '进行篇', '"', '“', '”', '「', '」', '＂', '-', '－', 'OR', 'or', 'unit:', 'section:',
          'heading:', 'year:', 'date:', 'author:', 'UNIT：', 'Heading:', '..', '2021', '2016..2018', '2021-04',
          '2021-13-45', '0000', '9999..0001', '..2021-06-30', '中铝山东', '云南文山铝业有限公司', '云铝文山', 'ERP',
          'Ｅ', '１２', 'x', '*', '?', '\\', '/', '%', '&', '<script>', '\x00', '\u200b', '\ufeff', '😀', '\u00ad',
          ':', '：', '(', ')', '[', ']', '^', '~', '+', 'AND', 'NOT', '.', ',', '，', '。', '党', 'a', '1']
SEPARATORS = [" ", "", "", "  ", "　", "\t"]


def random_query(rng):
    parts = []
    for _ in range(rng.randint(0, 14)):
        if rng.random() < 0.1:
            parts.append("".join(chr(rng.randint(0x20, 0x2FFFF)) for _ in range(rng.randint(1, 4))))
        else:
            parts.append(rng.choice(PIECES))
        parts.append(rng.choice(SEPARATORS))
    return "".join(parts).replace("\ud800", "")


def random_text(rng):
    return "".join(c for c in random_query(rng) if not 0xD800 <= ord(c) <= 0xDFFF)


def test_fuzzed_queries_never_break_the_searcher(samples_copy):
    rng = random.Random(13)
    d = DataDir(samples_copy)
    with d.records() as records, Searcher(d, records) as s:
        for _ in range(3000):
            q = random_text(rng)
            opts = {k: rng.choice(["", "", "", "2021", "2016..2018", "中铝山东", random_text(rng)]) or None
                    for k in ("unit", "section", "year")}
            try:
                s.search(SearchSpec(q, **opts, sort=rng.choice([None, "relevance", "date"])), limit=rng.randint(1, 50), offset=rng.randint(0, 30))
            except QueryError:
                pass


NUMBERS = ["", "1", "2", "0", "-1", "x", "99", "10000", "99999999999999999999999", "1e3", "١٢", " 3 "]


def test_fuzzed_requests_never_make_a_500(client):
    """Random queries and parameters on every page that takes a query: 200 or 400, never 500, and
    a 400 says why in Chinese."""
    rng = random.Random(2024)
    urls = ["/", "/api/search", "/issues/2021-005/pages/1", "/items/2021-005-003"]
    for n in range(800):
        url = urls[n % len(urls)]
        params = {"q": random_text(rng)}
        for k in ("unit", "section", "year", "from", "to"):
            if rng.random() < 0.3:
                params[k] = rng.choice(["2021", "2016-01", "中铝山东", random_text(rng)])
        for k in ("sort", "page", "limit", "offset"):
            if rng.random() < 0.2:
                params[k] = rng.choice(NUMBERS + ["date", "relevance", "popular"])
        r = client.get(url, query_string=params, follow_redirects=True)  # empty fields: redirected without them
        assert r.status_code in (200, 400), (url, params, r.status_code)
        if r.status_code == 400:
            text = r.get_json()["error"] if url.startswith("/api") else html(r)
            assert CJK.search(text), (url, params, text[:200])
