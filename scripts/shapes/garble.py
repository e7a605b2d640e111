"""Garbled text layers: a rendered PDF whose glyphs show the same text but decode to nonsense.

Each function takes a source PDF path and writes the variant to `out`; what the reader sees does
not change (the glyphs and their places are the source's), only what a text extractor reads.

  ps2pdf   poppler's pdftops, then Ghostscript's ps2pdf: the fonts come back without ToUnicode
           maps (a print driver's round trip): codes that decode to (cid:N) or WinAnsi junk
  strip    pikepdf: every font's /ToUnicode removed
  pua      pikepdf: each code maps to a private-use code point (U+E000 + code)
  gid      pikepdf: each code maps to the code point of its own number (a ToUnicode map that
           gives glyph ids: controls and Latin-1 for a small subset)
  latin    pikepdf: each code maps to a printable ASCII character (the 94 of them in turn): Latin
           junk for Chinese text
  cjk      pikepdf: each character maps to an arbitrary ideograph of the whole CJK block, the same
           one every time (a map made from another font's glyph order)
  half     pikepdf: as `gid`, but only every other font of the file (pages mixing readable text
           with a garbled body or heading font)

Whitespace keeps its mapping in every mode (a space glyph stays a space).
Needs: Debian ghostscript and poppler-utils (ps2pdf); pip pikepdf."""
from __future__ import annotations

import hashlib
import re
import subprocess
import tempfile

PUA = 0xE000
CJK_FIRST, CJK_COUNT = 0x4E00, 20902


def ps2pdf(src: str, out: str) -> None:
    with tempfile.NamedTemporaryFile(suffix=".ps") as ps:
        subprocess.run(["pdftops", src, ps.name], check=True, stderr=subprocess.DEVNULL)
        subprocess.run(["ps2pdf", ps.name, out], check=True, stderr=subprocess.DEVNULL)


def parse_cmap(data: bytes) -> dict[tuple[int, int], str]:
    """A ToUnicode CMap's bfchar and bfrange entries: (code, bytes) → text."""
    text = data.decode("latin-1")
    out: dict[tuple[int, int], str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[(int(src, 16), len(src) // 2)] = bytes.fromhex(dst).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            a, b, width = int(lo, 16), int(hi, 16), len(lo) // 2
            if dst.startswith("["):
                for i, v in enumerate(re.findall(r"<([0-9A-Fa-f]+)>", dst)):
                    out[(a + i, width)] = bytes.fromhex(v).decode("utf-16-be", "replace")
            else:
                base = bytes.fromhex(dst[1:-1]).decode("utf-16-be", "replace")
                for i in range(b - a + 1):
                    out[(a + i, width)] = base[:-1] + chr(ord(base[-1]) + i) if base else ""
    return out


def make_cmap(mapping: dict[tuple[int, int], str]) -> bytes:
    width = max((w for _, w in mapping), default=1)
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", f"<{'00' * width}> <{'FF' * width}>", "endcodespacerange"]
    items = sorted(mapping.items())
    for i in range(0, len(items), 100):
        chunk = items[i:i + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{code:0{2 * w}X}> <{text.encode('utf-16-be').hex().upper()}>" for (code, w), text in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def garbled(mode: str, code: int, text: str) -> str:
    if mode == "pua":
        return chr(PUA + code % 6400)
    if mode in ("gid", "half"):
        return chr(code)
    if mode == "latin":
        return chr(0x21 + code % 94)
    if mode == "cjk":
        return chr(CJK_FIRST + int(hashlib.sha256(text.encode()).hexdigest(), 16) % CJK_COUNT)
    raise ValueError(mode)


def fonts_of(resources, seen: set):
    """Every font of a resource dictionary and of the form XObjects inside it, once."""
    if resources is None:
        return
    fonts = resources.get("/Font")
    for _, font in (fonts.items() if fonts is not None else ()):
        if font.objgen not in seen:
            seen.add(font.objgen)
            yield font
    xobjects = resources.get("/XObject")
    for _, xobj in (xobjects.items() if xobjects is not None else ()):
        if xobj.get("/Subtype") == "/Form" and xobj.objgen not in seen:
            seen.add(xobj.objgen)
            yield from fonts_of(xobj.get("/Resources"), seen)
    for font in list(fonts.values()) if fonts is not None else ():  # a Type 3 font's glyphs may use fonts too
        yield from fonts_of(font.get("/Resources"), seen)


def remap(src: str, out: str, mode: str) -> None:
    import pikepdf
    with pikepdf.open(src) as pdf:
        seen: set = set()
        n = 0
        for page in pdf.pages:
            for font in fonts_of(page.obj.get("/Resources"), seen):
                n += 1
                if mode == "half" and n % 2:
                    continue
                if mode == "strip":
                    if "/ToUnicode" in font:
                        del font["/ToUnicode"]
                    continue
                cmap = font.get("/ToUnicode")
                if cmap is None:
                    continue
                mapping = parse_cmap(cmap.read_bytes())
                new = {k: (t if not t or t.isspace() else garbled(mode, k[0], t)) for k, t in mapping.items()}
                font["/ToUnicode"] = pdf.make_stream(make_cmap(new))
        pdf.save(out)


def producer(mode: str):
    if mode == "ps2pdf":
        return ps2pdf
    return lambda src, out: remap(src, out, mode)


PRODUCERS = {m: producer(m) for m in ("ps2pdf", "strip", "pua", "gid", "latin", "cjk", "half")}
