"""Issue 22 §1: a hit points at the words that matched. The seen case: 「兰州铝业 党史学习教育」 with the
unit filter on gives one hit, the sixteen-unit 践·铝之行 paragraph of 2021-005 over pages 2–3; the
sentence of 兰州铝业 is on page 3. Before: its snippet began with the paragraph's opening and never
reached that sentence, its citation said 第2–3页, 「原版页面」 opened page 2, the page view boxed the
whole paragraph and the Word report pasted all of it."""
import csv
import io
import json
import re

import pytest

from archive.search.focus import Focus, cover, focus, focus_snippet
from archive.store.spans import line_of, offsets, span_boxes, span_pages, spans_pages
from webtools import html

SENTENCE = "兰州铝业、中铝矿业以“清单式”方式推进党史学习教育。"
QUERY = {"q": "兰州铝业 党史学习教育", "unit": "兰州铝业"}


# --- a span of the text → its lines, pages and boxes (store.spans) -------------------------------

BOXES = [[2, 100, 600, 500, 615], [2, 100, 630, 500, 645], [3, 100, 80, 300, 95]]
ITEM = {"text": "甲" * 20 + "乙" * 20 + "丙" * 10, "boxes": BOXES, "line_starts": [0, 20, 40], "page_start": 2,
        "page_end": 3}


@pytest.mark.parametrize("start, end, pages", [
    (0, 5, [2]), (20, 40, [2]), (39, 41, [2, 3]), (40, 50, [3]), (45, 46, [3]),
])
def test_span_pages_from_the_lines_offsets(start, end, pages):
    assert span_pages(ITEM, start, end) == pages


def test_span_boxes_are_the_words_part_of_each_line():
    # 乙 is the second line whole; 丙丙 at the start of the third (a line 10 characters, 200 pt wide)
    assert span_boxes(ITEM, 20, 40) == [[2, 100.0, 630, 500.0, 645]]
    assert span_boxes(ITEM, 40, 42) == [[3, 100.0, 80, 140.0, 95]]
    assert span_boxes(ITEM, 38, 42, page=3) == [[3, 100.0, 80, 140.0, 95]]
    assert span_boxes({**ITEM, "text": "ab 甲乙"}, 3, 5)[0][1] > 100  # Latin letters are narrower: 甲 starts later


def test_offsets_are_estimated_from_the_widths_where_none_are_stored():
    """Items written before line offsets were kept: the lines of a column hold characters in
    proportion to their widths."""
    assert offsets(ITEM["text"], BOXES, None) == [0, 20, 40]
    assert offsets("一二三四", BOXES[:2], [0]) == [0, 2]  # stored ones that do not fit: estimated
    assert line_of([0, 20, 40], 39) == 1 and line_of([0, 20, 40], 40) == 2
    assert span_pages({"text": "x", "boxes": [], "page_start": 4, "page_end": 5}, 0, 1) == [4, 5]  # unknown: all
    assert spans_pages(ITEM, [(0, 2), (45, 46)]) == [2, 3]


# --- what a hit points at (search.focus) ----------------------------------------------------------

PARAGRAPH = ("集团党史学习教育第二巡回指导组赴北京香山革命纪念馆。中州铝业充分利用网络教学资源。青海分公司开展讲党史微视频展播。"
             + SENTENCE + "云铝涌鑫把党史学习教育与新时代文明实践活动相结合。")
ZHONGZHOU = "中州铝业充分利用网络教学资源。"
ACTS = [{"canonical": ["中州铝业"], "start": PARAGRAPH.index(ZHONGZHOU), "end": PARAGRAPH.index(ZHONGZHOU) + len(ZHONGZHOU)},
        {"canonical": ["兰州铝业", "中铝矿业"], "start": PARAGRAPH.index(SENTENCE),
         "end": PARAGRAPH.index(SENTENCE) + len(SENTENCE)}]


