"""A render job: one issue as the printed blocks every producer draws, with its front matter,
pictures and style."""
from __future__ import annotations

import os

from .common import rng_for
from .images import cover, photo, save_jpeg


class Job:
    def __init__(self, issue, front, style, workdir, dpi=110):
        self.issue, self.front, self.style, self.workdir = issue, front, style, workdir
        self.dpi = dpi
        self.toc_labels = {}  # section index -> printed folio, filled in after a first rendering
        os.makedirs(workdir, exist_ok=True)
        pr = issue["_print"]
        # the publisher/date row under the number line: "split" (left and right), or "center" (one
        # line, the publisher alone); either cell may be empty
        self.mast = {"title": issue["publication"], "number_line": pr["number_line"],
                     "left": pr.get("left", issue["publisher"]), "right": pr["date_line"],
                     "align": pr.get("align", "split")}
        self.end_lines = pr.get("end_lines") or [f"（本期信息采集时间：{issue['collection_period']}）",
                                                 f"发放：{issue['distribution']}",
                                                 f"抄送：{issue['cc']}　　　投稿邮箱：{issue['email']}"]
        # the 公文 版记's last row, 「中铝股份党委党群工作部　　2011年3月15日印发」: {"left", "right", "rules"}
        # (rules: set between the 版记's rules, as its last row), or None
        self.imprint = pr.get("imprint")
        self.blocks = []
        for s_i, section in enumerate(issue["sections"]):
            self.blocks.append({"kind": "section", "text": section["title"], "index": s_i})
            last = None
            for item in section["items"]:
                if item.get("heading") and item["heading"] != last:
                    self.blocks.append({"kind": "heading", "text": item["heading"]})
                    last = item["heading"]
                if "_figure" in item:
                    self.blocks.append({"kind": "figure", "text": item["text"], "item": item, **item["_figure"]})
                elif "_table" in item:
                    self.blocks.append({"kind": "table", "text": item["text"], "item": item, **item["_table"]})
                else:
                    role = "latin" if item.get("latin") else "quote" if section["title"] == "学·习之路" else "body"
                    self.blocks.append({"kind": "para", "text": item["text"], "item": item, "role": role})

    # ---- margins ----

    @property
    def n_front(self):
        return len(self.front)

    def header_text(self, physical):
        h = self.style["header"]
        body_page = physical - self.n_front
        if not h or body_page < 1 or (h["pages"] == "not_first" and body_page == 1):
            return None
        return h["text"]

    def footer_text(self, physical, total=None):
        f = self.style["footer"]
        if not f or physical <= self.n_front:
            return None
        return f["pattern"].format(n=physical - f["offset"])

    # ---- front matter ----

    def toc_entries(self):
        """(level, text, printed folio) for the 目录 page: section titles and their headings."""
        out = []
        for b in self.blocks:
            if b["kind"] == "section":
                s_i = b["index"]
                out.append((0, b["text"], str(self.toc_labels.get(s_i, 1))))
            elif b["kind"] == "heading":
                out.append((1, b["text"], str(self.toc_labels.get(s_i, 1))))
        return out

    def cover_image(self):
        w_mm, h_mm = self.style["page"]
        path = os.path.join(self.workdir, f"{self.issue['id']}-cover.jpg")
        if not os.path.exists(path):
            rng = rng_for("cover", self.issue["id"])
            px = lambda mm: int(round(mm / 25.4 * self.dpi))
            save_jpeg(cover(rng, px(w_mm), px(h_mm), self.issue["publication"], self.issue["_cover_line"],
                            "中国铝业股份有限公司党群工作部　主办"), path)
        return path

    def photo_path(self, block, width_pt):
        path = os.path.join(self.workdir, f"{self.issue['id']}-photo-{block['seed']}.jpg")
        if not os.path.exists(path):
            w = max(240, int(width_pt / 72 * self.dpi * 1.3))
            save_jpeg(photo(rng_for("photo", block["seed"]), w, int(w * block["aspect"])), path)
        return path

    def expected_tables(self):
        return [b["rows"] for b in self.blocks if b["kind"] == "table"]
