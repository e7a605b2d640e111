"""Columns a producer does not balance (Typst; Word without a continuous section break): a section's
text fills the first column to the foot of the page before the next begins, so a column may hold
two lines or none, titles over the page may lie wholly inside a middle column, and a column's
heading may stand alone with nothing beside it. Also glyph-level quirks of such a producer: its one
hyphen glyph mapped to U+00AD, a heading set close under a picture's caption."""
import pytest

from archive.ingest.columns import page_lines
from archive.ingest.layout import line_text
from archive.ingest.paragraphs import make_blocks
from archive.ingest.pdf import Char

from geometry import glyphs, line, page

BODY = "党员干部深入基层开展调研走访活动切实解决群众"  # 22 glyphs: a 10 pt line from 60 to 280


def masthead_rows():
    return [glyphs("中铝股份党群工作", 180, 40, 30),
            glyphs("党群工作部", 60, 90, 14) + glyphs("2021年4月16日", 430, 90, 14)]


def title(text, top):
    return glyphs(text, 297.5 - len(text) * 8, top, 16)  # centred over the page


def test_a_short_second_column_under_a_centred_folio_is_a_column():
    """Regression (Typst): titles over the columns and a folio centred over the page fill the valley
    between the columns when the second holds two lines: no gutter was found, the page was read as
    one column and every line of the first column ended 'short' (a paragraph each)."""
    rows = masthead_rows() + [title("学·习之路", 130)]
    rows += [glyphs(BODY, 60, 160 + 16 * i, 10) for i in range(4)]
    rows += [title("践·铝之行", 240)]
    left = [glyphs(BODY, 60, 270 + 16 * i, 10) for i in range(20)]
    left[0] = glyphs("左栏开头" + BODY[6:], 80, 270, 10)  # indented
    rows += left + [glyphs("右栏还有两行文字内容排版测试结束", 305, 270, 10),
                    glyphs("右栏最后一行。", 305, 286, 10)]
    rows += [glyphs("第1页", 277, 800, 10, step=13)]  # wider than the gutter (280..305)
    lines = page_lines(page(rows))
    texts = [ln.text for ln in lines]
    first_right = texts.index("右栏还有两行文字内容排版测试结束")
    assert texts[first_right - 1] == BODY  # after the whole first column of the band
    assert texts[first_right + 1] == "右栏最后一行。"
    body = [ln for ln in lines if ln.text == BODY]
    assert body and all(ln.right == pytest.approx(280, abs=1) for ln in body)  # the column's edge


def test_a_page_of_one_filled_column_keeps_the_body_s_right_edge():
    """Regression (Typst): a page whose text all lies in the first column (the second starts on the
    next page): the lines' right edge came from the masthead and titles, so every line looked
    short and became a paragraph of its own."""
    rows = masthead_rows() + [title("学·习之路", 130), title("思·理之源", 400), title("践·铝之行", 600)]
    rows += [glyphs(BODY, 60, 160 + 16 * i, 10) for i in range(12)]
    rows += [glyphs(BODY, 60, 430 + 16 * i, 10) for i in range(10)]
    rows += [glyphs("第1页", 285, 800, 10)]
    body = [ln for ln in page_lines(page(rows)) if ln.text == BODY]
    assert len(body) == 22 and all(ln.right == pytest.approx(280, abs=1) for ln in body)


def test_a_heading_centred_in_its_column_with_nothing_beside_it_does_not_split_the_band():
    """Regression (Typst): a column's heading, larger than the body, centred in the first column
    with the second column short above it: read as a title over the page, it cut the band, and the
    second column's lines (the end of the paragraph before) came before it."""
    rows = masthead_rows() + [title("践·铝之行", 130)]
    rows += [glyphs(BODY, 60, 160 + 16 * i, 10) for i in range(10)]
    rows += [glyphs("为群众办实事篇", 113, 325, 12)]  # centred in 60..280
    rows += [glyphs(BODY, 60, 345 + 16 * i, 10) for i in range(10)]
    rows += [glyphs("比，表彰优秀共产党员二十一名。中铝物资推进", 315, 160, 10),
             glyphs("精益管理。", 315, 176, 10)]
    texts = [ln.text for ln in page_lines(page(rows))]
    assert texts[3:] == [BODY] * 10 + ["为群众办实事篇"] + [BODY] * 10 + [
        "比，表彰优秀共产党员二十一名。中铝物资推进", "精益管理。"]  # the first column, then the second


