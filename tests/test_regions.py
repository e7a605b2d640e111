"""Pages in several column regions (newspaper style): gutters that start and stop, found from the
geometry (ingest/regions.py), and pages read region by region (columns.layout_page)."""
import json

import pytest

from archive.ingest.columns import layout_page
from archive.ingest.layout import group_rows, split_fragments
from archive.ingest.regions import find_regions
from conftest import FIXTURES, assert_matches_truth
from geometry import glyphs, page

S = 10.0
LEFT, RIGHT = 50.0, 550.0
TWO = ((50.0, 290.0), (310.0, 550.0))  # two columns, a 20 pt gutter
THREE = ((50.0, 205.0), (222.0, 378.0), (395.0, 550.0))  # three columns, 17 pt gutters


def run(text, x0, x1, top):
    """A line filling x0..x1 (CJK glyphs one size apart) from `text` repeated."""
    n = int((x1 - x0) // S)
    return glyphs((text * 60)[:n], x0, top, S)


def full(top, n, short_last=True):
    out = []
    for k in range(n):
        x1 = RIGHT if not (short_last and k == n - 1) else LEFT + 120.0
        out += (run("全宽导语正文", LEFT + (2 * S if k == 0 else 0), x1, top + k * 16))
    return out, top + n * 16


def cols(columns, top, n, offset=0.0):
    """n lines in each column; column k's lines `offset` * k lower (baselines apart)."""
    out = []
    for k, (a, b) in enumerate(columns):
        for i in range(n):
            out += run("分栏正文内容", a, b, top + i * 16 + offset * k)
    return out, top + n * 16 + offset * (len(columns) - 1)


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


@pytest.mark.parametrize("parts, want", [
    # a full-width lead (its last line short: it leaves the gutter free) over two columns
    ([(full, 3), (cols, TWO, 4)], [(0, 2, 0), (3, 6, 1)]),
    # two columns, a full-width item, three columns
    ([(cols, TWO, 4), (full, 2), (cols, THREE, 4)], [(0, 3, 1), (4, 5, 0), (6, 9, 2)]),
    # three columns straight on two columns: the gutters change where the rows change
    ([(cols, THREE, 3), (cols, TWO, 4)], [(0, 2, 2), (3, 6, 1)]),
    # columns whose lines sit on baselines apart (rows alternate between them): one region
    ([(full, 2), (cols, TWO, 4, 8.0)], [(0, 1, 0), (2, 9, 1)]),
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


def test_loosely_spaced_latin_is_no_column():
    chars = []
    for i in range(4):  # a word space at the same place down four lines: the "column" left of it is narrow
        chars += glyphs("Conference", LEFT, 60 + 16 * i, S) + run("分栏正文内容", 110.0, RIGHT, 60 + 16 * i)
    got, _ = regions_of([chars])
    assert got == [(0, 3, 0)]


def test_page_read_region_by_region():
    """Two columns, a full-width paragraph, three columns: each column read top to bottom inside
    its region, the regions in order, never a line across two columns."""
    chars = layout((cols, TWO, 4), (full, 3), (cols, THREE, 4))
    lines, _ = layout_page(page([chars]))
    assert [ln.column for ln in lines] == [1] * 4 + [2] * 4 + [0] * 3 + [1] * 4 + [2] * 4 + [3] * 4


@pytest.mark.xfail(reason="not yet: a lead's or a short column region's lines may still be split or taken "
                          "for a title (docs/shelves/regions.md)", strict=False)
@pytest.mark.parametrize("name", sorted(p.stem for p in (FIXTURES / "regions").glob("*.pdf")))
def test_regions_fixture_matches_truth(archive, name):
    """Issues in several column regions a page (scripts/render_regions.py fixtures: WeasyPrint and
    Chromium): every item whole, on its pages, the leads not taken for headings."""
    pdf = FIXTURES / "regions" / f"{name}.pdf"
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    assert archive("import", pdf).exit_code == 0
    [issue] = json.loads(archive("export").output)
    assert_matches_truth(issue, truth)
