"""The parsing pipeline: PDF bytes → the issues it holds (one, or each issue of a bound volume).
Each step is one stage module (stages 1-6)."""
from __future__ import annotations

import re

from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from typing import Callable
from pathlib import Path

from ..chars import HAN
from ..errors import RefusedPDF
from .columns import carry_edges, layout_page
from .regions import Columns
from .margins import strip_furniture
from ..model import LOW_CONFIDENCE, Issue, Line, Review, read_by_ocr
from .ocr import PageReader
from .paragraphs import make_blocks
from .pdf import DEFAULT_READER, page_reader, release
from .structure import build_issue, starts_block
from .units import Registry
from .volume import check_contents, issue_ranges, issue_starts, opens_issue


UNREADABLE = 0.75  # a page whose OCR'd lines score less than this on average is mostly unreadable


@dataclass
class Document:
    """What stages 1-2 read of a file: each page's lines in reading order, its height, how its text
    was read, how far it was turned, each page's pictures (by page number), and where a
    photographed page lies in its photo (model.Issue.page_geometry)."""
    lines: list[list[Line]]
    heights: list[float]
    methods: list[str]
    rotations: list[int]
    images: dict[int, list]
    geometry: list[dict | None] = field(default_factory=list)

    def part(self, first: int, last: int) -> "Document":
        """File pages first..last (1-based) as a document of their own, numbered from 1."""
        shift = first - 1

        def moved(ln: Line) -> Line:
            return replace(ln, box=replace(ln.box, page=ln.box.page - shift))
        return Document([[moved(ln) for ln in lines] for lines in self.lines[first - 1:last]],
                        self.heights[first - 1:last], self.methods[first - 1:last], self.rotations[first - 1:last],
                        {n - shift: v for n, v in self.images.items() if first <= n <= last},
                        self.geometry[first - 1:last])


@dataclass
class Prepared:
    """A document after stages 3-4: its pages' lines without furniture, and its blocks."""
    lines: list[list[Line]]
    blocks: list


def read_document(data: bytes, password: str | None = None, ocr_cache: Path | None = None,
                  ocr_pool: Executor | None = None, on_page: Callable[[str], None] | None = None,
                  reader: str = DEFAULT_READER) -> Document:
    """Stages 1-2: characters with coordinates, page by page (fake-bold duplicates removed; a scan
    text drawn as outlines or a garbled text layer read by OCR instead, results cached in `ocr_cache`, recognised in
    `ocr_pool`'s processes, an ocr.OcrPool(jobs), or else here), then lines in reading order
    (columns found from the page's geometry, or the page before's). A file with no text is refused.
    `reader` names the stage-1 reader (pdf.READERS)."""
    doc = Document([], [], [], [], {})
    columns = Columns()
    ocr_reader = PageReader(data, password, ocr_cache, ocr_pool)
    for page, method in ocr_reader(page_reader(reader)(data, password)):
        lines, found = layout_page(page, hint=columns)
        if (columns.gutters or columns.layouts) and opens_issue(lines):  # the next issue of a volume:
            lines, found = layout_page(page)                              # the columns before are no hint
            columns = Columns()
        columns = columns.then(found)
        doc.lines.append(lines)
        doc.images[page.number] = page.images
        doc.heights.append(page.height)
        doc.rotations.append(page.rotation)
        doc.geometry.append({"quad": page.quad, "size": [round(page.width, 2), round(page.height, 2)]}
                            if page.quad else None)
        doc.methods.append(method if read_by_ocr(method) or method == "garbled" or not lines else "text")
        if on_page is not None:  # progress, page by page (OCR takes seconds a page), told how it was read
            on_page(doc.methods[-1])
    if not any(doc.lines):
        if "image" in doc.methods:
            raise RefusedPDF(f"image-only PDF (a scan): no text layer, and {ocr_reader.problem or 'OCR is not available'}",
                             "scan_without_ocr", problem=ocr_reader.problem or "")
        if "outlines" in doc.methods:
            raise RefusedPDF(f"text drawn as outlines (no text layer), and {ocr_reader.problem or 'OCR is not available'}",
                             "outlines_without_ocr", problem=ocr_reader.problem or "")
        if any(map(read_by_ocr, doc.methods)):
            raise RefusedPDF("image-only PDF (a scan): OCR found no text", "ocr_found_nothing")
        raise RefusedPDF("no text on any page", "no_text")
    return doc


def prepare(doc: Document) -> Prepared:
    """Stages 3-4 over copies of the document's lines: a short page takes the text edge of the page
    before (columns.carry_edges), running headers and page numbers are dropped, lines become
    paragraphs and titles."""
    pages: list[list[Line]] = []
    for lines in doc.lines:
        lines = [replace(ln) for ln in lines]
        carry_edges(lines, pages[-1] if pages else [])
        pages.append(lines)
    pages = strip_furniture(pages, doc.heights)
    return Prepared(pages, make_blocks([ln for lines in pages for ln in lines], starts_block, doc.images))


def parse_issues(data: bytes, registry: Registry, password: str | None = None, ocr_cache: Path | None = None,
                 ocr_pool: Executor | None = None, on_page: Callable[[str], None] | None = None,
                 reader: str = DEFAULT_READER) -> list[Issue]:
    """Every issue a PDF holds, in file order: one for an issue's own file (its pages the file's),
    several for a bound volume or a scanner's batch (volume.py: each from its masthead page, its
    pages its own, `source_pages` where it lies in the file)."""
    try:
        doc = read_document(data, password, ocr_cache, ocr_pool, on_page, reader)
    finally:
        release(data)  # stage 1 is done with the file's pypdf reader
    whole = prepare(doc)
    starts = issue_starts(whole.blocks)
    if len(starts) < 2:
        issue = build(doc, whole, registry)
        if starts:
            check_contents(whole.blocks[:starts[0].start], [issue], [starts[0].page], own_pages=False)
        return [issue]
    ranges = issue_ranges(whole.blocks, starts, len(doc.lines))
    issues = []
    for first, last in ranges:
        part = doc.part(first, last)
        issue = build(part, prepare(part), registry)
        issue.source_pages = (first, last)
        issues.append(issue)
    check_contents(whole.blocks[:starts[0].start], issues, [first for first, _ in ranges])
    return issues


def build(doc: Document, prepared: Prepared, registry: Registry) -> Issue:
    """Stages 5-6: text repair, then masthead, sections, items, attribution; what a person should look at."""
    # (a scan's page is passed over for the masthead where others have text: outlined or garbled
    # pages are the document's own pages, their text only drawn or encoded so that OCR had to read it)
    ocr_pages = frozenset(n for n, m in enumerate(doc.methods, 1) if m == "ocr")
    issue = build_issue(prepared.blocks, registry, ocr_pages)
    issue.pages = len(doc.lines)
    issue.page_methods = list(doc.methods)
    issue.page_rotations = list(doc.rotations)
    issue.page_geometry = list(doc.geometry) if any(doc.geometry) else []
    flag_for_review(issue, doc.methods, prepared.lines)
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
    again = repeated_sections(issue)
    if again:
        issue.flag(Review("repeated_sections", pages=tuple(again)))


def repeated_sections(issue: Issue) -> list[int]:
    """Pages where a section title the issue printed already comes again (once for each such
    restart): an issue prints each of its sections once, so this is most likely the next issue of
    a volume whose masthead was not found (read as part of this one)."""
    seen: set[str] = set()
    pages = []
    for section in issue.sections:
        if section.title and section.title in seen and section.items:
            pages.append(section.items[0].page_start)
            seen = set()  # the next issue's sections begin here
        if section.title:
            seen.add(section.title)
    return pages


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