def test_the_columns_edges_come_from_the_body_not_titles_inside_a_middle_column():
    """Regression (Typst, A4 landscape, three columns): titles centred over the page lie wholly in
    the middle column, which holds two lines of text; its edges came from the titles, its lines
    did not fit it and were read across the page."""
    rows = [glyphs("中铝股份党群工作", 270, 30, 36)]
    for top, text in ((100, "学·习之路"), (200, "思·理之源"), (300, "悟·心之语")):
        rows.append(glyphs(text, 380, top, 16))
    rows += [glyphs(BODY[:20], 40, 130 + 16 * i, 10) for i in range(4)]
    rows += [glyphs(BODY[:20], 40, 230 + 16 * i, 10) for i in range(4)]
    rows += [glyphs(BODY[:20], 40, 330, 10) + glyphs("中栏第一行文字内容排版测试", 320, 330, 10)  # indented
             + glyphs(BODY[:20], 560, 330, 10)]
    rows += [glyphs(BODY[:20], 40, 346, 10) + glyphs("中栏第二行。", 300, 346, 10)
             + glyphs(BODY[:20], 560, 346, 10)]
    rows += [glyphs(BODY[:20], 560, 362 + 16 * i, 10) for i in range(6)]
    lines = page_lines(page(rows, width=842.0, height=595.0))
    middle = [ln for ln in lines if ln.text.startswith("中栏")]
    assert [ln.text for ln in middle] == ["中栏第一行文字内容排版测试", "中栏第二行。"]
    assert all(ln.column == 2 for ln in middle)


@pytest.mark.parametrize("width, want", [
    (5.0, "electrolysis-based"),  # drawn: the producer's one hyphen glyph, mapped to U+00AD
    (0.0, "electrolysis\u00adbased"),  # not drawn: a soft hyphen left in the text (dropped later)
])
def test_a_drawn_glyph_mapped_to_soft_hyphen_is_a_hyphen(width, want):
    chars = glyphs("electrolysis", 50, 100, 10)
    x = chars[-1].x1
    chars += [Char("\u00ad", x, x + width, 100, 110, 10, "F")] + glyphs("based", x + width, 100, 10)
    assert line_text(chars) == want


def test_a_line_ending_in_a_drawn_soft_hyphen_is_judged_by_the_word_list():
    """Typst maps its hyphen glyph to U+00AD, printed hyphens too: at a line's end the word list
    decides (energy-|management stays a compound, predic-|tive is one word)."""
    from archive.ingest.textrepair import repair
    ends = [line_text(glyphs("energy", 50, 100, 10) + [Char("\u00ad", 80, 85, 100, 110, 10, "F")]),
            line_text(glyphs("predic", 50, 100, 10) + [Char("\u00ad", 80, 85, 100, 110, 10, "F")])]
    assert repair([ends[0], "management"]) == "energy-management"
    assert repair([ends[1], "tive"]) == "predictive"


def test_a_heading_close_under_a_caption_is_no_second_caption():
    """Regression (Typst): a heading set right under a picture's caption was taken for a second
    caption of the picture (centred under it, within reach), so its items kept the heading before."""
    picture = (71.0, 70.0, 524.0, 335.0)
    lines = [line("图为云南铝业青年志愿者走访慰问困难职工", 198, 337, 398, size=10.5),
             line("为群众办实事篇", 245, 356, 350, size=15),
             line("广西华昇组织QC小组活动成果发布，7项成果获奖。中铝瑞闽为病困", 99, 379, 524, size=14,
                  left=71, right=524),
             line("职工捐款10300元。", 71, 404, 200, size=14, left=71, right=524)]
    blocks = make_blocks(lines, images={1: [picture]})
    assert [b.kind for b in blocks] == ["caption", "title", "para"]