@pytest.mark.parametrize("terms, units, shown", [
    (["兰州铝业", "党史学习教育"], ["兰州铝业"], [SENTENCE]),      # the unit's own sentence, holding both words
    (["党史学习教育"], ["兰州铝业"], [SENTENCE]),                 # the unit filter: its sentence, not the first
    ([], ["兰州铝业"], [SENTENCE]),                              # a filter only: the unit's sentence
    (["党史学习教育"], [], ["集团党史学习教育第二巡回指导组赴北京香山革命纪念馆。"]),  # no unit: the first that holds it
    (["香山", "云铝涌鑫"], [], ["集团党史学习教育第二巡回指导组赴北京香山革命纪念馆。",
                             "云铝涌鑫把党史学习教育与新时代文明实践活动相结合。"]),  # two words, two sentences
    (["微视频"], ["中州铝业"], ["中州铝业充分利用网络教学资源。", "青海分公司开展讲党史微视频展播。"]),  # the word elsewhere
])
def test_focus_shows_the_sentences_that_matched(terms, units, shown):
    f = focus({"text": PARAGRAPH}, terms, units, ACTS, units)
    assert [PARAGRAPH[s:e] for s, e in f.excerpt] == shown
    assert all(any(s <= a and b <= e for s, e in f.excerpt) for a, b in f.words)


def test_a_signature_comes_with_the_sentence_before_it():
    text = "在党的百年征程中汲取奋进力量。我们要牢记初心使命。（兰州铝业王磊）"
    f = focus({"text": text}, ["兰州铝业"])
    assert [text[s:e] for s, e in f.excerpt] == ["我们要牢记初心使命。", "（兰州铝业王磊）"]


def test_cover_takes_the_fewest_sentences_holding_every_word():
    sents = [(0, 10), (10, 20), (20, 30)]
    per_term = [[(1, 2), (21, 22)], [(22, 23)], [(12, 13)]]
    assert cover(sents, per_term) == [(10, 20), (20, 30)]


def test_focus_snippet_marks_the_words_in_the_sentence_only():
    f = focus({"text": PARAGRAPH}, ["党史学习教育"], ["兰州铝业"], ACTS, ["兰州铝业"])
    snip = focus_snippet(PARAGRAPH, f)
    assert snip.startswith("…<mark>兰州铝业</mark>、中铝矿业") and "推进<mark>党史学习教育</mark>。…" in snip
    assert "中州铝业" not in snip
    assert focus_snippet("甲<乙>", Focus(marks=[(1, 2)], excerpt=[(0, 4)])) == "甲<mark>&lt;</mark>乙&gt;"


# --- the seen case, through the searcher, the API, the pages and the reports ------------------------

def test_the_hit_shows_and_cites_the_units_sentence(client):
    out = client.get("/api/search", query_string=QUERY).get_json()
    assert out["total"] == 1
    hit = out["hits"][0]
    assert (hit["id"], hit["page_start"], hit["page_end"]) == ("2021-005-006", 2, 3)  # the item's span, kept
    assert re.sub("</?mark>", "", hit["snippet"]).strip("…") == SENTENCE
    assert hit["snippet"].count("<mark>") == 2
    assert hit["match_pages"] == [3]
    assert hit["citation"] == "《中铝股份党群工作》2021年第5期（总第5期），第3页"
    assert hit["citation_gbt"].endswith("2021(5): 3.")


def test_the_search_pages_link_opens_the_page_of_the_words(client):
    page = html(client.get("/", query_string=QUERY))
    link = re.search(r'class="page-link" href="([^"]+)">原版页面（第(\d)页）', page)
    assert link and link.group(2) == "3" and "/issues/2021-005/pages/3?" in link.group(1).replace("&amp;", "&")
    assert "第3页" in page and "（整条第2–3页）" in page
    assert "，第3页" in re.search(r'data-copy="([^"]+)"', page).group(1)


