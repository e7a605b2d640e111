"""Build synthetic pages (glyphs with coordinates) for layout and paragraph tests."""
from archive.model import Box, Line
from archive.ingest.pdf import Char, Page


def glyphs(text, x0, top, size=10.0, step=None, font="F"):
    """A printed run of text: one glyph per character, `step` apart (default: the font size)."""
    step = step or size
    out, x = [], x0
    for ch in text:
        width = size if ord(ch) > 0x2e80 else size * 0.5
        out.append(Char(ch, x, x + width, top, top + size, size, font))
        x += step if ord(ch) > 0x2e80 else width
    return out


def page(rows, number=1, width=595.0, height=842.0):
    return Page(number, width, height, [c for r in rows for c in r], 0.0)


def line(text, x0, top, x1, page=1, size=10.0, left=50.0, right=550.0, column=0, font="SimSun"):
    return Line(Box(page, x0, top, x1, top + size), text, size, left, right, column, font)
