from archive.ingest.margins import is_page_number, strip_furniture
from archive.ingest.paragraphs import make_blocks

import pytest
from geometry import line

FULL = 540.0  # a full line reaches the right edge (550) within half a character


def texts(blocks):
    return ["".join(ln.text for ln in b.lines) for b in blocks]


def test_indent_and_short_line_end_paragraphs():
    lines = [line("第一段第一行", 70, 100, FULL), line("第一段末行", 50, 115, 200),
             line("第二段第一行", 70, 130, FULL), line("第二段第二行", 50, 145, FULL), line("末行", 50, 160, 120)]
    assert texts(make_blocks(lines)) == ["第一段第一行第一段末行", "第二段第一行第二段第二行末行"]


def test_paragraph_runs_on_across_pages():
    lines = [line("跨页段落第一行", 70, 700, FULL), line("跨页段落第二行", 50, 715, FULL),
             line("下一页续行", 50, 80, 300, page=2), line("新段落", 70, 95, FULL, page=2)]
    blocks = make_blocks(lines)
    assert texts(blocks)[0] == "跨页段落第一行跨页段落第二行下一页续行"
    assert (blocks[0].page_start, blocks[0].page_end) == (1, 2)


def test_block_spacing_splits_unindented_paragraphs():
    lines = [line("甲段", 50, 100, FULL), line("甲段末", 50, 115, FULL),
             line("乙段", 50, 145, FULL), line("乙段末", 50, 160, 200)]
    assert texts(make_blocks(lines)) == ["甲段甲段末", "乙段乙段末"]


def test_centered_and_display_lines_are_titles():
    lines = [line("学 · 习 之 路", 250, 60, 350, size=20), line("正文第一行", 70, 100, FULL),
             line("正文末行。", 50, 115, 200), line("为群众办实事篇", 255, 140, 345), line("正文", 70, 160, FULL)]
    kinds = [b.kind for b in make_blocks(lines)]
    assert kinds == ["title", "para", "title", "para"]


def test_left_aligned_heading_in_another_font():
    lines = [line("一、党史学习教育进行篇", 50, 100, 160, font="SimHei"), line("正文第一行" * 8, 70, 115, FULL),
             line("正文末行。", 50, 130, 200), line("二、为群众办实事篇", 50, 145, 140, font="SimHei"),
             line("正文" * 20, 70, 160, FULL), line("2024", 50, 175, 80, font="Times")]
    assert [b.kind for b in make_blocks(lines)] == ["title", "para", "title", "para"]


def test_short_line_before_long_latin_word_continues():
    lines = [line("介绍了 energy-management 与", 70, 100, FULL),
             line("predictive-maintenance", 50, 115, 460),
             line("方面的实践。（宁夏能源）", 50, 130, 170)]  # 120 pt of text would not fit in the 90 pt left
    assert len(make_blocks(lines)) == 1


def test_label_starts_block():
    lines = [line("正文一行", 70, 100, FULL), line("发放：公司领导", 50, 115, FULL)]
    assert len(make_blocks(lines, lambda t: t.startswith("发放"))) == 2


@pytest.mark.parametrize("text, expected", [
    ("— 2 —", True), ("- 12 -", True), ("2", True), ("第 3 页", True), ("3 / 10", True), ("第3页 共10页", True),
    ("Page 4", True), ("iv", True), ("2021年第5期", False), ("党群工作部", False), ("51680元", False),
])
def test_page_number_pattern(text, expected):
    assert is_page_number(text) == expected


def test_running_header_and_page_numbers_dropped():
    pages = []
    for p in (1, 2, 3):
        pages.append([line("中铝股份党群工作　2021年第5期", 50, 40, 300, page=p, size=9),
                      line(f"正文第{p}页", 70, 120, FULL, page=p), line(f"— {p} —", 280, 800, 310, page=p)])
    out = strip_furniture(pages, [842.0] * 3)
    assert [[ln.text for ln in lines] for lines in out] == [["正文第1页"], ["正文第2页"], ["正文第3页"]]


