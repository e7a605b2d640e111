"""Tables ruled only across (三线表): found from the horizontal rules, each cell's wrapped lines
joined, so a company name wrapped inside its cell is one name, and found by phrase search."""
import json

import pytest

from archive.ingest.pdf import Page
from archive.ingest.tables import TABLE_FONT, rule_tables, table_text, take_tables
from conftest import FIXTURES
from geometry import glyphs

S = 10.0  # type size of the synthetic tables
X0, X1 = 100.0, 420.0  # the rules' extent
COLS = (106.0, 190.0, 300.0)  # where each column's text starts (cells left-aligned)


def rule(top):
    return (X0, top, X1, top + 0.5)


def cell(text, col, top):
    return glyphs(text, COLS[col], top, S)


def table(rows, gap=4.0, align="middle"):
    """Glyphs of a table: rows of cells, each cell a list of lines; the cells of a row set at its
    top or centred in it; `gap` between two rows (cell padding); rules above, under the header
    and at the foot."""
    chars, rules, top = [], [rule(90.0)], 95.0
    for r, cells in enumerate(rows):
        height = max(len(c) for c in cells) * (S + 4)
        for col, lines in enumerate(cells):
            start = top if align == "top" else top + (height - len(lines) * (S + 4)) / 2
            for n, text in enumerate(lines):
                chars += cell(text, col, start + n * (S + 4))
        top += height + gap
        if r == 0:
            rules.append(rule(top - gap / 2))
    rules.append(rule(top))
    return chars, rules


HEAD = [["单位"], ["简称"], ["金额"]]


@pytest.mark.parametrize("rows, align, gap, want", [
    # a name wrapped in its cell, the other cells centred beside its two lines
    ([HEAD, [["盐城高新区投资", "集团有限公司"], ["21盐高01"], ["10.00"]], [["江苏盐城港"], ["22盐港02"], ["8.50"]]],
     "middle", 4.0, "单位\t简称\t金额\n盐城高新区投资集团有限公司\t21盐高01\t10.00\n江苏盐城港\t22盐港02\t8.50"),
    # three lines: the other cells level with the middle one
    ([HEAD, [["盐城市城南新区", "开发建设投资有", "限公司"], ["20城南03"], ["12.00"]], [["江苏盐城港"], ["22"], ["8"]]],
     "middle", 4.0, "单位\t简称\t金额\n盐城市城南新区开发建设投资有限公司\t20城南03\t12.00\n江苏盐城港\t22\t8"),
    # set at the top of each row, no padding: lines of one width in a column are rows of their own
    ([HEAD, [["甲乙丙丁戊己庚"], ["21盐高01"], ["1"]], [["甲乙丙丁戊己庚"], ["22盐港02"], ["2"]],
      [["盐城高新区投资", "集团有限公司"], ["23盐高03"], ["3"]]],
     "top", 0.0, "单位\t简称\t金额\n甲乙丙丁戊己庚\t21盐高01\t1\n甲乙丙丁戊己庚\t22盐港02\t2\n"
                 "盐城高新区投资集团有限公司\t23盐高03\t3"),
])
def test_a_table_ruled_only_across(rows, align, gap, want):
    chars, rules = table(rows, gap, align)
    [grid] = rule_tables(chars, rules, [], S)
    assert table_text(grid, chars) == want


def body_band():
    """Two columns of body text between three rules of one width (titles ruled under): no table."""
    chars, top = [], 95.0
    for n in range(8):
        chars += glyphs("党员干部学习教育扎实开展", 106.0, top, S) + glyphs("各单位扎实开展党建工作活", 270.0, top, S)
        top += S + 4
    return chars, [rule(90.0), rule(top - 2), rule(top + 60.0)]


@pytest.mark.parametrize("chars, rules", [
    body_band(),  # a header of many lines: columns of text, not a table
    (table([HEAD, [["盐城"], ["21"], ["1"]]])[0], table([HEAD, [["盐城"], ["21"], ["1"]]])[1][::2]),  # two rules
    ([c for t in range(3) for c in glyphs("全宽正文一行，不分栏目的文字，贯穿整个宽度", 106.0, 95.0 + 14 * t, S)],
     [rule(90.0), rule(110.0), rule(140.0)]),  # text across the whole width: one column
])
def test_no_table_without_columns_and_a_header(chars, rules):
    assert rule_tables(chars, rules, [], S) == []


def test_a_rule_table_leaves_the_flow_as_one_piece():
    chars, rules = table([HEAD, [["盐城高新区投资", "集团有限公司"], ["21盐高01"], ["10.00"]], [["甲"], ["乙"], ["丙"]]])
    rest, pieces = take_tables(chars, [], S, rules)
    assert rest == [] and len(pieces) == 1 and pieces[0].chars[0].fontname == TABLE_FONT


def test_prospectus_table_cell_is_found_by_phrase_search(archive):
    """Regression: a 三线表 of a bond prospectus (reportlab; scripts/fixtures/make_rule_tables.py), its
    issuer's name wrapped over two lines in its cell, was read as lines of paragraphs and the
    name was not found by phrase search."""
    result = archive("import", FIXTURES / "tables" / "threeline.pdf")
    assert result.exit_code == 0
    [issue] = json.loads(archive("export").output)
    tables = [it for s in issue["sections"] for it in s["items"] if it["kind"] == "table"]
    assert len(tables) == 2
    assert "1\t盐城高新区投资集团有限公司\t21盐高01" in tables[0]["text"]
    hits = json.loads(archive("search", "--json", '"盐城高新区投资集团有限公司"').output)
    assert any(h["kind"] == "table" for h in hits["hits"])
