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
    "unreadable_pages": lambda r: f"pages OCR could hardly read: {_pages(r.pages)}",
    "low_confidence": lambda r: f"{r.count} item(s) read by OCR with low confidence",
    "broken_paragraphs": lambda r: f"a paragraph may be broken in two (it ends mid-sentence) on page(s) {_pages(r.pages)}",
}
REVIEW_CN = {
    "no_masthead": lambda r: "未找到报头（年份和期号）",
    "no_sections": lambda r: "未找到栏目标题",
    "blank_pages": lambda r: f"以下页面没有文字：第 {_pages(r.pages)} 页",
    "unreadable_pages": lambda r: f"以下页面文字识别（OCR）几乎无法读出：第 {_pages(r.pages)} 页",
    "low_confidence": lambda r: f"{r.count} 个条目的 OCR 识别置信度较低",
    "broken_paragraphs": lambda r: f"第 {_pages(r.pages)} 页有段落可能被断开（条目在句子中间结束）",
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


# Why a file was refused, or a request failed, worded for the web (kinds from errors.ArchiveError).
ERROR_CN = {
    "empty": lambda p: "文件是空的",
    "not_pdf": lambda p: "不是 PDF 文件（文件开头没有 %PDF- 标记）",
    "needs_password": lambda p: "PDF 已加密，需要密码才能导入；网页导入不能输入密码，请先去除密码再上传",
    "wrong_password": lambda p: "PDF 已加密，所给密码不正确",
    "broken": lambda p: f"PDF 文件已损坏，无法读取（{p.get('detail', '')}）",
    "broken_page": lambda p: f"PDF 第 {p.get('page')} 页已损坏，无法读取",
    "nesting": lambda p: f"PDF 第 {p.get('page')} 页的对象嵌套过深，无法读取",
    "unsupported": lambda p: f"PDF 使用了不支持的功能（{p.get('detail', '')}）",
    "no_pages": lambda p: "PDF 没有页面",
    "too_many_pages": lambda p: f"PDF 有 {p.get('pages')} 页，超过上限 {p.get('limit')} 页",
    "page_size": lambda p: f"PDF 第 {p.get('page')} 页的尺寸不合理（{p.get('width')}×{p.get('height')} 磅）",
    "too_large": lambda p: f"文件大小 {p.get('mb')} MB，超过上限 {p.get('limit')} MB",
    "timeout": lambda p: f"读取超过 {p.get('seconds')} 秒仍未完成，已放弃",
    "scan_without_ocr": lambda p: "这是扫描件（没有文字层），而服务器上的文字识别（OCR）不可用",
    "ocr_found_nothing": lambda p: "这是扫描件（没有文字层），文字识别（OCR）没有识别出文字",
    "no_text": lambda p: "所有页面都没有文字",
    "duplicate": lambda p: (f"第 {p.get('issue_id')} 期已由另一个文件导入；如要用本文件替换，请勾选“替换已导入的同一期”"),
    # bounds of ingest.limits, checked before the file is parsed
    "inflate_bomb": lambda p: (f"PDF 中的一个数据流（对象 {p.get('object')}）解压后超过 {p.get('limit_mb')} MB，"
                               "疑似“压缩炸弹”，已拒绝"),
    "inflate_total": lambda p: f"PDF 的全部数据流解压后超过 {p.get('limit_mb')} MB，已拒绝",
    "image_pixels": lambda p: (f"PDF 中的一幅图像（对象 {p.get('object')}）有 {p.get('width')}×{p.get('height')} 像素，"
                               f"超过上限 {p.get('limit_mp')} 百万像素"),
    "too_many_objects": lambda p: f"PDF 有 {p.get('objects')} 个对象，超过上限 {p.get('limit')} 个",
    # the import worker (archive.service.jobs)
    "memory": lambda p: "读取此文件所需的内存超过了导入进程的上限，已放弃",
    "worker_stopped": lambda p: (f"读取此文件时导入进程意外停止（可能超出了内存上限 {p.get('memory_mb')} MB），"
                                 "未保存任何内容"),
    "unreadable": lambda p: "服务器无法读取上传的文件，请重新上传",
    "internal": lambda p: "程序内部错误，未保存任何内容；请把这个文件交给管理员排查",
    # the web's page images and search index
    "page_too_large": lambda p: f"这一页的尺寸异常（{p.get('width')}×{p.get('height')} 磅），无法生成可读的页面图像",
    "render_timeout": lambda p: f"这一页过于复杂，{p.get('seconds')} 秒内未能生成页面图像；可下载原始 PDF 查看",
    "render_failed": lambda p: "这一页无法生成页面图像；可下载原始 PDF 查看",
    "render_busy": lambda p: "页面图像正在生成中的请求太多，请稍后刷新",
    "data_folder": lambda p: "服务器上的档案数据目录无法打开，请告诉管理员",
    "index_unavailable": lambda p: "检索索引暂时不可用（正在重建或已损坏），请稍后再试；如果一再出现，请告诉管理员",
    # the query language (search.query)
    "quote_closes_nothing": lambda p: f"第 {p.get('position')} 个字符处的引号 {p.get('quote')} 前面没有对应的开引号",
    "quote_unclosed": lambda p: f"第 {p.get('position')} 个字符处的引号 {p.get('quote')} 没有闭合",
    "field_empty": lambda p: f"“{p.get('field')}:”后面缺少要筛选的内容（第 {p.get('position')} 个字符处）",
    "exclude_nothing": lambda p: f"第 {p.get('position')} 个字符处的减号后面缺少要排除的词",
    "or_alone": lambda p: "OR 的两边都需要有词、短语或筛选条件",
    "bad_year": lambda p: f"年份“{p.get('value')}”无法识别：请写成 2021，或 2016..2018 表示范围",
    "bad_date": lambda p: f"日期“{p.get('value')}”无法识别：请写成 年-月-日、年-月 或 年（范围写成 起..止）",
    "no_such_day": lambda p: f"日期“{p.get('value')}”不存在",
    "backwards": lambda p: f"范围“{p.get('value')}”的结束早于开始",
    "from_after_to": lambda p: f"起始日期 {p.get('start')} 晚于结束日期 {p.get('end')}",
    "bad_sort": lambda p: "排序方式只能是“相关度”或“日期”",
    "bad_paging": lambda p: "分页参数有误：每页条数至少为 1，起始位置不能为负数",
    "empty_query": lambda p: "请输入要检索的词，或选择一个筛选条件（单位、栏目、年份、日期）",
    "query_too_long": lambda p: f"检索式有 {p.get('length')} 个字符，超过上限 {p.get('limit')} 个；请缩短后再试",
    "too_many_terms": lambda p: f"检索式含 {p.get('count')} 个词、短语和筛选条件，超过上限 {p.get('limit')} 个",
    "too_many_phrases": lambda p: f"检索式含 {p.get('count')} 个带引号的短语，超过上限 {p.get('limit')} 个",
    "too_many_ranges": lambda p: f"检索式含 {p.get('count')} 个年份或日期条件，超过上限 {p.get('limit')} 个",
    "value_too_long": lambda p: f"筛选条件“{FIELD_CN.get(p.get('name'), p.get('name'))}”超过 {p.get('limit')} 个字符",
    # reports (report.build)
    "unknown_unit": lambda p: f"没有名为“{p.get('unit')}”的单位（单位列表见“单位”页）",
    "bad_format": lambda p: f"不提供“{p.get('format')}”格式；可选：Word（docx）、Excel（xlsx）、CSV、Markdown（md）",
    "report_too_large": lambda p: (f"结果有 {p.get('count')} 条，网页一次最多导出 {p.get('limit')} 条；请缩小检索范围，"
                                   "或在服务器上用 archive report 命令导出"),
    # corrections (archive.service.correcting)
    "not_found": lambda p: f"没有“{p.get('what')}”（条目、期刊、校对记录或单位）",
    "stale_form": lambda p: "这条内容在你打开表单之后已被修改；为免覆盖别人的修改，本次没有保存。请对照下面两个版本后重新修改",
    "conflict": lambda p: f"修改后的期号与已有的 {p.get('issue_id')} 期相同，没有保存",
    "empty_text": lambda p: "正文不能为空（若是误入的页眉等内容，请用“隐藏”）",
    "long_text": lambda p: f"正文太长（上限 {p.get('limit')} 字）",
    "empty_unit": lambda p: "单位名称不能为空",
    "long_unit": lambda p: f"单位名称最多 {p.get('limit')} 个字，且不能换行或含逗号、顿号",
    "unit_present": lambda p: f"“{p.get('unit')}”已是这条的单位",
    "unit_absent": lambda p: f"“{p.get('unit')}”不是这条的单位",
    "split_at": lambda p: f"拆分位置应在正文第 1 到第 {p.get('length')} 个字之间",
    "no_next": lambda p: "这是本期最后一条，没有可合并的下一条",
    "not_hidden": lambda p: "这条没有被隐藏",
    "reverted": lambda p: "这项校对已经撤销过了",
    "unchanged": lambda p: "内容没有变化，未保存",
    "bad_field": lambda p: "不能修改这个字段",
    "bad_op": lambda p: "未知的操作",
    "bad_kind": lambda p: "类型应为正文、图片说明或表格",
    "long_field": lambda p: f"这一项最多 {p.get('limit')} 个字，且不能换行",
    "empty_field": lambda p: "这一项不能为空",
    "not_number": lambda p: "应为整数",
    "out_of_range": lambda p: f"应在 {p.get('lo')} 到 {p.get('hi')} 之间",
    "bad_issue_date": lambda p: "日期应为 YYYY-MM-DD 或 YYYY-MM",
    # accounts (store.accounts)
    "bad_name": lambda p: "用户名不合要求（不能为空、首尾不能有空格、不能含控制字符，最多 64 个字；admin 为保留名）",
    "bad_role": lambda p: "角色只能是编辑（editor）或读者（reader）",
    "bad_password": lambda p: "密码不合要求（长度不够或太长）",
    "duplicate_user": lambda p: "已有同名用户",
    "unknown_user": lambda p: "没有这个用户",
    "unknown_field": lambda p: f"没有“{p.get('field')}:”这种筛选条件；可用：unit: section: heading: author: year: date:",
}


def coverage_break_cn(b: dict) -> str:
    """A break in 总第N期 continuity (store.coverage.add_breaks), in words."""
    if b["kind"] == "lost_between":
        totals = f"总第{b['first']}期" + (f"至第{b['last']}期" if b["last"] > b["first"] else "")
        return f"{b['after']} 与 {b['before']} 之间缺 {b['last'] - b['first'] + 1} 期（{totals}）"
    if b["kind"] == "total_twice":
        return f"总第{b['total']}期 印在 {len(b['issues'])} 期上（{'、'.join(b['issues'])}）"
    return f"{b['issue']} 印 总第{b['printed']}期，按前一期 {b['after']} 应为 总第{b['expected']}期"

FIELD_CN = {"unit": "单位", "section": "栏目", "heading": "标题", "author": "作者", "year": "年份", "date": "日期",
            "from": "起始日期", "to": "结束日期"}


def error_cn(exc) -> str:
    """A domain error in Chinese for the web (a kind without wording still gets a Chinese line,
    never the English one: that speaks of command-line options)."""
    kind = str(getattr(exc, "kind", ""))
    say = ERROR_CN.get(kind)
    return say(getattr(exc, "params", {})) if say else f"请求未能完成（原因：{kind or '未知'}），请告诉管理员"


# --- the command line's lines (English) ---------------------------------------------------------------

PROBLEM_EN = {"missing_pdf": "issues without their stored PDF", "orphan_file": "stored files no issue refers to",
              "queued": "issues waiting to be indexed (a write was cut short)",
              "not_indexed": "items missing from the search index",
              "stale": "items the search index holds an older version of",
              "not_in_records": "index documents without a record"}


def problem_line(problem, limit: int = 20) -> str:
    """A check problem (service.checking.Problem) as one line."""
    if problem.kind == "index_unavailable":
        return problem.detail
    label = PROBLEM_EN[problem.kind]
    if problem.kind == "orphan_file":
        return f"{label} ({len(problem.ids)}): run `archive check --repair`"
    more = f" … and {len(problem.ids) - limit} more" if len(problem.ids) > limit else ""
    return f"{label} ({len(problem.ids)}): {', '.join(problem.ids[:limit])}{more}"


def repair_lines(done) -> list[str]:
    """What `check --repair` did (service.checking.Repair)."""
    lines = [f"removed {path}: a stored file no issue refers to" for path in done.removed]
    if done.rebuilt is not None:
        lines.append(f"rebuilt the search index: {done.rebuilt} items")
    if done.reindexed:
        lines.append(f"indexed {done.reindexed} issue(s) again")
    return lines


def result_line(result) -> str:
    """One import result: `path: imported as 2021-005[: reason]`."""
    what = f" as {result.issue_id}" if result.issue_id and not result.failed else ""
    why = result.message or (f"needs review: {reviews_en(result.reviews)}" if result.reviews else "")
    return f"{result.path}: {result.status}{what}{': ' + why if why else ''}"


def change_line(what: str, change) -> str:
    """A correction made (service.correcting.Change)."""
    where = change.item_id or (f"hidden, in {change.issue_id}" if what == "hide" else change.issue_id)
    state = "" if change.state == "applied" else f" ({'no longer applies' if change.state == 'stale' else change.state})"
    return f"{what}: correction {', '.join(map(str, change.corrections))} → {where}{state}"
