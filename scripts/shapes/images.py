"""Raster pictures drawn with PIL: fake photos (sky, hills, plant buildings, a crowd, red flags,
grain) and picture covers with the title and issue drawn INTO the image (no text layer)."""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .common import PIL_SANS_FONT, PIL_TITLE_FONT


def _gradient(w, h, top, bottom):
    t = np.linspace(0, 1, h)[:, None, None]
    arr = (1 - t) * np.array(top, float) + t * np.array(bottom, float)
    return Image.fromarray(np.repeat(arr, w, axis=1).astype(np.uint8), "RGB")


def _jitter(rng, rgb, k=18):
    return tuple(max(0, min(255, c + rng.randint(-k, k))) for c in rgb)


def photo(rng, w, h) -> Image.Image:
    """A plausible 'photo' of an outdoor party activity: gradients and shapes, no text."""
    sky = rng.choice([((90, 140, 210), (200, 220, 240)), ((120, 160, 200), (235, 225, 210)),
                      ((60, 90, 150), (230, 170, 120))])
    img = _gradient(w, h, *sky)
    d = ImageDraw.Draw(img)
    horizon = int(h * rng.uniform(0.45, 0.6))
    sx, sy, sr = rng.uniform(0.1, 0.9) * w, rng.uniform(0.08, 0.25) * h, rng.uniform(0.03, 0.07) * w
    d.ellipse([sx - sr, sy - sr, sx + sr, sy + sr], fill=(255, 236, 190))
    for layer in range(2):  # hills
        pts, x = [(0, horizon)], 0
        while x < w:
            x += rng.randint(w // 10, w // 4)
            pts.append((x, horizon - rng.randint(h // 20, h // 5) // (layer + 1)))
        pts += [(w, horizon + 5), (0, horizon + 5)]
        d.polygon(pts, fill=_jitter(rng, (70 + 30 * layer, 110 + 20 * layer, 80)))
    x = rng.randint(0, w // 6)
    while x < w:  # plant buildings and chimneys
        bw, bh = rng.randint(w // 14, w // 6), rng.randint(h // 12, h // 4)
        d.rectangle([x, horizon - bh, x + bw, horizon + 2], fill=_jitter(rng, (150, 150, 160), 30))
        for wy in range(horizon - bh + 8, horizon - 6, 14):
            d.line([x + 4, wy, x + bw - 4, wy], fill=_jitter(rng, (90, 100, 120)), width=3)
        if rng.random() < 0.4:
            cx = x + bw // 2
            d.rectangle([cx - 5, horizon - bh - h // 6, cx + 5, horizon - bh], fill=(170, 160, 160))
        x += bw + rng.randint(4, w // 10)
    d.rectangle([0, horizon, w, h], fill=_jitter(rng, (120, 125, 115)))
    for _ in range(rng.randint(1, 3)):  # red flags / banners
        fx, fy = rng.randint(0, w - w // 5), rng.randint(horizon - h // 3, horizon - h // 10)
        d.line([fx, fy, fx, horizon + h // 8], fill=(80, 60, 40), width=4)
        d.polygon([(fx, fy), (fx + w // 8, fy + h // 30), (fx, fy + h // 14)], fill=(200, 20, 20))
    rows = rng.randint(2, 4)  # a crowd, back rows smaller
    for r in range(rows):
        scale = 0.6 + 0.4 * (r + 1) / rows
        base = horizon + int((h - horizon) * (0.25 + 0.7 * (r + 1) / (rows + 1)))
        x = rng.randint(-10, 20)
        while x < w:
            hr = int(h * 0.035 * scale)
            body = _jitter(rng, rng.choice([(30, 40, 70), (200, 30, 30), (230, 230, 230), (40, 40, 40)]), 25)
            d.polygon([(x - hr * 1.6, base), (x + hr * 1.6, base), (x + hr, base - hr * 3), (x - hr, base - hr * 3)],
                      fill=body)
            d.ellipse([x - hr, base - hr * 5, x + hr, base - hr * 3], fill=_jitter(rng, (225, 185, 150), 15))
            d.pieslice([x - hr, base - hr * 5, x + hr, base - hr * 3.2], 180, 360, fill=(25, 20, 20))
            x += int(hr * rng.uniform(2.4, 3.6))
    arr = np.asarray(img.filter(ImageFilter.GaussianBlur(1.2)), dtype=np.int16)
    noise = np.random.default_rng(rng.randrange(2 ** 32)).normal(0, 7, arr.shape)
    return Image.fromarray(np.clip(arr + noise, 0, 255).astype(np.uint8), "RGB")


def _font(spec, size):
    path, index = spec
    return ImageFont.truetype(path, size, index=index)


def _centred(d, y, text, font, fill, w, spacing=0):
    if spacing:
        widths = [d.textlength(ch, font=font) for ch in text]
        total = sum(widths) + spacing * (len(text) - 1)
        x = (w - total) / 2
        for ch, cw in zip(text, widths):
            d.text((x, y), ch, font=font, fill=fill)
            x += cw + spacing
        return
    tw = d.textlength(text, font=font)
    d.text(((w - tw) / 2, y), text, font=font, fill=fill)


def cover(rng, w, h, publication, issue_line, publisher) -> Image.Image:
    """A full-page picture cover: title, issue and publisher painted into the raster."""
    style = rng.choice(["band", "full", "frame"])
    img = _gradient(w, h, _jitter(rng, (250, 246, 236), 5), _jitter(rng, (235, 225, 205), 8))
    d = ImageDraw.Draw(img)
    red, gold = (190, 10, 20), (250, 215, 120)
    title_font = _font(PIL_TITLE_FONT, int(w * 0.085))
    issue_font = _font(PIL_SANS_FONT, int(w * 0.04))
    small_font = _font(PIL_SANS_FONT, int(w * 0.026))
    if style == "full":  # the photo fills the page, the title sits in a red band over it
        img.paste(photo(rng, w, h), (0, 0))
        d = ImageDraw.Draw(img)
        d.rectangle([0, int(h * 0.06), w, int(h * 0.25)], fill=red)
        _centred(d, int(h * 0.08), publication, title_font, gold, w, spacing=int(w * 0.01))
        _centred(d, int(h * 0.185), issue_line, issue_font, (255, 255, 255), w)
        d.rectangle([0, int(h * 0.9), w, h], fill=(250, 246, 236))
        _centred(d, int(h * 0.925), publisher, small_font, red, w)
    else:
        d.rectangle([0, 0, w, int(h * 0.28)], fill=red)
        for k in range(6):  # a few rays behind the title
            d.line([w * 0.5, h * 0.3, w * (k / 5), 0], fill=(205, 40, 40), width=int(w * 0.02))
        _centred(d, int(h * 0.07), publication, title_font, gold, w, spacing=int(w * 0.012))
        _centred(d, int(h * 0.19), issue_line, issue_font, (255, 255, 255), w)
        ph = photo(rng, int(w * 0.84), int(h * 0.46))
        top = int(h * 0.33)
        if style == "frame":
            d.rectangle([int(w * 0.08) - 10, top - 10, int(w * 0.92) + 10, top + ph.height + 10], fill=gold)
        img.paste(ph, (int(w * 0.08), top))
        d.line([w * 0.1, h * 0.86, w * 0.9, h * 0.86], fill=red, width=int(w * 0.006))
        _centred(d, int(h * 0.885), publisher, small_font, red, w)
    return img


def save_jpeg(img, path, quality=78):
    img.save(path, "JPEG", quality=quality, optimize=True)
    return path
