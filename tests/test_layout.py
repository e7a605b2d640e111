import dataclasses

import pytest

from archive.ingest.columns import page_lines
from archive.ingest.layout import group_rows, line_text
from archive.ingest.pdf import Char, dedupe

from geometry import glyphs, page


def test_rows_join_latin_digits_on_another_baseline():
    # digits in a Latin font sit a little lower than the CJK glyphs of the same line
    chars = glyphs("规划和", 50, 100, 10) + [Char("2", 80, 85, 101.5, 110.5, 10, "Times")] + glyphs("年", 85, 100, 10)
    rows = group_rows(chars)
    assert len(rows) == 1
    assert line_text(rows[0]) == "规划和2年"


def test_rows_take_digits_whose_box_hangs_below_the_line():
    # regression: a journal's digit font reports boxes 6 pt lower than the CJK line (2035年 split off)
    chars = glyphs("规划和", 50, 100, 10) + [Char(d, 80 + 5 * i, 85 + 5 * i, 106, 116, 10, "U-BZ") for i, d in enumerate("2035")]
    chars += glyphs("年", 100, 100, 10) + glyphs("下一行", 50, 116, 10)
    assert [line_text(r) for r in group_rows(chars)] == ["规划和2035年", "下一行"]


def test_visible_gap_becomes_space():
    chars = glyphs("ERP", 50, 100, 10) + glyphs("system", 70, 100, 10)
    assert line_text(chars) == "ERP system"


def test_zero_width_space_glyphs_are_not_spaces():
    # Chromium writes a space glyph at each soft-hyphen point of a justified line, overlapped by the next letter
    chars = glyphs("Inte", 50, 100, 10) + [Char(" ", 70, 73, 100, 110, 10, "F")] + glyphs("rnational", 70, 100, 10)
    assert line_text(chars) == "International"


def test_justification_gap_inside_a_word_is_not_a_space():
    # the producer writes real spaces as glyphs, so a gap without one is stretch, not a word break
    chars = glyphs("for", 50, 100, 10) + [Char(" ", 65, 68, 100, 110, 10, "F")] + glyphs("alumi", 69, 100, 10)
    chars += glyphs("nium", 96, 100, 10)  # a 2 pt stretch between "alumi" and "nium"
    assert line_text(chars) == "for aluminium"


def test_fake_bold_glyphs_are_dropped():
    chars = [dict(text=t, x0=x + dx, top=100 + dy, x1=x + dx + 10, bottom=110 + dy)
             for x, t in ((50, "安"), (60, "徽")) for dx, dy in ((0, 0), (0.24, 0), (0, 0.24), (0.24, 0.24))]
    assert "".join(c["text"] for c in dedupe(chars)) == "安徽"


def two_column_page():
    rows = [glyphs("中铝股份党群工作", 200, 60, 20)]                        # masthead spans the page
    rows += [glyphs("党群工作部", 60, 100, 10) + glyphs("2021年4月16日", 440, 100, 10)]  # publisher | date
    for i in range(12):
        top = 140 + i * 16
        rows.append(glyphs(f"左栏第{i:02d}行文字内容排版测试", 60, top, 10))
        rows.append(glyphs(f"右栏第{i:02d}行文字内容排版测试", 320, top, 10))
    return page(rows)


def test_two_columns_read_left_then_right():
    lines = page_lines(two_column_page())
    texts = [ln.text for ln in lines]
    assert texts[0] == "中铝股份党群工作"
    assert texts[1] == "党群工作部 2021年4月16日"  # the full-width row stays one line, before the columns
    left = [t for t in texts if t.startswith("左栏")]
    right = [t for t in texts if t.startswith("右栏")]
    assert texts[2:] == left + right
    assert left == sorted(left) and len(left) == 12


def test_single_column_is_not_split():
    rows = [glyphs("这是一行很长的正文文字，一直排到右边的页边距附近为止的排版内容测试用例", 60, 100 + i * 16, 10)
            for i in range(10)]
    lines = page_lines(page(rows))
    assert len(lines) == 10 and all(ln.column == 0 for ln in lines)


# --- columns from the page's geometry, any number ---------------------------------------------------

def column_rows(x0s, top, n, width=9, size=10, label="栏"):
    """n lines in each column starting at x0s, `width` characters wide."""
    rows = []
    for i in range(n):
        for k, x in enumerate(x0s):
            rows.append(glyphs(f"{label}{k}行{i:02d}" + "字" * (width - 5), x, top + i * 16, size))
    return rows


