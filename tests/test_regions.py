"""Pages in several column regions (newspaper style): gutters that start and stop, found from the
geometry (ingest/strips.py, ingest/regions.py), and pages read region by region, band by band
(columns.layout_page, reader.Reader). Synthetic pages: CJK glyphs one size apart."""
import json

import pytest

from archive.ingest.columns import layout_page
from archive.ingest.layout import group_rows, split_fragments
from archive.ingest.regions import even_columns, find_regions
from conftest import FIXTURES, assert_matches_truth
from geometry import glyphs, page

S = 10.0
LEFT, RIGHT = 50.0, 550.0
TWO = ((50.0, 290.0), (310.0, 550.0))  # two columns, a 20 pt gutter
THREE = ((50.0, 205.0), (222.0, 378.0), (395.0, 550.0))  # three columns, 17 pt gutters
LEAD = 16.0  # leading


def run(text, x0, x1, top):
    """A line filling x0..x1 (CJK glyphs one size apart) from `text` repeated."""
    n = int((x1 - x0) // S)
    return glyphs((text * 60)[:n], x0, top, S)


def full(top, n, short_last=True):
    out = []
    for k in range(n):
        x1 = RIGHT if not (short_last and k == n - 1) else LEFT + 120.0
        out += (run("全宽导语正文", LEFT + (2 * S if k == 0 else 0), x1, top + k * LEAD))
    return out, top + n * LEAD


def cols(columns, top, n, offset=0.0):
    """n lines in each column; column k's lines `offset` * k lower (baselines apart)."""
    out = []
    for k, (a, b) in enumerate(columns):
        for i in range(n):
            out += run("分栏正文内容", a, b, top + i * LEAD + offset * k)
    return out, top + n * LEAD + offset * (len(columns) - 1)


def regions_of(rows_of_chars):
    chars = [c for r in rows_of_chars for c in r]
    rows = [r for r in (split_fragments(r) for r in group_rows(chars)) if r]
    return [(r.first, r.last, len(r.gutters)) for r in find_regions(rows, LEFT, RIGHT, S)[0]], rows


def layout(*parts):
    out, top = [], 60.0
    for make, *args in parts:
        lines, top = make(top, *args) if make is full else make(args[0], top, *args[1:])
        out += lines
        top += 8
    return out


def read(chars, **kw):
    lines, _ = layout_page(page([chars], **kw))
    return lines


def texts(lines):
    return [ln.text for ln in lines]


@pytest.mark.parametrize("parts, want", [
    # a full-width lead (its last line short: it leaves the gutter free) over two columns
    ([(full, 3), (cols, TWO, 4)], [(0, 2, 0), (3, 6, 1)]),
    # two columns, a full-width item, three columns
    ([(cols, TWO, 4), (full, 2), (cols, THREE, 4)], [(0, 3, 1), (4, 5, 0), (6, 9, 2)]),
    # three columns straight on two columns: the gutters change where the rows change
    ([(cols, THREE, 3), (cols, TWO, 4)], [(0, 2, 2), (3, 6, 1)]),
    # columns whose lines sit on baselines apart (rows alternate between them): one region
    ([(full, 2), (cols, TWO, 4, 8.0)], [(0, 1, 0), (2, 9, 1)]),
    # two lines a column: a region of two rows
    ([(full, 3), (cols, TWO, 2), (full, 2)], [(0, 2, 0), (3, 4, 1), (5, 6, 0)]),
    # one column only: no gutter
    ([(full, 5)], [(0, 4, 0)]),
])
def test_regions_from_gutters_that_start_and_stop(parts, want):
    got, _ = regions_of([layout(*parts)])
    assert got == want


def test_a_heading_over_the_next_regions_first_column_leaves_the_old_gutter_free():
    """Three columns, then two: the first row of the two holds a short heading in its first column
    (ending right at the first gutter of the three) and the second column's text; the old gutter
    runs on there, but the row belongs to the two columns under it."""
    chars, top = cols(THREE, 60.0, 3)
    chars += glyphs("能力作风建设", 205.0 - 6 * S, top + 8, S) + run("分栏正文内容", 310.0, 550.0, top + 8)
    more, _ = cols(TWO, top + 24, 4)
    got, _ = regions_of([chars + more])
    assert got == [(0, 2, 2), (3, 7, 1)]


# --- what is no gutter ------------------------------------------------------------------------

def drawn_in_two():
    """Lines of a producer that drew the Latin of each line half a line lower, in a row of its
    own (a GB/T standard): two such rows have text on both sides of a gap, each beside a CJK row
    that runs across it."""
    chars = run("钛及钛合金牌号和化学成分", LEFT, RIGHT, 60.0)                                  # across
    chars += glyphs("，", 230.0, 68.0, S) + glyphs("GB/T3620", 345.0, 68.0, S)                  # its Latin
    chars += glyphs("4化学成分分析", LEFT, 90.0, S)
    chars += run("钛及钛合金产品化学成分", LEFT, 225.0, 112.0) + run("进行常规检验可按", 267.0, 470.0, 112.0)
    chars += glyphs("GB/T4698", 225.0, 120.0, S)                                               # across
    return chars


def latin_river():
    """Loosely spaced Latin lines across the page (word spaces of about 0.7 sizes), one word space
    running down three of them at the middle, as wide as the lines' other word spaces."""
    lengths = [([9, 8, 9, 8, 8], [9, 9, 9, 9, 8]), ([10, 7, 9, 8, 8], [8, 10, 8, 9, 9]),
               ([8, 9, 8, 9, 8], [10, 8, 9, 8, 9])]
    chars = []
    for i, ((left, right), (end, start)) in enumerate(zip(lengths, ((284.0, 298.0), (290.0, 301.0), (287.0, 303.0)))):
        y = 60.0 + i * LEAD
        for words, x0, x1 in ((left, LEFT, end), (right, start, RIGHT)):
            space = (x1 - x0 - sum(words) * S / 2) / (len(words) - 1)  # justified
            x = x0
            for n in words:
                chars += glyphs("w" * n, x, y, S)
                x += n * S / 2 + space
    return chars


@pytest.mark.parametrize("chars", [
    # a word space at the same place down four lines: the "column" left of it is narrow
    [c for i in range(4) for c in glyphs("Conference", LEFT, 60 + LEAD * i, S) + run("分栏正文内容", 110.0, RIGHT, 60 + LEAD * i)],
    # a gap between rows of a line drawn in two, half a line apart (a GB/T standard)
    drawn_in_two(),
    # a word space running down loosely spaced Latin lines
    latin_river(),
    # short pieces either side of a wide gap, down two lines (holes where a producer drew a line's
    # Latin elsewhere): no line fills a column
    glyphs("本标准代替标准", LEFT, 60.0, S) + glyphs("钛及钛合金牌号", 330.0, 60.0, S)
    + glyphs("修订了牌号中的", LEFT, 76.0, S) + glyphs("牌号的编辑错误", 330.0, 76.0, S),
    # a signature line and a date under it: a form, not columns (nothing fills a column)
    glyphs("学校党委（盖章）", 215.0, 60.0, S) + glyphs("年", 251.0, 80.0, S) + glyphs("月", 290.0, 80.0, S)
    + glyphs("九、申报学校推荐及承诺意见", 80.0, 100.0, S) + glyphs("- 29 -", 487.0, 190.0, S),
    # regression: a masthead's two rows — the number left and 总第 right (an ideographic space
    # between), the publisher left and the date right — ragged on both sides of the gap: no columns
    # (the number line was read apart from its 总第, the masthead lost its total number and date)
    run("二零零三年第三十一期第三十二期", 95.0, 320.0, 60.0) + run("总第一百零九一百一十期", 334.0, 501.0, 60.0)
    + glyphs("党群工作部", 74.0, 88.0, S) + glyphs("二零零三年八月", 424.0, 88.0, S),
], ids=["narrow column", "lines drawn in two", "word space", "short pieces", "a form", "a masthead"])
def test_gaps_that_are_no_gutters(chars):
    got, _ = regions_of([chars])
    assert all(n == 0 for _, _, n in got)


def loose_second_column(top):
    """Loosely justified Latin lines in the second of two columns: word spaces as wide as the
    gutter, one running down three lines at the same place."""
    out = []
    words = [("refineries", "and", "electrolysis"), ("smelters", "of", "energy-based"), ("alumina", "to", "maintenance")]
    for i, (a, b, c) in enumerate(words):
        y = top + i * LEAD
        out += run("分栏正文内容", TWO[0][0], TWO[0][1], y)
        out += glyphs(a, 310.0, y, S) + glyphs(b, 310.0 + len(a) * 5 + 22, y, S) + glyphs(c, 460.0, y, S)
    return out


def test_a_word_space_in_a_loose_column_is_no_gutter_of_a_third_column():
    got, _ = regions_of([loose_second_column(60.0)])
    assert got == [(0, 2, 1)]  # the two columns only


@pytest.mark.parametrize("gutters, left, right, kept", [
    ([(290.0, 310.0)], 50.0, 550.0, 1),  # two columns of one width
    ([(205.0, 222.0), (378.0, 395.0)], 50.0, 550.0, 2),  # three
    ([(286.0, 312.0), (417.0, 432.0)], 70.0, 524.0, 1),  # a word space inside the second column goes
    ([(150.0, 170.0)], 50.0, 550.0, 0),  # columns of 100 and 380 points: no region of columns
    ([(285.0, 299.0)], 40.0, 544.0, 1),  # three columns, the third left empty: measured to the text's end
])
def test_a_region_has_columns_of_one_width(gutters, left, right, kept):
    assert len(even_columns(gutters, left, right)) == kept


# --- reading order -----------------------------------------------------------------------------

def test_page_read_region_by_region():
    """Two columns, a full-width paragraph, three columns: each column read top to bottom inside
    its region, the regions in order, never a line across two columns."""
    lines = read(layout((cols, TWO, 4), (full, 3), (cols, THREE, 4)))
    assert [ln.column for ln in lines] == [1] * 4 + [2] * 4 + [0] * 3 + [1] * 4 + [2] * 4 + [3] * 4


def test_a_column_holding_a_single_line_at_the_columns_pitch():
    """Three columns of two rows, the third holding the last line of the second's paragraph: the
    third gutter shows in one row only, at the pitch of the first; the line is read last."""
    chars = glyphs("学·习之路", 270.0, 30.0, 2 * S)
    chars += run("左栏第一段", *THREE[0], 60.0) + run("左栏第一段", *THREE[0], 76.0)
    chars += run("中栏段落", *THREE[1], 60.0) + run("中栏段落", *THREE[1], 76.0)
    chars += glyphs("帆）", THREE[2][0], 60.0, S)
    chars += run("全宽导语正文", LEFT, RIGHT, 100.0)
    got = texts(read(chars))
    assert got[-2:] == ["帆）", texts(read(run("全宽导语正文", LEFT, RIGHT, 100.0)))[0]]
    assert [t[:2] for t in got[1:6]] == ["左栏", "左栏", "中栏", "中栏", "帆）"]


def two_regions_in_the_same_columns(margin):
    """Two column regions of two columns one over the other, the first's second column going on
    from its first (a paragraph balanced over them), `margin` points of blank between them, the
    second opening with a heading in each column."""
    chars = []
    for i in range(3):
        chars += run("甲段落文字", *TWO[0], 60 + i * LEAD) + run("乙续上文字", *TWO[1], 60 + i * LEAD)
    top = 60 + 3 * LEAD + margin
    chars += glyphs("能力作风建设篇", 120.0, top, 1.2 * S) + glyphs("安全生产责任篇", 380.0, top, 1.2 * S)
    for i in range(2):
        chars += run("丙段落文字", *TWO[0], top + 20 + i * LEAD) + run("丁段落文字", *TWO[1], top + 20 + i * LEAD)
    return chars


@pytest.mark.parametrize("margin", [8.0, 3.0])
def test_a_column_region_over_another_in_the_same_columns(margin):
    """Read band by band: the first region's columns, then the second's (a heading opening a
    column under a line that ran on into the next column starts a new band, however small the
    blank over it)."""
    got = [t[0] for t in texts(read(two_regions_in_the_same_columns(margin)))]
    assert got == ["甲"] * 3 + ["乙"] * 3 + ["能"] + ["丙"] * 2 + ["安"] + ["丁"] * 2


def test_a_heading_under_a_paragraph_end_does_not_start_a_band():
    """Regression (Typst): a heading centred in the first column with the second column short
    above it, the first column's paragraph over it ended: one band, first column first."""
    chars = []
    for i in range(3):
        chars += run("甲段落文字", *TWO[0], 60 + i * LEAD)
    chars += glyphs("甲段落结束。", TWO[0][0], 60 + 3 * LEAD, S)
    chars += run("乙续上文字", *TWO[1], 60) + glyphs("乙结束。", TWO[1][0], 60 + LEAD, S)
    chars += glyphs("为群众办实事篇", 120.0, 60 + 4 * LEAD + 6, 1.2 * S)
    for i in range(3):
        chars += run("丙段落文字", *TWO[0], 80 + 5 * LEAD + i * LEAD)
    got = [t[0] for t in texts(read(chars))]
    assert got == ["甲"] * 4 + ["为"] + ["丙"] * 3 + ["乙"] * 2


# --- rows under no gutters that show a layout the page has elsewhere --------------------------------

def page_with_two_column_region():
    """A full-width lead, two columns of three lines (a region in columns of its own: most of the
    page's rows are full-width, it shows no gutters of its own), a full-width paragraph, and
    full-width text at the foot; returns the glyphs and where the rows under test go."""
    chars, top = full(60.0, 3)
    more, top = cols(TWO, top + 8, 3)
    between, top = full(top + 8, 2)
    foot, _ = full(top + 120, 4)
    return chars + more + between + foot, top + 12


@pytest.mark.parametrize("rows, want", [
    # a paragraph balanced 2+1: the first column's two lines, the second's one meeting the gutter
    (lambda top: run("左栏文字", *TWO[0], top) + run("右栏续文", TWO[1][0], 450.0, top)
     + glyphs("左栏末行。", TWO[0][0], top + LEAD, S), ["左", "左", "右"]),
    # a line of a paragraph in each column, each opening its paragraph indented alike
    (lambda top: glyphs("左栏一段短文。", TWO[0][0] + 2 * S, top, S) + glyphs("右栏另一段。", TWO[1][0] + 2 * S, top, S),
     ["左", "右"]),
    # a column region whose two lines all went into its first column: the first ends at its edge
    (lambda top: run("左栏文字", TWO[0][0] + 2 * S, TWO[0][1], top) + glyphs("左栏末行。", TWO[0][0], top + LEAD, S),
     ["左", "左"]),
])
def test_rows_showing_the_pages_layout_are_read_in_it(rows, want):
    chars, top = page_with_two_column_region()
    lines = [ln for ln in read(chars + rows(top)) if ln.box.top >= top - 1 and ln.box.top < top + 3 * LEAD]
    tail = lines[-len(want):]
    assert [ln.text[0] for ln in tail] == want
    assert all(ln.column for ln in tail)  # in a column, with its edges: not across the page
    assert all(ln.right <= TWO[0][1] + 1 for ln in tail if ln.column == 1)


def test_a_full_width_paragraphs_last_line_ending_at_a_column_edge_stays_full_width():
    chars, top = page_with_two_column_region()
    chars += run("全宽导语正文", LEFT + 2 * S, RIGHT, top) + run("全宽导语正文", LEFT, TWO[0][1], top + LEAD)
    [last] = [ln for ln in read(chars) if abs(ln.box.top - (top + LEAD)) < 1]
    assert last.column == 0 and last.right > TWO[1][0]


def test_a_column_region_going_on_at_the_top_of_the_next_page():
    """The page before ends in two columns; this page opens with the end of a paragraph in that
    first column (its other column empty), then a full-width title: read in the column."""
    chars, _ = page_with_two_column_region()
    _, found = layout_page(page([chars]))
    nxt = run("左栏续文", TWO[0][0], TWO[0][1], 60.0) + glyphs("左栏末行。", TWO[0][0], 60.0 + LEAD, S)
    nxt += glyphs("开·新之局", 250.0, 110.0, 2 * S) + run("全宽导语正文", LEFT, RIGHT, 150.0)
    lines, _ = layout_page(page([nxt], number=2), hint=found)
    assert [ln.column for ln in lines[:2]] == [1, 1]
    assert lines[0].right <= TWO[0][1] + 1


def test_a_regions_tail_in_another_layouts_first_column():
    """Under two columns, a paragraph of the next region (three columns, all its text in the first)
    lies under the two columns' strip, which it leaves free: from its first (indented) line on,
    ending at the three columns' edge, it is read in the three columns, after the two."""
    chars, top = full(60.0, 3)
    for part in ((cols, THREE, 3), (full, 2), (cols, TWO, 3)):
        more, top = part[0](part[1], top + 8, part[2]) if part[0] is cols else full(top + 8, part[1])
        chars += more
    top += 12
    chars += run("三栏首段文字", THREE[0][0] + 2 * S, THREE[0][1], top) + glyphs("三栏首段结束。", LEFT, top + LEAD, S)
    foot, _ = full(top + 120, 4)
    lines = read(chars + foot)
    tail = [ln for ln in lines if ln.text.startswith("三栏首段")]
    assert lines.index(tail[0]) > max(i for i, ln in enumerate(lines) if ln.column == 2)
    assert tail[0].right <= THREE[0][1] + 1


def test_a_line_reaching_its_columns_edge_in_mid_sentence_under_short_columns_is_column_text():
    """Two columns down the page (the page's gutter), the second ending early; after a wide blank
    the first column goes on with a paragraph whose first line reaches the column's edge: read in
    the column (not across the page as a footer under short columns would be), its paragraph whole."""
    chars = glyphs("中铝股份党群工作", 200.0, 20.0, 2 * S)
    for i in range(8):
        chars += run("甲段落文字", *TWO[0], 60 + i * LEAD) + (run("乙段落文字", *TWO[1], 60 + i * LEAD) if i < 6 else [])
    top = 60 + 8 * LEAD + 12
    chars += run("丙段落文字", TWO[0][0] + 2 * S, TWO[0][1], top) + glyphs("丙结束。", TWO[0][0], top + LEAD, S)
    lines = read(chars)
    first = next(ln for ln in lines if ln.text.startswith("丙"))
    assert first.column == 1 and first.right <= TWO[0][1] + 1


# --- the fixtures ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(p.stem for p in (FIXTURES / "regions").glob("*.pdf")))
def test_regions_fixture_matches_truth(archive, name):
    """Issues in several column regions a page (scripts/fixtures/render_regions.py fixtures: WeasyPrint and
    Chromium): every item whole, on its pages, the leads not taken for headings."""
    pdf = FIXTURES / "regions" / f"{name}.pdf"
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    assert archive("import", pdf).exit_code == 0
    [issue] = json.loads(archive("export").output)
    assert_matches_truth(issue, truth)


def test_a_short_column_region_is_as_wide_as_its_lines_show_not_as_its_gutter_says():
    """Regression (a volume's masthead page under a photo): a two-line column region whose layout
    gutter is narrower than the blank its lines leave (299.8–308.8, lines 281 | 312) made the second
    column as wide as start-to-start less that gutter (to 540.7): its full lines looked short and a
    paragraph going on in it was cut in two. Its width is what the columns' lines show."""
    from archive.ingest.reader import ColumnBox, region_boxes
    chars = (run("历史是最好的教科书", 92.0, 281.0, 652.0) + run("远激励我们在岗位上", 71.0, 281.0, 669.0)
             + run("史是最好的教科书革", 312.0, 522.0, 628.0) + run("我们在岗位上勇挑", 312.0, 480.0, 646.0))
    rows = [r for r in (split_fragments(r) for r in group_rows(chars)) if r]
    boxes = region_boxes(rows, [(299.8, 308.8)], ColumnBox(71.0, 540.7, S), S)
    assert boxes[1].left == pytest.approx(312.0, abs=0.5)
    assert boxes[0].right == pytest.approx(281.0, abs=1.0) and boxes[1].right == pytest.approx(522.0, abs=1.0)


def test_a_column_opening_in_mid_paragraph_is_read_after_the_column_before():
    """Regression (a photographed page): the second column's first lines — going on from the
    first column's last line at the foot of the page — stood a little higher than the first
    column's heading, and a blank across both columns (a section's end in each, a heading under
    it in each) was taken for the end of a column region: the second column's top was read
    before the first column's foot, the paragraph cut in two. A later column opening with a
    paragraph's later line, the column before it having ended its paragraph, is no region's top."""
    H = 14.0
    chars = glyphs("学习之路", 130.0, 100.0, H)
    chars += run("要弘扬劳模精神劳动精神工匠精神", 70.0, 290.0, 122.0) + run("激励广大职工建功立业。", 50.0, 160.0, 138.0)
    chars += glyphs("思理之源", 130.0, 180.0, H)
    for k in range(4):
        chars += run("作为一名青年员工要立足本职苦练本领", 50.0 if k else 70.0, 290.0, 202.0 + k * LEAD)
    chars += run("为群众办实事志愿服务活动走访慰问困难", 50.0, 290.0, 266.0)         # runs on: mid-sentence
    chars += run("职工户重庆分公司推进系统上线实现物资采购", 310.0, 550.0, 92.0)      # ...here, a little higher
    chars += run("全流程线上审批贵州华锦组织小组活动成果发", 310.0, 550.0, 108.0)
    chars += run("布包头铝业开展安全大检查。", 310.0, 440.0, 124.0)
    chars += glyphs("悟心之语", 390.0, 174.0, H)
    for k in range(5):
        chars += run("学史明理学史增信学史崇德学史力行要把学习", 330.0 if not k else 310.0, 550.0, 196.0 + k * LEAD)
    lines = texts(read(chars, width=600.0, height=842.0))
    foot = next(i for i, t in enumerate(lines) if t.startswith("为群众办实事"))
    top = next(i for i, t in enumerate(lines) if t.startswith("职工户"))
    assert top == foot + 1, lines
