"""Typst producer (pip install typst: the Typst compiler as a Python binding). The issue goes to a
JSON file read by a fixed Typst program, so no text passes through Typst markup (no smart quotes,
no escaping). Typst shapes CJK itself (punctuation compression, CJK-Latin spacing, its own
ToUnicode maps), hyphenates Latin text in justified paragraphs, embeds CFF fonts (Noto CJK) as well
as TrueType, and its columns are NOT balanced: a section's text fills the first column to the foot
of the page before the second begins (Word's way without a continuous section break). Section
titles, the masthead and the 版记 span the page (each section is its own columns block). Running
header and folio are computed per physical page by the job and printed in the page margins.
Column rules are not drawn (the style's col_rule is ignored)."""
from __future__ import annotations

import json
import os

from .common import RED

# fontconfig family -> the family name Typst knows (Typst groups the AR PL TTC faces)
TYPST_FAMILY = {"AR PL UMing CN": "AR PL UMing", "AR PL UKai CN": "AR PL UKai"}
FALLBACK = "Noto Serif CJK SC"

PROGRAM = r"""
#let d = json("DATA")
#let st = d.style
#let red = rgb("RED")
#let fam(..fs) = fs.pos().filter(f => f != none) + ("FALLBACK",)
#let plain(body) = { set par(first-line-indent: 0pt, justify: false); body }
#let leading(size, line) = line * 1pt - size * 1pt
#set document(title: d.title, author: d.author)
#set page(
  width: st.page.at(0) * 1mm, height: st.page.at(1) * 1mm,
  margin: (top: st.margins.at(0) * 1mm, right: st.margins.at(1) * 1mm,
           bottom: st.margins.at(2) * 1mm, left: st.margins.at(3) * 1mm),
  header: context {
    let h = d.heads.at(here().page() - 1, default: none)
    if h != none {
      plain(block(width: 100%, stroke: (bottom: 0.6pt), inset: (bottom: 2pt),
        align(if st.header.align == "center" { center } else { left },
              text(size: 9.5pt, font: fam(d.fonts.body))[#h])))
    }
  },
  footer: context {
    let f = d.foots.at(here().page() - 1, default: none)
    if f != none { plain(align(center, text(size: 10.5pt, font: fam(d.fonts.body))[#f])) }
  },
)
#set text(font: fam(d.fonts.body), size: st.body * 1pt, lang: "zh", region: "cn",
          top-edge: 0.8em, bottom-edge: -0.2em)
#set par(leading: leading(st.body, st.leading), justify: st.align == "justify",
         first-line-indent: (amount: st.indent * 1em, all: true),
         spacing: leading(st.body, st.leading) + st.para_after * 1pt)

#for kind in d.front {
  if kind == "cover" {
    page(margin: 0pt, image(d.cover, width: 100%, height: 100%, fit: "stretch"))
  } else if kind == "blank" {
    page[]
  } else {
    page(plain[
      #align(center, text(font: fam(d.fonts.title), size: 26pt, fill: red, tracking: 0.5em)[目录])
      #v(14mm)
      #for e in d.toc {
        let size = if e.level == 0 { 15pt } else { 12.5pt }
        let f = if e.level == 0 { d.fonts.title } else { d.fonts.body }
        block(inset: (left: if e.level == 0 { 0pt } else { 2.5 * size }), below: size * 0.9,
          text(font: fam(f), size: size)[#e.text #box(width: 1fr, repeat[.]) #e.label])
      }
    ])
  }
}

#plain[
  #align(center, text(font: fam(d.fonts.masthead), size: st.masthead * 1pt, fill: red, tracking: 0.08em)[#d.mast.title])
  #v(1mm)
  #align(center, text(size: st.number * 1pt)[#d.mast.number_line])
  #v(1mm)
  #block(width: 100%, inset: (x: 1mm, bottom: 1.5mm), stroke: (bottom: 2.2pt + red),
    grid(columns: (1fr, auto), text(size: st.number * 1pt)[#d.mast.left], text(size: st.number * 1pt)[#d.mast.right]))
  #v(3mm)
]

#let title-block(t) = {
  let talign = if st.at("title_align", default: "center") == "left" { left } else { center }
  let body = text(font: fam(d.fonts.title), size: st.section * 1pt, tracking: st.title_spacing * 1em,
                  fill: if st.title_style == "banner" { white } else { red })[#t]
  let indent = if talign == left { 2em } else { 0pt }
  plain(block(width: 100%, sticky: true, above: 3mm, below: 2mm,
    fill: if st.title_style == "banner" { red } else { none },
    inset: if st.title_style == "banner" { (y: 0.6mm) } else { (bottom: 1mm) },
    stroke: if st.title_style == "rules" { (bottom: 0.8pt + red) } else { none },
    align(talign, pad(left: indent, body))))
}

#let item-block(b) = {
  if b.kind == "heading" {
    let talign = if st.at("title_align", default: "center") == "left" { left } else { center }
    plain(block(width: 100%, sticky: true, above: st.heading * 0.6pt, below: st.heading * 0.5pt,
      align(talign, pad(left: if talign == left { 2em } else { 0pt },
        text(font: fam(d.fonts.heading), size: st.heading * 1pt)[#b.text]))))
  } else if b.kind == "figure" {
    let a = if b.align == "left" { left } else { center }
    plain(block(breakable: false, above: 2mm, below: 3mm)[
      #align(a, image(b.image, width: b.width * 100%))
      #v(1.2mm, weak: true)
      #set par(leading: leading(st.caption, st.caption * 1.45))
      #align(a, text(font: fam(d.fonts.caption), size: st.caption * 1pt)[#b.text])
    ])
  } else if b.kind == "table" {
    let size = calc.min(st.body, 11) - 0.5
    plain(block(breakable: false, above: 4pt, below: st.leading * 0.5pt)[
      #set text(size: size * 1pt)
      #set par(leading: leading(size, size * 1.35))
      #table(columns: b.widths.map(w => w * 1fr), stroke: 0.6pt, inset: (x: 3pt, y: 2.5pt),
        fill: (x, y) => if y == 0 { luma(232) },
        align: left + horizon,
        ..b.rows.enumerate().map(((r, row)) => row.map(c =>
          if r == 0 { text(font: fam(d.fonts.heading))[#c] } else [#c])).flatten())
    ])
  } else if b.role == "quote" {
    text(font: fam(d.fonts.quote, d.fonts.body))[#b.text #parbreak()]
  } else if b.role == "latin" {
    text(lang: "en")[#b.text #parbreak()]
  } else [#b.text #parbreak()]
}

#for s in d.sections {
  title-block(s.title)
  if st.columns > 1 {
    columns(st.columns, gutter: st.gutter * 1mm, for b in s.blocks { item-block(b) })
  } else {
    for b in s.blocks { item-block(b) }
  }
}

#v(14pt)
#plain(block(breakable: false, width: 100%)[
  #let size = calc.min(st.body, 11)
  #set text(size: size * 1pt)
  #set par(leading: leading(size, size * 1.7))
  #d.end.at(0)
  #block(width: 100%, stroke: (top: 1pt, bottom: 1pt), inset: (y: 1mm))[#d.end.at(1) \ #d.end.at(2)]
])
"""