@pytest.mark.parametrize("x0s", [(40, 240, 440), (40, 190, 340, 490)], ids=["3 columns", "4 columns"])
def test_columns_are_read_one_after_another(x0s):
    rows = column_rows(x0s, 100, 10, width=12 if len(x0s) == 3 else 11)
    lines = page_lines(page(rows, width=842 if len(x0s) == 4 else 595))
    order = [ln.text[:5] for ln in lines]
    assert order == [f"栏{k}行{i:02d}" for k in range(len(x0s)) for i in range(10)]
    assert {ln.column for ln in lines} == set(range(1, len(x0s) + 1))


def test_a_title_over_the_columns_splits_the_flow():
    rows = column_rows((40, 240, 440), 100, 6, width=12)
    rows.append(glyphs("践·铝之行", 260, 210, 18))  # centred over the middle column: nothing beside it
    rows += column_rows((40, 240, 440), 250, 6, width=12, label="下")
    texts = [ln.text for ln in page_lines(page(rows))]
    at = texts.index("践·铝之行")
    assert all(t.startswith("栏") for t in texts[:at]) and all(t.startswith("下") for t in texts[at + 1:])
    assert [t[:5] for t in texts[at + 1:at + 7]] == [f"下0行{i:02d}" for i in range(6)]


def test_lines_of_neighbouring_columns_are_never_joined():
    # regression: 「…必须团结带领中党日活动。贵州华锦…」 — a column's line ran on into the next one's
    rows = column_rows((40, 240, 440), 100, 8, width=12)
    rows[1] = [dataclasses.replace(c, top=c.top + 4, bottom=c.bottom + 4) for c in rows[1]]  # baselines apart
    lines = page_lines(page(rows))
    assert all(ln.text.count("行") == 1 for ln in lines), [ln.text for ln in lines if ln.text.count("行") > 1]


def test_a_mark_hanging_into_a_narrow_gutter_does_not_join_the_columns():
    rows = []
    for i in range(8):  # a 12 pt gutter; every other left line ends with a full-width 。 hanging into it
        left = glyphs(f"左{i}" + "字" * 14 + ("。" if i % 2 else ""), 40, 100 + i * 16, 10)
        right = glyphs(f"右{i}" + "字" * 14, 222, 100 + i * 16, 10)
        rows.append(left + right)
    texts = [ln.text for ln in page_lines(page(rows))]
    assert [t[:2] for t in texts] == [f"左{i}" for i in range(8)] + [f"右{i}" for i in range(8)]


def test_a_short_column_beside_a_picture_is_a_column():
    rows = column_rows((40, 240), 100, 10, width=12)
    rows.append(glyphs("图为党员开展主题党日活动", 446, 200, 8))  # a caption under a picture in a third column
    rows.append(glyphs("续接上栏的一行文字内容", 440, 230, 10))
    lines = page_lines(page(rows))
    assert [ln.text for ln in lines][-2:] == ["图为党员开展主题党日活动", "续接上栏的一行文字内容"]


def test_no_column_without_text_of_its_own():
    """Regression (LibreOffice, three columns, the middle one a picture with its caption, a short
    版记 and a folio under them): the valley between the end of the 版记's longest line and the
    folio was taken for a fourth column's gutter; the caption, crossing it, was joined with the
    third column's line beside it."""
    s = 11
    rows = [glyphs("续" * 19, 34, 48 + i * 17, s) for i in range(3)]
    rows.append(glyphs("开·新之局", 312, 107, 20))
    for i in range(11):
        top = 147 + i * 17
        if i < 3:
            rows.append(glyphs("左" * 19, 34, top, s))
        rows.append(glyphs("右" * 19, 482, top, s))
    rows.append(glyphs("图为中铝国贸组织职工开展安全生产应急演练", 258, top - 5 * 17 + 7, 9.5))
    rows.append(glyphs("（本期信息采集时间：2月17日-2月22日）", 34, 350, s))
    rows.append(glyphs("发放：公司领导，本部各部门、各实体企业", 34, 372, s))
    rows.append(glyphs("抄送：集团党群工作部", 34, 386, s) + glyphs("投稿邮箱：gfdqb1@chalco.com.cn", 166.5, 386, s))
    rows.append(glyphs("— 2 —", 349, 1002, 10.5))
    texts = [ln.text for ln in page_lines(page(rows, width=728))]
    assert "图为中铝国贸组织职工开展安全生产应急演练" in texts
    assert texts.index("图为中铝国贸组织职工开展安全生产应急演练") < texts.index("右" * 19)


# ---- the gutter finder's counts, against their plain definitions (they were rewritten for speed) ----

