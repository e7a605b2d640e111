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
