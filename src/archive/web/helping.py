"""帮助: the staff guide (docs/使用手册.md, installed as archive.docs) rendered as a page, so the
guide and the app say the same; its screenshots; and the link from a refusal or a review reason
to the paragraph that explains it (the guide holds an anchor `kind-<kind>` / `review-<kind>` for each)."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from flask import Blueprint, abort, render_template, send_file, url_for
from markupsafe import Markup

bp = Blueprint("helping", __name__)
GUIDE = "使用手册.md"


def docs_folder() -> Path:
    try:
        return Path(str(resources.files("archive.docs")))
    except ModuleNotFoundError:  # a source tree not installed with its package-dir mapping
        return Path(__file__).resolve().parents[3] / "docs"


@lru_cache(maxsize=1)
def guide_html() -> tuple[str, list[tuple[int, str, str]]]:
    """The guide as HTML, and its table of contents [(level, id, title)]."""
    import markdown
    text = join_cjk_lines((docs_folder() / GUIDE).read_text(encoding="utf-8"))
    text = re.sub(r"\]\((screenshots/[^)]+)\)", lambda m: f"](/help/{m.group(1)})", text)
    text = text.replace("](部署.md)", "](/help/部署)")
    md = markdown.Markdown(extensions=["attr_list", "tables", "toc", "fenced_code"])
    html = md.convert(text)
    toc = [(t["level"], t["id"], t["name"]) for t in _flatten(md.toc_tokens) if t["level"] in (2, 3)]
    return html, toc


CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"


def join_cjk_lines(text: str) -> str:
    """A paragraph's line break between Chinese characters is no space (Markdown makes it one):
    the lines are joined, a continuation's indent dropped."""
    return re.sub(rf"(?<=[{CJK}*“”）])\n[ \t]*(?=[{CJK}*“”（])", "", text)


def _flatten(tokens):
    for t in tokens:
        yield t
        yield from _flatten(t.get("children", []))


def help_url(anchor: str) -> str:
    """The guide's paragraph `anchor` (outside a request, e.g. a job's file view: the site-relative path)."""
    try:
        return url_for("helping.guide") + "#" + anchor
    except RuntimeError:
        return "/help#" + anchor


def anchors() -> set[str]:
    """Every id the guide's page has (headings and raw anchors)."""
    html, _ = guide_html()
    return set(re.findall(r'id="([^"]+)"', html))


@bp.get("/help")
def guide():
    html, toc = guide_html()
    return render_template("help.html", body=Markup(html), toc=toc)


@bp.get("/help/部署")
def admin_guide():
    import markdown
    text = join_cjk_lines((docs_folder() / "部署.md").read_text(encoding="utf-8"))
    return render_template("help.html", body=Markup(markdown.markdown(text, extensions=["attr_list", "tables",
                                                                                       "fenced_code", "toc"])),
                           toc=[], title="部署说明")


@bp.get("/help/screenshots/<name>")
def screenshot(name: str):
    path = docs_folder() / "screenshots" / name
    if "/" in name or not name.endswith(".png") or not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/png", max_age=3600)