def test_the_page_view_boxes_the_matched_words_and_lightly_the_item(client):
    item = client.get("/api/items/2021-005-006").get_json()
    page = html(client.get("/issues/2021-005/pages/3", query_string={**QUERY, "item": "2021-005-006"}))
    light = re.search(r'<g class="boxes chosen match light" data-item="2021-005-006">(.*?)</g>', page, re.S)
    assert light and light.group(1).count("<rect") == len([b for b in item["boxes"] if b[0] == 3])
    words = re.search(r'<g class="words chosen" data-item="2021-005-006">(.*?)</g>', page, re.S)
    rects = [tuple(float(v) for v in m) for m in re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"',
                                                             words.group(1))]
    assert 2 <= len(rects) <= 3  # 兰州铝业 and 党史学习教育 (the second may run over a line end)
    widest_line = max(b[3] - b[1] for b in item["boxes"])
    assert all(w < widest_line / 2 for _, _, w in rects)  # words, not lines
    lines = [b for b in item["boxes"] if b[0] == 3]
    assert all(any(b[2] - 3 <= y <= b[4] for b in lines) for _, y, _ in rects)  # on the item's lines
    on_two = html(client.get("/issues/2021-005/pages/2", query_string={**QUERY, "item": "2021-005-006"}))
    assert 'class="words chosen' not in on_two  # page 2 holds none of the hit's words (others' matches: boxed)


def test_the_item_page_marks_the_sentence_and_cites_its_page(client):
    page = html(client.get("/items/2021-005-006", query_string=QUERY))
    marked = re.search(r'<mark class="activity" id="activity">(.*?)</mark>\s*(?=[^<]*云铝|山西)', page, re.S)
    assert marked and re.sub("<[^>]+>", "", marked.group(1)) == SENTENCE
    assert "《中铝股份党群工作》2021年第5期（总第5期），第3页" in page  # the sentence's citation
    assert "《中铝股份党群工作》2021年第5期（总第5期），第2–3页" in page  # and the item's
    assert "原版第3页（检索词在此页）" in page


def test_the_word_report_gives_the_sentence_and_its_page(app_cli, tmp_path):
    from docx import Document
    out = tmp_path / "r.docx"
    app_cli("report", *QUERY["q"].split(), "--unit", "兰州铝业", "-o", out)
    body = [p.text for p in Document(out).paragraphs]
    assert SENTENCE in body and not any("青海分公司开展" in p for p in body)
    assert any("页码：第3页；单位：兰州铝业、中铝矿业" in p for p in body)  # the sentence's page, its units
    assert any(p.startswith("出处：") and p.endswith("，第3页") for p in body)
    out2 = tmp_path / "whole.docx"
    app_cli("report", *QUERY["q"].split(), "--unit", "兰州铝业", "--whole", "-o", out2)
    body2 = [p.text for p in Document(out2).paragraphs]
    assert body2.index(SENTENCE) < next(i for i, p in enumerate(body2) if "青海分公司" in p)  # the sentence first
    assert "全文（第2–3页）：" in body2


def test_the_web_report_buttons_offer_the_whole_item(client):
    page = html(client.get("/", query_string=QUERY)).replace("&amp;", "&")
    assert "/report.docx?q=" in page and re.search(r'/report\.docx\?[^"]*whole=1', page)
    r = client.get("/report.csv", query_string={**QUERY, "whole": "1"})
    row = next(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert row["正文"] == SENTENCE and row["全文"].startswith("集团党史学习教育")


def test_hits_of_the_cli_show_the_sentence(app_cli):
    out = app_cli("search", *QUERY["q"].split(), "--unit", "兰州铝业").output
    assert "兰州铝业" in out and "推进" in out and "青海分公司" not in out and "第3页" in out
    hit = json.loads(app_cli("search", "清淤", "--json").output)["hits"][0]
    assert hit["match_pages"] and set(hit["match_pages"]) <= set(range(hit["page_start"], hit["page_end"] + 1))


def test_activities_are_cited_on_the_pages_of_their_own_lines(client):
    """The activities table: each unit's sentences with their own pages (from the lines' offsets)."""
    page = html(client.get("/units/兰州铝业"))
    assert re.search(r"第3页\s*·[^<]*践·铝之行[^<]*</div>\s*<p class=\"act-text\"><a[^>]*>" + re.escape(SENTENCE), page)
