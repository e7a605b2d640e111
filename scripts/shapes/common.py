"""Shared pieces: paths, the CJK font families, text squashing, seeded randomness, make_corpus."""
from __future__ import annotations

import os
import random
import re
import sys
import unicodedata

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS_DIR = os.path.join(REPO, "..", "shared", "corpus")
MM = 72 / 25.4  # PDF points per millimetre
RED = "#c00000"

# ---- fonts ----
# family (the fontconfig name Chromium and LibreOffice are given) -> file, TTC index, kind, and
# whether reportlab can embed it (TrueType outlines and every glyph this corpus prints; Noto CJK
# is CFF, the two GB fonts lack 昇 and 淯).
_F = "/usr/share/fonts"
FONTS = {
    "WenQuanYi Zen Hei": (f"{_F}/truetype/wqy/wqy-zenhei.ttc", 0, "hei", True),
    "WenQuanYi Micro Hei": (f"{_F}/truetype/wqy/wqy-microhei.ttc", 0, "hei", True),
    "AR PL UMing CN": (f"{_F}/truetype/arphic/uming.ttc", 0, "song", True),
    "AR PL UKai CN": (f"{_F}/truetype/arphic/ukai.ttc", 0, "kai", True),
    "LXGW WenKai": (f"{_F}/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", 0, "kai", True),
    "AR PL SungtiL GB": (f"{_F}/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0, "song", False),
    "AR PL KaitiM GB": (f"{_F}/truetype/arphic-gkai00mp/gkai00mp.ttf", 0, "kai", False),
    "Noto Serif CJK SC": (f"{_F}/opentype/noto/NotoSerifCJK-Regular.ttc", 2, "song", False),
    "Noto Sans CJK SC": (f"{_F}/opentype/noto/NotoSansCJK-Regular.ttc", 2, "hei", False),
}
PIL_TITLE_FONT = (f"{_F}/opentype/noto/NotoSerifCJK-Black.ttc", 2)
PIL_SANS_FONT = (f"{_F}/opentype/noto/NotoSansCJK-Bold.ttc", 2)
APT_FONTS = ("fonts-noto-cjk fonts-noto-cjk-extra fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-uming "
             "fonts-arphic-ukai fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-lxgw-wenkai")


def fonts_for(producer, kind=None):
    """Installed families a producer can use (reportlab: only the ones it can embed)."""
    out = [f for f, (path, _, k, rl) in FONTS.items()
           if os.path.exists(path) and (producer != "reportlab" or rl) and (kind is None or k == kind)]
    if not out:
        raise SystemExit(f"no CJK font of kind {kind} for {producer}: apt-get install {APT_FONTS}")
    return out


def check_font(producer, family):
    if family not in FONTS:
        raise SystemExit(f"unknown font family {family!r}; known: {', '.join(FONTS)}")
    path, _, _, rl = FONTS[family]
    if not os.path.exists(path):
        raise SystemExit(f"font {family} is not installed ({path}): apt-get install {APT_FONTS}")
    if producer == "reportlab" and not rl:
        raise SystemExit(f"reportlab cannot embed {family} (CFF outlines or missing glyphs); "
                         f"use one of {', '.join(fonts_for('reportlab'))}")


# ---- text ----

RADICALS = str.maketrans({**dict(zip("⺠⻅⻆⻉⻋⻐⻓⻔⻘⻙⻚⻛⻜⻝⻠⻢⻣⻤⻥⻦⻧⻨⻩⻬⻮⻰⻳戶",
                                       "民见角贝车钅长门青韦页风飞食饣马骨鬼鱼鸟卤麦黄齐齿龙龟户")), "⸺": "——"})
_DROP = re.compile("[\\s\u00ad\u2010\u2011\u200b-\u200d\u2060\ufeff-]")


def squash(text: str) -> str:
    """Text as compared with a text layer: NFKC, radicals folded, no white space or hyphens."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text or "").translate(RADICALS))


CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """5 -> 五, 12 -> 十二, 20 -> 二十, 24 -> 二十四."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def rng_for(*parts) -> random.Random:
    """A Random seeded by a string: the same parts give the same stream on every run and machine."""
    return random.Random("/".join(str(p) for p in parts))


def load_make_corpus(corpus_dir=CORPUS_DIR):
    corpus_dir = os.path.abspath(corpus_dir)
    if not os.path.exists(os.path.join(corpus_dir, "make_corpus.py")):
        raise SystemExit(f"no make_corpus.py in {corpus_dir}")
    if corpus_dir not in sys.path:
        sys.path.insert(0, corpus_dir)
    import make_corpus  # noqa: E402
    return make_corpus
