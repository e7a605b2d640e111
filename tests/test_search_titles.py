"""Plain words find headings and section titles (those hits listed after the text hits, set apart,
and boxed on the page), a unit's full or short name typed as a word finds the unit's items, and
`author:` filters by signature — on the bundled samples, through the API, the pages and the CLI."""
import json
import re

from archive.ingest.units import Registry
from archive.search import index
from archive.search.analysis import match_text, needle
from webtools import html


def api(client, **qs):
    r = client.get("/api/search", query_string={"limit": 100, **qs})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_a_word_of_a_heading_finds_the_items_under_it(client, app_cli):
    """q=进行篇 found nothing while heading:进行篇 found the items."""
    by_heading = api(client, q="heading:进行篇")
    assert by_heading["total"] >= 4
    out = api(client, q="进行篇")
    assert out["total"] == 0  # no item's text says it...
    assert out["title_total"] == by_heading["total"]  # ...their heading does
    assert {h["id"] for h in out["title_hits"]} == {h["id"] for h in by_heading["hits"]}
    assert json.loads(app_cli("search", "进行篇", "--json").output) == api(client, q="进行篇", limit=20)
    assert "whose heading or section title matches" in app_cli("search", "进行篇").output


def test_section_titles_count_too_and_words_may_split_between_text_and_title(client):
    section = api(client, q="section:铝之行")
    assert api(client, q="铝之行")["title_total"] == section["total"] > 0
    # 党史 in the text, 进行篇 in the heading: found through the title, not among the text hits
    both = api(client, q="党史 进行篇")
    assert both["total"] == 0 and both["title_total"] > 0
    for h in both["title_hits"]:
        assert "进行篇" in h["heading"]


def test_text_hits_stay_exactly_the_text_matches(client):
    """What `hits` holds is unchanged (search_eval's recall and precision rest on it): every hit's
    text holds the word; the title-only ones never do."""
    for word in ("党史", "学习", "安全", "教育", "主题党日"):
        out = api(client, q=word)
        assert all(needle(word) in match_text(h["text"]) for h in out["hits"]), word
        assert not any(needle(word) in match_text(h["text"]) for h in out["title_hits"]), word


def test_the_window_runs_over_text_hits_then_title_hits(client):
    full = api(client, q="党史")
    t, m = full["total"], full["title_total"]
    assert t > 0 and m > 0
    seen = []
    for offset in range(0, t + m, 3):
        page = api(client, q="党史", limit=3, offset=offset)
        assert page["total"] == t and page["title_total"] == m
        seen += [h["id"] for h in page["hits"]] + [h["id"] for h in page["title_hits"]]
    assert seen == [h["id"] for h in full["hits"]] + [h["id"] for h in full["title_hits"]]


def test_title_only_hits_are_shown_boxed_and_marked(client):
    page = html(client.get("/?q=进行篇"))
    assert "没有找到结果" not in page
    box = re.search(r'<section class="title-only".*?</section>', page, re.S).group(0)
    assert "正文不含检索词" in box and box.count('<article class="hit">') == 4
    assert "<mark>进行篇</mark>" in box  # the heading, marked
    assert "另有 <strong class=\"title-total\">4</strong> 条只在标题或栏目名中含检索词" in page
    hit = api(client, q="进行篇")["title_hits"][0]
    view = html(client.get(f"/issues/{hit['issue']}/pages/{hit['page_start']}", query_string={"q": "进行篇"}))
    assert f'data-item="{hit["id"]}"' in view and re.search(rf'class="boxes[^"]*match" data-item="{hit["id"]}"', view)
    item = html(client.get(f"/items/{hit['id']}", query_string={"q": "进行篇"}))
    assert "<mark>进行篇</mark>" in item


def test_a_units_full_name_typed_as_a_word_finds_its_items(client, app_cli):
    registry = Registry.load()
    assert registry.canonical_name("云南文山铝业有限公司") == "云铝文山"
    by_filter = {h["id"] for h in api(client, unit="云铝文山")["hits"]}
    assert by_filter
    out = api(client, q="云南文山铝业有限公司")
    assert {h["id"] for h in out["hits"]} == by_filter
    assert all("<mark>云铝文山</mark>" in h["snippet"] for h in out["hits"])  # marked as printed
    assert by_filter <= {h["id"] for h in api(client, q="云铝文山")["hits"]}
    assert api(client, q='"云南文山铝业有限公司"')["total"] == 0  # a phrase is the text, as typed
    assert {h["id"] for h in api(client, q="党史 -云南文山铝业有限公司")["hits"]}.isdisjoint(by_filter)
    cli = json.loads(app_cli("search", "云南文山铝业有限公司", "--json").output)
    assert {h["id"] for h in cli["hits"]} == by_filter


def test_author_field(client, app_cli):
    signed = [h for h in api(client, q="year:2016..2021")["hits"] if h["author"]]
    assert signed
    name = signed[0]["author"]
    out = api(client, q=f"author:{name[:1]}")
    assert out["total"] >= 1 and all(name[:1] in h["author"] for h in out["hits"])
    assert name in {h["author"] for h in out["hits"]}
    assert not any(h["author"] == name for h in api(client, q=f"year:2016..2021 -author:{name}")["hits"])
    assert api(client, q="author:没有这个作者")["total"] == 0
    assert "author:" in html(client.get("/?q=%22open"))  # the syntax help says so


def test_the_index_format_changed():
    """6: the title fields and author; 7: each document's content version (check compares it);
    8: its collection (the bulletin, or the other documents); 9: topics."""
    assert index.INDEX_VERSION == 9
    names = set(index.schema().names())
    assert {"titles", "tchars", "mtitles", "author", "version", "collection", "topic"} <= names
