"""What the edges say: English lines for the command line, Chinese for the web, made from the core's
structured results (review reasons, check problems), never parsed back from text."""
from __future__ import annotations

from .model import Review


def _pages(pages) -> str:
    return ", ".join(map(str, pages))


REVIEW_EN = {
    "no_masthead": lambda r: "no masthead (year and issue number) found",
    "no_sections": lambda r: "no section titles found",
    "blank_pages": lambda r: f"pages without text: {_pages(r.pages)}",
    "low_confidence": lambda r: f"{r.count} item(s) read by OCR with low confidence",
}
REVIEW_CN = {
    "no_masthead": lambda r: "未找到报头（年份和期号）",
    "no_sections": lambda r: "未找到栏目标题",
    "blank_pages": lambda r: f"以下页面没有文字：第 {_pages(r.pages)} 页",
    "low_confidence": lambda r: f"{r.count} 个条目的 OCR 识别置信度较低",
}


def review_en(review: Review) -> str:
    say = REVIEW_EN.get(review.kind)
    return say(review) if say else (review.text or review.kind)


def review_cn(review: Review) -> str:
    say = REVIEW_CN.get(review.kind)
    return say(review) if say else (review.text or review.kind)


def reviews_en(reviews: list[Review]) -> str:
    return "; ".join(map(review_en, reviews))


def reviews_cn(reviews: list[Review]) -> str:
    return "；".join(map(review_cn, reviews))
