"""The parsing pipeline: PDF bytes → an Issue record. Each step is one stage module (stages 1-6)."""
from __future__ import annotations

import re

from concurrent.futures import Executor
from typing import Callable
from pathlib import Path

from ..chars import HAN
from ..errors import RefusedPDF
from .columns import carry_edges, layout_page
from .regions import Columns
from .margins import strip_furniture
from ..model import Issue, Review, read_by_ocr
from .ocr import PageReader
from .paragraphs import make_blocks
from .pdf import read_pages
from .structure import build_issue, starts_block
from .units import Registry


LOW_CONFIDENCE = 0.9  # below this OCR score an item is worth a person's look
UNREADABLE = 0.75  # a page whose OCR'd lines score less than this on average is mostly unreadable


def parse_pdf(data: bytes, registry: Registry, password: str | None = None, ocr_cache: Path | None = None,
              ocr_pool: Executor | None = None, on_page: Callable[[], None] | None = None) -> Issue:
    # 1. characters with coordinates, page by page (fake-bold duplicates removed); a scan, text
    #    drawn as outlines or a garbled text layer is read by OCR instead (results cached in
    #    `ocr_cache`; recognised in `ocr_pool`'s processes, an ocr.OcrPool(jobs), or else here)
    lines_per_page, heights, methods = [], [], []
    images: dict[int, list] = {}
    rotations: list[int] = []
    columns = Columns()
    reader = PageReader(data, password, ocr_cache, ocr_pool)
    for page, method in reader(read_pages(data, password)):
        # 2. lines in reading order (columns found from the page's geometry, or the page before's)
        lines, found = layout_page(page, hint=columns)
        columns = columns.then(found)
        carry_edges(lines, lines_per_page[-1] if lines_per_page else [])
        lines_per_page.append(lines)
        images[page.number] = page.images
        heights.append(page.height)
        rotations.append(page.rotation)
        methods.append(method if read_by_ocr(method) or method == "garbled" or not lines else "text")
        if on_page is not None:  # progress, page by page (OCR takes seconds a page)
            on_page()
    if not any(lines_per_page):
        if "image" in methods:
            raise RefusedPDF(f"image-only PDF (a scan): no text layer, and {reader.problem or 'OCR is not available'}",
                             "scan_without_ocr", problem=reader.problem or "")
        if "outlines" in methods:
            raise RefusedPDF(f"text drawn as outlines (no text layer), and {reader.problem or 'OCR is not available'}",
                             "outlines_without_ocr", problem=reader.problem or "")
        if any(map(read_by_ocr, methods)):
            raise RefusedPDF("image-only PDF (a scan): OCR found no text", "ocr_found_nothing")
        raise RefusedPDF("no text on any page", "no_text")
    # 3. running headers and page numbers dropped
    lines_per_page = strip_furniture(lines_per_page, heights)
    # 4. paragraphs and titles
    blocks = make_blocks([ln for lines in lines_per_page for ln in lines], starts_block, images)
    # 5. text repair, then masthead, sections, items, attribution
    # (a scan's page is passed over for the masthead where others have text: outlined or garbled
    # pages are the document's own pages, their text only drawn or encoded so that OCR had to read it)
    issue = build_issue(blocks, registry, frozenset(n for n, m in enumerate(methods, 1) if m == "ocr"))
    issue.pages = len(lines_per_page)
    issue.page_methods = methods
    issue.page_rotations = rotations
    flag_for_review(issue, methods, lines_per_page)
    return issue


def flag_for_review(issue: Issue, methods: list[str], lines_per_page: list[list]) -> None:
    """What a person should look at: no masthead, no sections, pages left without text inside the
    issue (a blank page before it is front matter) or scans and drawn text OCR could not read, pages
    OCR read with little confidence, garbled text layers kept because OCR could not read them,
    items read with low confidence."""
    if not issue.has_masthead:
        issue.flag(Review("no_masthead"))
    if not any(s.title for s in issue.sections):
        issue.flag(Review("no_sections"))
    first = min((it.page_start for s in issue.sections for it in s.items), default=1)
    blank = [n for n, (lines, m) in enumerate(zip(lines_per_page, methods), 1)
             if not lines and (n > first or m in ("image", "outlines"))]
    if blank:
        issue.flag(Review("blank_pages", pages=tuple(blank)))
    unreadable = [n for n, (lines, m) in enumerate(zip(lines_per_page, methods), 1)
                  if read_by_ocr(m) and lines and sum(ln.confidence for ln in lines) / len(lines) < UNREADABLE]
    if unreadable:
        issue.flag(Review("unreadable_pages", pages=tuple(unreadable)))
    garbled = [n for n, m in enumerate(methods, 1) if m == "garbled"]
    if garbled:
        issue.flag(Review("garbled_pages", pages=tuple(garbled)))
    unsure = sum(1 for s in issue.sections for it in s.items if it.confidence < LOW_CONFIDENCE)
    if unsure:
        issue.flag(Review("low_confidence", count=unsure))
    broken = broken_paragraphs(issue)
    if broken:
        issue.flag(Review("broken_paragraphs", pages=tuple(sorted(set(broken)))))


MID_SENTENCE = re.compile(rf"(?:[，、；：,;]|[{HAN}A-Za-z0-9])$")  # no paragraph ends so


def broken_paragraphs(issue: Issue) -> list[int]:
    """Pages where a paragraph item ends mid-sentence (with a comma, or a character and no mark)
    and another paragraph follows it: a paragraph the layout could not hold together (a line
    judged a paragraph's end), which a person should see."""
    pages = []
    for section in issue.sections:
        for it, nxt in zip(section.items, section.items[1:]):
            if it.kind == nxt.kind == "paragraph" and MID_SENTENCE.search((it.text or "").rstrip()):
                pages.append(it.page_end)
    return pages