def test_lines_opening_with_a_hanging_quote_do_not_set_the_column_s_left_edge():
    """Regression (Typst, 公文 look): a line opening with “ hangs half an em into the margin; taken
    for the left edge, it made every other line look indented half an em, the usual indent became
    half an em, and the 黑体 headings (indented two characters) were no headings."""
    rows = [glyphs("“不忘初心、牢记使命”不是一句口号而是要", 72, 100 + 28 * k, 16) if k % 3 == 0
            else glyphs("工作的自觉行动读红色家书感悟信仰的力量", 80, 100 + 28 * k, 16) for k in range(12)]
    lines = page_lines(page(rows))
    assert {ln.left for ln in lines} == {80}


def test_a_title_centred_on_the_page_in_the_middle_column_splits_the_band():
    """Regression (Typst, B4, three columns, the third empty on the page): a title centred on the
    page lies wholly in the middle column; measured from the text (which ends with the second
    column) it looked centred in its column away from the page's middle, a column's heading."""
    rows = [glyphs("悟·心之语", 309, 42, 22)]
    rows += [glyphs(BODY[:20], 42, 72 + 16 * i, 10) for i in range(30)]
    rows += [glyphs("开·新之局", 309, 560, 22)]
    for i in range(8):
        rows.append(glyphs(BODY[:20], 42, 590 + 16 * i, 10) + glyphs(BODY[:20], 262, 590 + 16 * i, 10))
    lines = page_lines(page(rows, width=728.5, height=1031.8))
    titles = [ln for ln in lines if ln.size == 22]
    assert [ln.column for ln in titles] == [0, 0]
    assert [ln.text for ln in lines].index("开·新之局") == 31  # after the first band's 30 lines


def test_a_title_centred_over_four_columns_hides_no_gutter():
    """Regression (Typst, A4 landscape, four columns): titles centred over the page lie on the
    middle gutter; with the band under the last title three lines deep, the gutter was not found
    and the second and third columns were read as one, line by line across both."""
    cols = dict(zip("甲乙丙丁", (40, 240, 440, 640)))  # 16 glyphs of 10 pt: 160 pt columns, 40 pt gutters
    rows = [glyphs("中铝股份党群工作", 277, 30, 36)]
    for top, text in ((100, "学·习之路"), (300, "思·理之源"), (480, "践·铝之行")):
        rows.append(glyphs(text, 371.5, top, 22))  # centred on 421, over the middle gutter
    rows += [glyphs(BODY[:16], 40, 140 + 16 * i, 10) for i in range(8)]
    rows += [glyphs(BODY[:16], 40, 340 + 16 * i, 10) for i in range(6)]
    for i in range(3):
        rows.append([c for name, x in cols.items() for c in glyphs(name * 4 + BODY[:12], x, 520 + 16 * i, 10)])
    lines = page_lines(page(rows, width=842.0, height=595.0))
    assert [ln.text for ln in lines if ln.text.startswith("丙")] == ["丙" * 4 + BODY[:12]] * 3


def test_a_next_column_of_one_line_beside_the_first_column_s_last_lines():
    """Regression (Typst): the last paragraph of a page's only filled column ran one line into
    the next column (「周婷）」 beside its first line): no gutter from one line, so the page was read
    as one column and the signature came in the middle of the sentence."""
    rows = masthead_rows() + [title("悟·心之语", 130)]
    rows += [glyphs(BODY, 60, 160 + 16 * i, 10) for i in range(12)]
    end = "党员干部深入基层开的明白人带头人。（中铝碳素"
    rows += [glyphs("安全是最大的效益每一位党员都要做安全生产", 80, 360, 10) + glyphs("周婷）", 310, 360, 10),
             glyphs(end, 60, 376, 10)]
    rows += [glyphs("第1页", 277, 800, 10, step=20)]  # over the whole gap
    texts = [ln.text for ln in page_lines(page(rows))]
    assert texts[-4:-1] == ["安全是最大的效益每一位党员都要做安全生产", end, "周婷）"]


