"""Plain records passed between pipeline stages (no behaviour, no I/O)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Box:
    """A rectangle on a 1-based physical page, in PDF points from the top-left corner."""
    page: int
    x0: float
    top: float
    x1: float
    bottom: float

    def as_list(self) -> list:
        return [self.page, round(self.x0, 1), round(self.top, 1), round(self.x1, 1), round(self.bottom, 1)]


@dataclass
class Line:
    """One printed line in reading order, with its place on the page.

    `left`/`right` are the edges of the text column the line sits in, so indents and short
    line ends can be judged against the column, not the page."""
    box: Box
    text: str
    size: float
    left: float
    right: float
    column: int = 0  # 0 = full width, 1.. = column index from the left
    font: str = ""  # the font most of the line's glyphs are set in (subset prefix removed)
    confidence: float = 1.0  # OCR's least sure glyph on the line; 1.0 from a text layer

    @property
    def page(self) -> int:
        return self.box.page


@dataclass
class Block:
    """A printed paragraph or title: consecutive lines that belong together."""
    kind: str  # "title" (centered or display-size) or "para"
    lines: list[Line]

    @property
    def page_start(self) -> int:
        return self.lines[0].page

    @property
    def page_end(self) -> int:
        return self.lines[-1].page

    @property
    def size(self) -> float:
        return max(line.size for line in self.lines)


@dataclass
class Item:
    text: str
    page_start: int
    page_end: int
    heading: str | None = None
    source: str | None = None
    author: str | None = None
    units: list[str] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    confidence: float = 1.0  # the least sure OCR line of the item; 1.0 from a text layer
    kind: str = "paragraph"  # paragraph | caption (under a picture) | table (rows "\n", cells "\t")
    line_starts: list[int] = field(default_factory=list)  # where each line of `boxes` begins in `text`


@dataclass
class Section:
    title: str | None
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class Review:
    """Why an issue needs a person's look: a kind (see messages.REVIEW), and the pages or the
    number of items it concerns. Messages are made from it at the edges, in the user's language."""
    kind: str  # no_masthead | no_sections | blank_pages | unreadable_pages | garbled_pages | low_confidence
    #            | broken_paragraphs | contents_differ | repeated_sections | note
    pages: tuple[int, ...] = ()
    count: int = 0
    text: str = ""  # kind "note": a reason recorded as text (data folders written before kinds)

    def as_dict(self) -> dict:
        out: dict = {"kind": self.kind}
        if self.pages:
            out["pages"] = list(self.pages)
        if self.count:
            out["count"] = self.count
        if self.text:
            out["text"] = self.text
        return out

    @classmethod
    def from_stored(cls, value) -> "Review":
        if isinstance(value, str):
            return cls("note", text=value)
        return cls(value.get("kind", "note"), tuple(value.get("pages", ())), int(value.get("count", 0)),
                   value.get("text", ""))


LOW_CONFIDENCE = 0.9  # an item OCR read less surely than this is worth a person's look (review queue)

# An issue's metadata: what its masthead and footer give, in the export's order.
ISSUE_FIELDS = ("publication", "year", "number", "number_end", "special", "total_number", "date", "publisher",
                "collection_period", "distribution", "cc", "email")
# How a page's text was obtained (the pages table's `method`): from its text layer; by OCR of a
# scan, of text drawn as outlines, of a garbled text layer; a garbled text layer kept (OCR could
# not run); no text: a scan or drawn text OCR could not read, or nothing on the page.
PAGE_METHODS = ("text", "ocr", "ocr-outlines", "ocr-garbled", "garbled", "image", "outlines", "empty")


def read_by_ocr(method: str) -> bool:
    """Was the page's text recognised by OCR (a scan, drawn outlines, a garbled text layer)?"""
    return method == "ocr" or method.startswith("ocr-")


@dataclass
class Issue:
    publication: str | None = None
    year: int | None = None
    number: int | None = None
    number_end: int | None = None  # a combined issue (合刊) 第5-6期: number 5, number_end 6
    special: str | None = None  # 增刊, 特刊, 专刊 as printed
    total_number: int | None = None
    date: str | None = None  # ISO yyyy-mm-dd, or yyyy-mm where the masthead gives no day
    publisher: str | None = None
    collection_period: str | None = None
    distribution: str | None = None
    cc: str | None = None
    email: str | None = None
    title: str | None = None  # a document that is not the bulletin: its own title (its first title line)
    pages: int = 0  # the issue's own pages (a lone file's physical pages; in a volume, from its masthead page)
    source_pages: tuple[int, int] | None = None  # in a file of several issues: its file pages, first and last
    needs_review: bool = False
    reviews: list[Review] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    page_methods: list[str] = field(default_factory=list)  # how each page's text was obtained (PAGE_METHODS)
    page_rotations: list[int] = field(default_factory=list)  # how far each page was turned (0: upright)
    # per page, a photographed page's place in its photo: {"quad": its corners in the file page's points
    # (top-left, top-right, bottom-right, bottom-left), "size": the page cut out, upright, in points}; else
    # None ([] when no page is a photo). The page view draws such a page cut out and straightened.
    page_geometry: list = field(default_factory=list)

    def flag(self, review: Review) -> None:
        self.reviews.append(review)
        self.needs_review = True

    def unflag(self, kind: str) -> None:
        self.reviews = [r for r in self.reviews if r.kind != kind]
        self.needs_review = bool(self.reviews)

    def issue_id(self, sha256: str) -> str:
        if self.year is not None and self.number is not None:
            return f"{self.year}-{self.number:03d}"
        if self.year is not None and self.special and self.date:  # a supplement without a number
            month_day = (self.date[5:7] + (self.date[8:10] or "00")) if len(self.date) >= 7 else "0000"
            return f"{self.year}-zk-{month_day}"
        if self.source_pages:  # one of several issues in a file: its place tells it from the others
            return f"doc-{sha256[:12]}-{self.source_pages[0]}"
        return f"doc-{sha256[:12]}"  # not the newsletter, or its masthead is unreadable

    @property
    def has_masthead(self) -> bool:
        return self.year is not None and (self.number is not None or bool(self.special))