def test_lone_running_header_on_a_two_page_issue():
    pages = [[line("中铝股份党群工作", 200, 80, 400, size=30), line("正文", 70, 150, FULL, size=15)],
             [line("中铝股份党群工作 2016年第6期", 50, 40, 300, page=2, size=10),
              line("续行" * 20, 50, 90, FULL, page=2, size=15), line("更多正文", 50, 110, FULL, page=2, size=15)]]
    out = strip_furniture(pages, [842.0] * 2)
    assert [ln.text for ln in out[1]] == ["续行" * 20, "更多正文"]
    assert [ln.text for ln in out[0]] == ["中铝股份党群工作", "正文"]  # the masthead is not furniture


LEAD = "1月以来，各单位扎实开展党建工作，部分单位活动开展情况如下："


@pytest.mark.parametrize("first, on_pages, dropped", [
    (LEAD, (2, 4), False),                           # a table's lead-in atop two pages of four: text
    ("本刊仅供内部交流，请勿外传，转载请注明出处。", (1, 2, 3, 4), True),  # a sentence on every page: furniture
    ("中铝股份党群工作　2021年第5期", (2, 4), True),   # a header (no sentence) on two pages of four
])
def test_a_sentence_atop_two_pages_is_text_not_a_running_header(first, on_pages, dropped):
    """Regression (volumes/lies-extra 0.9902): 「1月以来，…情况如下：」, a table's lead-in printed at the top
    of pages 2 and 4 of an issue (two sections), was dropped as a running header: two items lost."""
    pages = []
    for p in (1, 2, 3, 4):
        lines = [line(first, 98, 75, 510, page=p, size=14)] if p in on_pages else []
        pages.append(lines + [line(f"正文第{p}页" * 10, 70, 120, FULL, page=p, size=14)])
    out = strip_furniture(pages, [842.0] * 4)
    kept = [ln.text for lines in out for ln in lines if ln.text == first]
    assert (kept == []) is dropped and (dropped or len(kept) == len(on_pages))


def book_pages(page2_first, page3_first):
    """A book's three pages at body size 10.5: the chapter opens on page 1 in display type; pages 2
    and 3 start with what the test gives (a running header, or text) at the header's place."""
    return [[line("第三章 艰苦创业", 240, 86, 355, size=18.5), line("一、白手起家", 250, 162, 330, size=12),
             line("这些成绩的取得" * 3, 60, 189, FULL, size=10.5)],
            [line(page2_first, 270, 39, 320, page=2, size=10.5), line("二、第一炉铝水", 250, 66, 330, page=2, size=12),
             line("全厂先后开展了劳动竞赛" * 2, 60, 92, FULL, page=2, size=10.5)],
            [line(page3_first, 250, 38, 340, page=3, size=10.5), line("倍。后来，厂里组织力量" * 2, 50, 57, FULL, page=3,
                                                                   size=10.5)]]


@pytest.mark.parametrize("page2, page3, dropped", [
    ("铝城春秋", "第三章 艰苦创业", [2, 3]),    # the chapter title as the right page's header, the book's on the left's
    ("铝城春秋", "第三章　艰苦创业", [2, 3]),   # spaced another way
    ("铝城春秋", "正文的第一行，接着上一页", []),  # no header repeats a title: the left page's line stays
    ("前一页的最后一句话。", "第三章 艰苦创业", [3]),  # a sentence at the header's place is text
])
def test_a_books_running_headers(page2, page3, dropped):
    pages = book_pages(page2, page3)
    out = strip_furniture(pages, [576.0] * 3)
    assert [n for n in (2, 3) if pages[n - 1][0] not in out[n - 1]] == dropped
    assert out[0] == pages[0]  # the chapter's own title, in display type, is kept


# --- 公文 ragged lines, footnotes, captions, tables -----------------------------------------------

from archive.ingest.paragraphs import first_unit, first_word_width, quoted_unit  # noqa: E402