def test_a_running_header_of_body_size_naming_the_issue_and_the_title_is_dropped():
    """Regression (Typst, A3, 9.5 pt body): the running header, printed once (not on the first
    page) at the body's size, was kept as an item: 「中铝股份党群工作　2042年第3期」."""
    from archive.ingest.margins import strip_furniture
    first = [line("中铝股份党群工作", 164, 50, 677, size=60)] + [
        line(BODY, 34, 200 + 15 * i, 250, size=9.5) for i in range(40)]
    second = [line("中铝股份党群工作　2042 年第3期", 34, 24, 184, size=9.5)] + [
        line(BODY, 34, 60 + 15 * i, 250, page=2, size=9.5) for i in range(40)]
    pages = strip_furniture([first, second], [1190.0, 1190.0])
    assert pages[1][0].text == BODY


def test_a_short_last_page_takes_the_right_edge_of_the_page_before():
    """Regression (fpdf2, 公文 look, ragged right): the last page held a title, a paragraph of two
    lines and the 版记; its right edge, from those few lines, fell inside the text, so the title
    centred on the page looked indented, not centred: an item 「开·新之局」, the section lost."""
    from archive.ingest.columns import carry_edges
    before = [line(BODY, 82, 60 + 28 * i, 506 - (i % 3) * 8, size=16, left=82, right=514) for i in range(24)]
    lines = [line("开·新之局", 266, 115, 334, page=2, size=16, left=82, right=390),
             line(BODY, 114, 143, 506, page=2, size=16, left=82, right=390),
             line("同比增长百分之十七。", 82, 171, 434, page=2, size=16, left=82, right=390)]
    carry_edges(lines, before)
    assert {ln.right for ln in lines} == {506}
    classifier_blocks = make_blocks(before + lines)
    assert any(b.kind == "title" and b.lines[0].text == "开·新之局" for b in classifier_blocks)


def test_a_paragraph_s_indented_first_line_under_a_long_caption_does_not_continue_it():
    """Regression (Typst): a left-set caption nearly as wide as the column, the paragraph after it
    set close under it: its indented first line had its middle within four sizes of the caption's
    and was taken for the caption's second line (the item began 「图为…困难职工作为一名…」)."""
    picture = (70.9, 326.0, 283.5, 455.0)
    lines = [line("图为中铝山东青年志愿者走访慰问困难职工", 70.9, 458.8, 270.4, size=10.5, left=70.9, right=283.5),
             line("作为一名青年员工，要立足本职、苦练本", 91.9, 476.6, 283.5, size=10.5, left=70.9, right=283.5),
             line("领，在平凡的岗位上做出不平凡的业绩。（贵州", 70.9, 495.1, 283.5, size=10.5, left=70.9, right=283.5),
             line("分公司 孙强）", 70.9, 513.6, 139.1, size=10.5, left=70.9, right=283.5)]
    blocks = make_blocks(lines, images={1: [picture]})
    assert [(b.kind, len(b.lines)) for b in blocks] == [("caption", 1), ("para", 3)]


def test_a_folio_over_the_gutter_sets_no_edge_of_the_column_beside_it():
    """Regression (Typst): a page's second column held two lines; the folio centred over the page
    (starting inside the gutter) counted as that column's text and set its left edge, so the
    column's second line looked indented: a new paragraph in the middle of a sentence."""
    rows = masthead_rows() + [title("悟·心之语", 130)]
    rows += [glyphs(BODY, 60, 160 + 16 * i, 10) for i in range(30)]
    rows += [glyphs("安全是最大的效益每一位党员都要", 335, 160, 10), glyphs("做安全生产的明白人带头人。", 315, 176, 10)]
    rows += [glyphs("－３－", 279, 800, 10, step=16)]  # over the whole gutter, its middle in the second column
    texts = [(ln.text, round(ln.left)) for ln in page_lines(page(rows)) if ln.text.startswith(("安全", "做安全"))]
    assert texts == [("安全是最大的效益每一位党员都要", 315), ("做安全生产的明白人带头人。", 315)]


