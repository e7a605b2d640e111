"""A unit's activities over time as an SVG bar chart, drawn on the server (no script, no style
attribute: presentation attributes and classes only, so the CSP holds)."""
from __future__ import annotations

from collections import Counter

from markupsafe import Markup, escape


def months_chart(counts: Counter, width_per_month: int = 8, height: int = 120) -> Markup:
    """counts: {(year, month): n}. One bar per month from January of the first year to December of
    the last; the years labelled below; the largest count labelled on the axis."""
    if not counts:
        return Markup("")
    years = sorted({y for y, _ in counts})
    first, last = years[0], years[-1]
    n_months = (last - first + 1) * 12
    left, bottom, top = 28, 22, 8
    width = left + n_months * width_per_month + 4
    plot_h = height - bottom - top
    peak = max(counts.values())
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">',
             '<title id="chart-title">按年月统计的活动数</title>',
             f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{width - 2}" y2="{top + plot_h}"/>',
             f'<text class="tick" x="{left - 4}" y="{top + 8}" text-anchor="end">{peak}</text>',
             f'<text class="tick" x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>']
    for k, year in enumerate(range(first, last + 1)):
        x = left + k * 12 * width_per_month
        parts.append(f'<line class="year-sep" x1="{x}" y1="{top}" x2="{x}" y2="{top + plot_h + 4}"/>')
        parts.append(f'<text class="year" x="{x + 6 * width_per_month}" y="{height - 6}" '
                     f'text-anchor="middle">{year}</text>')
    for (year, month), n in sorted(counts.items()):
        i = (year - first) * 12 + (month - 1)
        h = max(2.0, plot_h * n / peak)
        x = left + i * width_per_month + 1
        label = escape(f"{year}年{month}月：{n} 项")
        parts.append(f'<rect class="bar" x="{x}" y="{top + plot_h - h:.1f}" width="{width_per_month - 2}" '
                     f'height="{h:.1f}"><title>{label}</title></rect>')
    parts.append("</svg>")
    return Markup("".join(parts))


def year_bars(counts: list[int], peak: int, width: int = 6, height: int = 18) -> Markup:
    """A row's activities per year as a tiny bar chart (one bar per year; scaled to `peak`)."""
    if not counts or peak <= 0:
        return Markup("")
    w = len(counts) * width
    parts = [f'<svg class="spark" viewBox="0 0 {w} {height}" width="{w}" height="{height}" aria-hidden="true" '
             'xmlns="http://www.w3.org/2000/svg">']
    for k, n in enumerate(counts):
        if n:
            h = max(1.5, (height - 1) * n / peak)
            parts.append(f'<rect class="bar" x="{k * width + 0.5}" y="{height - h:.1f}" width="{width - 1}" '
                         f'height="{h:.1f}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def years_chart(years: list[int], totals: list[int], bar: int = 28, height: int = 120) -> Markup:
    """Activities of all units per year, one labelled bar per year."""
    if not years or not any(totals):
        return Markup("")
    left, bottom, top = 4, 20, 14
    plot_h = height - bottom - top
    peak = max(totals)
    width = left + len(years) * bar + 4
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="years-chart-title" '
             'xmlns="http://www.w3.org/2000/svg"><title id="years-chart-title">各年活动数</title>',
             f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{width - 2}" y2="{top + plot_h}"/>']
    for k, (year, n) in enumerate(zip(years, totals)):
        x = left + k * bar
        h = plot_h * n / peak if n else 0
        parts.append(f'<rect class="bar" x="{x + 3}" y="{top + plot_h - h:.1f}" width="{bar - 6}" height="{h:.1f}">'
                     f'<title>{year}年：{n} 项活动</title></rect>')
        parts.append(f'<text class="tick" x="{x + bar / 2}" y="{top + plot_h - h - 3:.1f}" text-anchor="middle">{n}</text>')
        parts.append(f'<text class="year" x="{x + bar / 2}" y="{height - 5}" text-anchor="middle">{year}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