@pytest.mark.parametrize("text, unit", [
    ("“国”从来紧密相连", "“国”从"),   # an opening quote goes with what it opens, a closing one stays with it,
    ("量，“家”与“国”", "量，“家”与“国”"),  # and a curly quote may glue to both sides (UAX #14 QU: WeasyPrint)
    ("国家", "国"),
    ("《人民日报》", "《人"),
    ("，我们", "，"),
    ("“”", "“”"),
])
def test_what_a_line_break_cannot_split(text, unit):
    assert first_unit(text) == unit


@pytest.mark.parametrize("text, unit", [
    ("量，“家”与“国”从来紧密相连", "量，“家”与“国”从"),  # quotes glued to both neighbours (Pango)
    ("“国”从来", "“国”从"),
    ("国家", "国"),
    ("，我们", "，"),
    ("党员“小细节”中去", "党"),  # no quote next to the first character: one character
])
def test_what_a_quote_gluing_break_cannot_split(text, unit):
    assert quoted_unit(text) == unit


@pytest.mark.parametrize("prev, nxt, fits", [
    # the next line's first unbreakable piece is wider than the gap: the short line goes on
    ("广西华昇党委以党建引领生产经营，1月份氧化铝产量同比增长", "28%，实现利润220万元。（广西华昇）", False),
    ("读红色家书，感悟信仰的力", "量，“家”与“国”从来紧密相连。读红色家书，", False),
    ("读红色家书，感悟信仰的力量。", "新的一段开始了这里", True),
])
def test_the_next_lines_first_piece_against_the_gap(prev, nxt, fits):
    a, b = line(prev, 70, 100, 70 + 14 * len(prev)), line(nxt, 70, 115, 70 + 14 * len(nxt))
    gap = 2.5 * 14  # two and a half characters short of the edge
    assert (first_word_width(a, b) < gap) == fits


def test_a_ragged_line_ending_before_an_opening_quote_goes_on():
    # regression: 「“家”与“国”从来紧密相连。」 split off as its own item (the line ended early: 「“国」 can't follow 与 there)
    lines = [line("读红色家书，感悟信仰的力量，“家”与", 70, 100, 520), line("“国”从来紧密相连。", 50, 115, 230),
             line("新的一段开始了这里", 70, 130, FULL)]
    assert texts(make_blocks(lines))[0] == "读红色家书，感悟信仰的力量，“家”与“国”从来紧密相连。"


def test_footnotes_wait_for_the_paragraph_over_the_page_foot():
    body = [line("跨页段落的第一行文字", 70, 700, FULL), line("跨页段落的第二行文字", 50, 715, FULL)]
    notes = [line("①注释的文字。", 50, 760, 200, size=8.0)]
    after = [line("下一页的续行。", 50, 80, 200, page=2), line("新的一段。", 70, 95, FULL, page=2)]
    got = texts(make_blocks(body + notes + after))
    assert got == ["跨页段落的第一行文字跨页段落的第二行文字下一页的续行。", "①注释的文字。", "新的一段。"]


def test_a_caption_under_a_picture_is_a_caption_not_a_title():
    # regression: a centred caption was classed as a title, then lost under the next heading
    lines = [line("正文第一行正文第一行", 70, 100, FULL), line("正文末行。", 50, 115, 200),
             line("图为中州铝业党员开展主题党日活动", 200, 330, 400), line("为群众办实事篇", 255, 360, 345),
             line("正文", 70, 380, FULL)]
    blocks = make_blocks(lines, images={1: [(150, 140, 450, 325)]})
    assert [b.kind for b in blocks] == ["para", "caption", "title", "para"]


def test_a_table_broken_over_a_page_is_one_block():
    from archive.ingest.tables import TABLE_FONT
    a = line("单位\t人数\n中铝山东\t35", 50, 700, 500, font=TABLE_FONT)
    b = line("单位\t人数\n华西铝业\t12", 50, 80, 500, page=2, font=TABLE_FONT)
    title = line("表1 各单位参加人数", 70, 680, 250)
    blocks = make_blocks([title, a, b])
    assert [bl.kind for bl in blocks] == ["caption", "table"] and len(blocks[1].lines) == 2