def _family(f):
    return TYPST_FAMILY.get(f, f) if f else None


def job_data(job, max_pages=400):
    st = job.style
    data = {"title": f"{job.mast['title']} {job.mast['number_line']}", "author": job.issue["publisher"],
            "style": {k: v for k, v in st.items() if k != "fonts"},
            "fonts": {k: _family(v) for k, v in st["fonts"].items()},
            "mast": job.mast, "front": job.front, "end": job.end_lines,
            "heads": [job.header_text(n) for n in range(1, max_pages + 1)],
            "foots": [job.footer_text(n) for n in range(1, max_pages + 1)],
            "toc": [{"level": lv, "text": t, "label": lab} for lv, t, lab in job.toc_entries()],
            "cover": os.path.basename(job.cover_image()) if "cover" in job.front else None, "sections": []}
    W, _ = st["page"]
    t, r, b, l = st["margins"]
    colw_pt = ((W - l - r - (st["columns"] - 1) * st["gutter"]) / st["columns"]) * 72 / 25.4
    for blk in job.blocks:
        if blk["kind"] == "section":
            data["sections"].append({"title": blk["text"], "blocks": []})
            continue
        out = {"kind": blk["kind"], "text": blk["text"], "role": blk.get("role")}
        if blk["kind"] == "figure":
            out.update(image=os.path.basename(job.photo_path(blk, colw_pt * blk["width"])), width=blk["width"],
                       align=blk["align"])
        elif blk["kind"] == "table":
            out.update(rows=blk["rows"], widths=blk["widths"])
        data["sections"][-1]["blocks"].append(out)
    return data


class Typst:
    def __init__(self):
        import typst
        self.typst = typst
        self.version = f"typst {typst.__version__}"

    def render(self, job, pdf_path):
        base = os.path.join(job.workdir, job.issue["id"])
        with open(base + ".json", "w", encoding="utf-8") as fh:
            json.dump(job_data(job), fh, ensure_ascii=False)
        program = (PROGRAM.replace("DATA", os.path.basename(base) + ".json").replace("RED", RED)
                   .replace("FALLBACK", FALLBACK))
        with open(base + ".typ", "w", encoding="utf-8") as fh:
            fh.write(program)
        self.typst.compile(base + ".typ", output=pdf_path, root=job.workdir, font_paths=["/usr/share/fonts"])
        return self.version
