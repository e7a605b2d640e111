"""帮助: the staff guide rendered from docs/使用手册.md (the same text), with a paragraph for every
refusal and every review reason a user can meet, linked from where they meet it."""

import pytest

from archive.errors import REFUSED, Kind
from archive.model import Review
from archive.messages import zh
from archive.web.helping import anchors, guide_html

FILE_KINDS = [k for k in Kind if k.exit_code == REFUSED and k.status in (409, 413, 422, 500)
              and not k.value.startswith(("render", "page_too", "stale", "conflict", "duplicate_user", "unknown_user"))]


@pytest.mark.parametrize("kind", FILE_KINDS, ids=str)
def test_every_refusal_has_its_paragraph(kind):
    assert f"kind-{kind.value}" in anchors()


@pytest.mark.parametrize("kind", sorted(zh.REVIEWS), ids=str)
def test_every_review_reason_has_its_paragraph(kind):
    assert f"review-{kind}" in anchors()


def test_the_guide_is_the_help_page(client):
    html, toc = guide_html()
    r = client.get("/help")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "检索" in page and 'href="#search"' in page and 'id="refused"' in page
    assert [name for level, _, name in toc if level == 2][:3] == ["检索", "读懂一条结果", "引用"]
    assert 'href="/help"' in client.get("/").get_data(as_text=True)  # in the menu
    assert "/help#search" in client.get("/?q=党史").get_data(as_text=True)  # beside the search box


def test_a_refused_file_links_to_what_to_do(editor_app):
    from archive.web.jobview import file_view
    with editor_app.test_request_context():
        view = file_view({"name": "x.pdf", "state": "done", "result": {"status": "refused", "kind": "not_pdf"}})
        assert view["help"] == "/help#kind-not_pdf" and "不是 PDF" in view["message"]
        flagged = file_view({"name": "y.pdf", "state": "done", "result": {
            "status": "imported", "issue": "2021-005", "reviews": [Review("blank_pages", (3,)).as_dict()]}})
        assert flagged["help"] == "/help#review-blank_pages"


def test_the_admin_guide_lists_every_setting():
    from pathlib import Path
    from archive.settings import settings_table
    guide = (Path(__file__).resolve().parent.parent / "docs" / "部署.md").read_text(encoding="utf-8")
    assert settings_table("zh") in guide


@pytest.mark.parametrize(("text", "joined"), [
    ("请按年份拆\n开，或降低分辨率", "请按年份拆开，或降低分辨率"),
    ("- 第一项，\n  接着说", "- 第一项，接着说"),
    ("中文\n\n下一段", "中文\n\n下一段"),  # a paragraph's end stays
    ("中文\n- 列表", "中文\n- 列表"),  # a list starts
    ("Latin line\nnext", "Latin line\nnext"),  # Latin words keep their space
])
def test_a_line_break_between_chinese_characters_is_no_space(text, joined):
    from archive.web.helping import join_cjk_lines
    assert join_cjk_lines(text) == joined