# --- a loss the layout could not avoid is flagged, not silent ------------------------------------

@pytest.mark.parametrize("texts, kinds, pages", [
    (["山西中润党委以党建引领生产经", "营，2月份氧化铝产量同比增长30%，", "实现利润672万元。（山西中润）"], None, [3]),
    (["第一段说完了。", "第二段也说完了。（人民网）"], None, []),
    (["学习强国（新华社）", "坚持以人民为中心。"], None, []),  # a quote's source closes it
    (["一句话没有说完，", "接着说。"], None, [3]),  # no paragraph ends with a comma
    (["图为广西分公司党员开展主题党日活动", "正文一段。"], ["caption", "paragraph"], []),  # captions end so
    (["序号\t单位\n1\t华西铝业", "正文一段。"], ["table", "paragraph"], []),
    (["最后一段没有句号"], None, []),  # the last item has nothing after it to have been cut from
])
def test_a_paragraph_ending_mid_sentence_flags_the_issue(texts, kinds, pages):
    from archive.ingest.parse import broken_paragraphs
    from archive.model import Issue, Item, Section
    items = [Item(t, 3, 3, kind=k) for t, k in zip(texts, kinds or ["paragraph"] * len(texts))]
    issue = Issue(sections=[Section("践·铝之行", items)])
    assert sorted(set(broken_paragraphs(issue))) == pages


def last_page(col_end: float, footer_end: float) -> list:
    """An issue's last page after a page of two columns (60-280, 305-525): a section title over
    the page, its text in the first column only (lines ending at `col_end`, the last short), two
    版记 lines (the longer ending at `footer_end`), the 抄送 line over both columns, a centred folio."""
    rows = [title("开·新之局", 70)]
    rows += [glyphs("青海分公司个项目被评为省级技术创新优秀", 80, 100, 10, step=(col_end - 80) / 19)]
    rows += [glyphs("新优秀项目其中一等奖项获奖数量创新高", 60, 116, 10, step=(col_end - 60) / 18)]
    rows += [glyphs("历史新高。（青海分公司）", 60, 132, 10)]
    rows += [glyphs("（本期信息采集时间：2月25日-3月2日）", 60, 160, 10, step=(footer_end - 60) / 19)]
    rows += [glyphs("发放：公司领导，本部各部门、各实体企业", 60, 176, 10)]
    rows += [glyphs("抄送：集团党群工作部\u3000\u3000\u3000投稿邮箱：gfdqb1@chalco.com.cn", 60, 192, 10)]
    rows += [glyphs("－ 2 －", 279, 800, 10)]  # centred, over the gutter
    return rows


@pytest.mark.parametrize("col_end, footer_end, one_paragraph", [
    (280, 280, True),    # the section's lines reach the first column's edge
    (280, 287, True),    # ...and a 版记 line ends a little inside the gutter
])
def test_a_last_page_with_text_in_its_first_column_only_keeps_the_columns(col_end, footer_end, one_paragraph):
    """Regression (numerals/weasyprint-gs 0.9781, held-volumes/held-libreoffice 0.9829): a last page
    whose one section fills part of the first column, under a full-width 版记, was read as one
    column whose right edge the 抄送 line set: the paragraph's full lines looked short, and it split."""
    from archive.ingest.columns import layout_page
    from archive.ingest.regions import Columns
    lines, _ = layout_page(page(last_page(col_end, footer_end), number=2), hint=Columns([(280.0, 305.0)]))
    blocks = make_blocks(lines)
    texts = [" / ".join(ln.text for ln in b.lines) for b in blocks]
    joined = any(t.startswith("青海分公司") and "历史新高" in t for t in texts)
    assert joined is one_paragraph
