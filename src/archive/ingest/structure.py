"""Stage 6: blocks → an issue: masthead, sections, headings, items, footer, attribution.

The bulletin's own vocabulary (its five section titles, its footer labels) is used where the
geometry alone is ambiguous; a document without a masthead still yields its paragraphs."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..chars import HAN
from . import masthead as mh
from .attribution import attribute, has_signature
from ..model import Block, Issue, Item, Section
from .textrepair import drop_cjk_spaces, join_clean, normalize_title, squash
from .units import Registry, discover

KNOWN_SECTIONS = ("学·习之路", "思·理之源", "践·铝之行", "悟·心之语", "开·新之局")
SECTION_SHAPE = re.compile(rf"^[{HAN}]·[{HAN}]{{2,6}}$")  # the bulletin's 学·习之路 pattern
HEADING_MAX = 40
MASTHEAD_BLOCKS = 5  # the title, a line or two of the publisher's, the number line
MASTHEAD_LINE = 40  # characters: a masthead line is short


def block_raw(block: Block) -> str:
    return join_clean([ln.text for ln in block.lines])


def block_text(block: Block) -> str:
    return drop_cjk_spaces(block_raw(block))


UNDOTTED = {t.replace("·", ""): t for t in KNOWN_SECTIONS}  # a font without the middle dot: 学习之路


def section_title(block: Block) -> str | None:
    """The section title a title block prints, in its standard form, or None."""
    if block.kind != "title":
        return None
    title = normalize_title(" ".join(ln.text for ln in block.lines))
    if title in KNOWN_SECTIONS or SECTION_SHAPE.match(title):
        return title
    return UNDOTTED.get(title)


def is_section_title(block: Block) -> bool:
    return section_title(block) is not None


def starts_block(text: str) -> bool:
    """Footer labels always begin a block, even when the footer sits flush under the last item."""
    return mh.is_footer(squash(text))


def split_masthead(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """The masthead is the first few short blocks of page 1, up to a line with the issue number
    (2021年第5期) and the publisher/date line after it; no number line there, no masthead (a
    第3期 in a document's body text does not make one)."""
    head = []
    for i, block in enumerate(blocks[:MASTHEAD_BLOCKS]):
        text = squash(block_text(block))
        if block.page_start != 1 or is_section_title(block) or len(text) > MASTHEAD_LINE:
            break
        head.append(block)
        if mh.is_number_line(text):
            # the number line is found; take the publisher/date line(s) that follow it, too
            for nxt in blocks[i + 1:i + 3]:
                t = squash(block_text(nxt))
                if (nxt.page_start == 1 and not is_section_title(nxt) and len(t) <= MASTHEAD_LINE
                        and (mh.parse_date(t) or mh.PUBLISHER_LABEL.search(t))):
                    head.append(nxt)
                else:
                    break
            return head, blocks[len(head):]
    return [], blocks


def read_masthead(issue: Issue, head: list[Block]) -> None:
    texts = [block_text(b) for b in head]
    for text in texts:
        year, number, total = mh.parse_issue_number(squash(text))
        issue.year = issue.year or year
        issue.number = issue.number or number
        issue.total_number = issue.total_number or total
        issue.date = issue.date or mh.parse_date(text)
        issue.publisher = issue.publisher or mh.parse_publisher(text)
    if issue.year is None and issue.date and issue.number is not None:  # 第5期 … 2021年4月16日
        issue.year = int(issue.date[:4])
    # the publication's name is the largest type above the issue number
    titles = [b for b in head if not mh.is_number_line(squash(block_text(b))) and not mh.parse_date(block_text(b))]
    if titles:
        name = squash(block_text(max(titles, key=lambda b: b.size))).strip("《》")
        issue.publication = name or None


def split_footer(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    for i, block in enumerate(blocks):
        if mh.is_footer(squash(block_text(block))) and i >= len(blocks) // 2:
            return blocks[:i], blocks[i:]
    return blocks, []


@dataclass
class Draft:
    """A block that will become an item: its heading, and its text with printed spaces kept."""
    block: Block
    heading: str | None
    raw: str


def build_issue(blocks: list[Block], registry: Registry) -> Issue:
    issue = Issue()
    head, body = split_masthead(blocks)
    read_masthead(issue, head)
    body, foot = split_footer(body)
    if foot:
        fields = mh.parse_footer("\n".join(block_text(b) for b in foot))
        for key, value in fields.items():
            setattr(issue, key, value)
    issue.sections = build_sections(body, registry)
    return issue


@dataclass
class Draft:
    """A block that will become an item: where it stands, and its text with printed spaces kept."""
    block: Block
    heading: str | None
    raw: str


def build_sections(blocks: list[Block], registry: Registry) -> list[Section]:
    """Sections with their items: blocks are placed under their section and heading, the units
    this issue names are found, then each block becomes an item with its attribution."""
    groups = [(section, drafts, is_signed(drafts, registry)) for section, drafts in place_blocks(blocks)]
    local = issue_units(groups, registry)
    for section, drafts, signed in groups:
        section.items.extend(make_item(d, local, signed) for d in drafts)
    return [s for s, _, _ in groups if s.items or s.title]


def place_blocks(blocks: list[Block]) -> list[tuple[Section, list[Draft]]]:
    """Each section with the drafts of its items. A title is a heading in the bulletin; in a
    document that is not the bulletin (no section titles at all) every printed line is text, its
    titles too, so that what a reader sees there can be found."""
    groups: list[tuple[Section, list[Draft]]] = []
    heading: str | None = None
    bulletin = any(is_section_title(b) for b in blocks)

    def current() -> list[Draft]:
        if not groups:  # text before any section title: a preface, or not the bulletin
            groups.append((Section(None), []))
        return groups[-1][1]

    for block in blocks:
        raw = block_raw(block)
        text = drop_cjk_spaces(raw)
        if not text:
            continue
        if is_section_title(block):
            groups.append((Section(section_title(block)), []))
            heading = None
        elif block.kind == "title" and len(squash(text)) <= HEADING_MAX:
            if not bulletin:
                current().append(Draft(block, heading, raw))
            heading = text
        else:
            current().append(Draft(block, heading, raw))
    return groups


def is_signed(drafts: list[Draft], registry: Registry) -> bool:
    """A section of signed items: one of its items ends with a unit and a person's name."""
    return any(has_signature(d.raw, registry) for d in drafts)


def issue_units(groups: list[tuple[Section, list[Draft], bool]], registry: Registry) -> Registry:
    """The units this issue knows: the registry's, every signature's, and each new name that opens
    an activity sentence."""
    local = registry.copy()
    for _, drafts, signed in groups:
        for d in drafts:
            att = attribute(d.raw, local, signed)
            for name in att.units if att.unit else discover(drop_cjk_spaces(d.raw), local):
                local.add(name)
    return local


def make_item(d: Draft, units: Registry, signed: bool) -> Item:
    att = attribute(d.raw, units, signed)
    lines = d.block.lines
    return Item(text=drop_cjk_spaces(d.raw), page_start=d.block.page_start, page_end=d.block.page_end,
                heading=d.heading, source=att.source, author=att.author, units=att.units,
                boxes=[ln.box for ln in lines], confidence=min(ln.confidence for ln in lines))
