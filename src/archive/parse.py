"""The parsing pipeline: PDF bytes → an Issue record. Each step is one stage module."""
from __future__ import annotations

from .errors import RefusedPDF
from .layout import layout_page
from .margins import strip_furniture
from .model import Issue
from .paragraphs import make_blocks
from .pdf import read_pages
from .structure import build_issue, starts_block
from .units import Registry


def parse_pdf(data: bytes, registry: Registry, password: str | None = None) -> Issue:
    # 1. characters with coordinates, page by page (fake-bold duplicates removed)
    lines_per_page, heights, methods = [], [], []
    gutter = None
    for page in read_pages(data, password):
        # 2. lines in reading order (columns found from the page's geometry, or the page before's)
        lines, found = layout_page(page, hint=gutter)
        gutter = found or gutter
        lines_per_page.append(lines)
        heights.append(page.height)
        methods.append("text" if lines else ("image" if page.image_area > 0.5 else "empty"))
    if not any(lines_per_page):
        if "image" in methods:
            raise RefusedPDF("image-only PDF (a scan): no text layer, and OCR is not available")
        raise RefusedPDF("no text on any page")
    # 3. running headers and page numbers dropped
    lines_per_page = strip_furniture(lines_per_page, heights)
    # 4. paragraphs and titles
    blocks = make_blocks([ln for lines in lines_per_page for ln in lines], starts_block)
    # 5. masthead, sections, items, attribution
    issue = build_issue(blocks, registry)
    issue.pages = len(lines_per_page)
    issue.page_methods = methods
    # 6. what a person should look at
    if issue.year is None or issue.number is None:
        issue.review_reasons.append("no masthead (year and issue number) found")
    if not any(s.title for s in issue.sections):
        issue.review_reasons.append("no section titles found")
    blank = [str(i + 1) for i, m in enumerate(methods) if m != "text"]
    if blank:
        issue.review_reasons.append(f"pages without text: {', '.join(blank)}")
    issue.needs_review = bool(issue.review_reasons)
    return issue