def plain_coverage(rows, lo, hi):
    """For each point from lo to hi: how many rows have text there (a point counted once a row)."""
    steps = int(hi - lo) + 1
    return [sum(1 for frags in rows
                if any(max(int(f.x0 - lo), 0) <= i <= min(int(f.x1 - lo), steps - 1) for f in frags))
            for i in range(steps)]


def plain_low_points(cover, cutoff, reach):
    """Points covered at most `cutoff` times with twice their cover (COLUMN_MIN_ROWS at least) within
    `reach` points on both sides."""
    from archive.ingest.gutters import COLUMN_MIN_ROWS, GUTTER_VALLEY

    def rises(i, side):
        want = max(COLUMN_MIN_ROWS, cover[i] / GUTTER_VALLEY)
        return any(cover[j] >= want for j in side if 0 <= j < len(cover))
    return [i for i, n in enumerate(cover)
            if n <= cutoff and rises(i, range(i - reach, i)) and rises(i, range(i + 1, i + reach + 1))]


@pytest.mark.parametrize("seed", range(40))
def test_coverage_and_valleys_count_as_their_definitions(seed):
    import random
    from types import SimpleNamespace

    from archive.ingest.gutters import coverage, least_stretch, runs_of, valleys
    rnd = random.Random(seed)
    lo = rnd.uniform(-20, 50)
    hi = lo + rnd.uniform(0, 300)
    rows = [[SimpleNamespace(x0=(a := rnd.uniform(lo - 40, hi + 40)), x1=a + rnd.uniform(-1, 80))
             for _ in range(rnd.randint(1, 5))] for _ in range(rnd.randint(0, 12))]
    cover = coverage(rows, lo, hi)
    assert cover == plain_coverage(rows, lo, hi)
    cutoff, reach = rnd.uniform(0, 5), rnd.randint(0, 40)
    low = plain_low_points(cover, cutoff, reach)
    assert valleys(cover, cutoff, reach) == [least_stretch(cover, a, b) for a, b in runs_of(low)]


def test_a_fragment_ends_at_the_farthest_right_edge_so_far():
    # a wide glyph early in a fragment keeps a later one that starts inside it in the same fragment
    from archive.ingest.layout import split_fragments
    wide = Char("—", 50, 90, 100, 110, 10, "Song")
    row = [wide, Char("a", 55, 60, 100, 110, 10, "Song"), Char("b", 85, 90, 100, 110, 10, "Song")]
    assert [len(f.chars) for f in split_fragments(row)] == [3]
    assert [len(f.chars) for f in split_fragments(row + [Char("c", 140, 145, 100, 110, 10, "Song")])] == [3, 1]


def plain_dedupe(chars, tol):
    """dedupe's definition: a glyph goes when a glyph kept before it, of the same text (not blank),
    lies within tol across and down."""
    kept = []
    for c in chars:
        if c["text"].strip() and any(k["text"] == c["text"] and abs(k["x0"] - c["x0"]) <= tol
                                     and abs(k["top"] - c["top"]) <= tol for k in kept):
            continue
        kept.append(c)
    return kept


@pytest.mark.parametrize("seed", range(40))
def test_dedupe_drops_as_its_definition(seed):
    import random
    from archive.ingest.pdf import FAKE_BOLD_TOLERANCE
    rnd = random.Random(seed)
    tol = FAKE_BOLD_TOLERANCE
    chars = []
    for _ in range(rnd.randint(0, 60)):  # a few texts, close together and drawn again at small offsets
        x0, top = rnd.uniform(-5, 5) * tol, rnd.uniform(-5, 5) * tol
        chars.append(dict(text=rnd.choice("安徽 a"), x0=x0, top=top))
        if rnd.random() < 0.5:
            chars.append(dict(chars[-1], x0=x0 + rnd.uniform(-1.5, 1.5) * tol, top=top + rnd.uniform(-1.5, 1.5) * tol))
    assert dedupe(chars, tol) == plain_dedupe(chars, tol)


@pytest.mark.parametrize("seed", range(40))
def test_dominant_size_is_the_mode_of_the_rounded_sizes(seed):
    import random
    import statistics
    from archive.ingest.layout import dominant_size
    rnd = random.Random(seed)
    sizes = [rnd.choice((9.96, 10.0, 10.04, 10.5, 12.0, 12.04, 15.95)) for _ in range(rnd.randint(0, 30))]
    chars = [Char(rnd.choice("字 a\u3000"), 0, 1, 0, 1, s, "F") for s in sizes]
    kept = [round(c.size, 1) for c in chars if c.text.strip()]
    assert dominant_size(chars) == (statistics.mode(kept) if kept else 10.0)
