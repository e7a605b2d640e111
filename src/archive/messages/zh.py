"""中文：每一条给人看的话（默认语言）。键与 en.py 相同（tests/test_messages.py 检查）。"""
from __future__ import annotations


def _pages(pages) -> str:
    return "、".join(map(str, pages))


FIELD = {"unit": "单位", "section": "栏目", "heading": "标题", "author": "作者", "year": "年份", "date": "日期",
         "from": "起始日期", "to": "结束日期"}

# Why a file was refused, or a request failed (keys: errors.Kind values).
ERRORS = {
    "empty": lambda p: "文件是空的",
    "not_pdf": lambda p: "不是 PDF 文件（文件开头没有 %PDF- 标记）",
    "needs_password": lambda p: "PDF 已加密，需要密码才能导入；网页导入不能输入密码，请先去除密码再上传",
    "wrong_password": lambda p: "PDF 已加密，所给密码不正确",
    "broken": lambda p: "PDF 文件已损坏或不完整（可能在下载、复制时被截断），无法读取；请换一份完好的文件",
    "broken_page": lambda p: f"PDF 第 {p.get('page')} 页已损坏，无法读取",
    "nesting": lambda p: f"PDF 第 {p.get('page')} 页的对象嵌套过深，无法读取",
    "unsupported": lambda p: "PDF 的结构有误或用了不支持的写法（例如页面树循环引用），无法读取；可在 PDF 软件中另存一份后再导入",
    "no_pages": lambda p: "PDF 没有页面",
    "too_many_pages": lambda p: f"PDF 有 {p.get('pages')} 页，超过上限 {p.get('limit')} 页",
    "page_size": lambda p: f"PDF 第 {p.get('page')} 页的尺寸不合理（{p.get('width')}×{p.get('height')} 磅）",
    "too_large": lambda p: f"文件大小 {p.get('mb')} MB，超过上限 {p.get('limit')} MB",
    "timeout": lambda p: f"读取超过 {p.get('seconds')} 秒仍未完成，已放弃",
    "scan_without_ocr": lambda p: "这是扫描件（没有文字层），而服务器上的文字识别（OCR）不可用",
    "ocr_found_nothing": lambda p: "这是扫描件（没有文字层），文字识别（OCR）没有识别出文字",
    "outlines_without_ocr": lambda p: "文字以矢量轮廓绘制（没有文字层），而服务器上的文字识别（OCR）不可用",
    "no_text": lambda p: "所有页面都没有文字",
    "converter_missing": lambda p: ("这是 Word 或 WPS 文件，要先用 LibreOffice 转成 PDF 才能导入，而服务器上没有装 LibreOffice"
                                    f"（找不到 {p.get('command') or 'soffice'} 命令）；请管理员安装：apt install libreoffice-writer，"
                                    "或先在 Word、WPS 里另存为 PDF 再导入"),
    "convert_failed": lambda p: "LibreOffice 未能把这个 Word 或 WPS 文件转成 PDF（文件可能已损坏，或不是它的扩展名所说的格式）；请在 Word、WPS 里打开后另存为 PDF 再导入",
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
    "unreadable": lambda p: "无法读取这个文件（可能已被移走，或没有读取权限）；请检查后重新导入",
    "internal": lambda p: ("程序内部错误，未保存任何内容；请把这个文件交给管理员排查"
                           + (f"（错误编号 {p['ref']}，记在数据目录的 logs/archive.log 中）" if p.get("ref") else "")),
    # the web's page images and search index
    "page_too_large": lambda p: f"这一页的尺寸异常（{p.get('width')}×{p.get('height')} 磅），无法生成可读的页面图像",
    "render_timeout": lambda p: f"这一页过于复杂，{p.get('seconds')} 秒内未能生成页面图像；可下载原始 PDF 查看",
    "render_failed": lambda p: "这一页无法生成页面图像；可下载原始 PDF 查看",
    "render_busy": lambda p: "页面图像正在生成中的请求太多，请稍后刷新",
    "not_a_backup": lambda p: f"{p.get('path')} 不是本档案的备份文件",
    "backup_damaged": lambda p: f"备份文件 {p.get('path')} 已损坏（{p.get('member') or '清单'}与清单中的校验值不符或缺失），未作任何恢复",
    "backup_incomplete": lambda p: f"备份期间文件 {p.get('path')} 被移走，请重新备份",
    "target_not_empty": lambda p: f"目标目录 {p.get('path')} 不是空的；如要覆盖，请加 --force",
    "page_image_pixels": lambda p: (f"这一页上的一幅图像有 {p.get('width')}×{p.get('height')} 像素，超过上限 "
                                    f"{p.get('limit_mp')} 百万像素，无法生成页面图像；可下载原始 PDF 查看"),
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
    "value_too_long": lambda p: f"筛选条件“{FIELD.get(p.get('name'), p.get('name'))}”超过 {p.get('limit')} 个字符",
    "bad_collection": lambda p: f"没有“{p.get('value')}”这个文献范围：可选本刊（bulletin）或其他文件（other）",
    # reports (report.build)
    "unknown_unit": lambda p: (f"没有名为“{p.get('unit')}”的单位" + (f"；是否要找：{'、'.join(p['suggestions'])}？"
                                                                   if p.get("suggestions") else "（单位列表见“单位”页）")),
    "unknown_topic": lambda p: (f"没有名为“{p.get('topic')}”的专题" + (f"；是否要找：{'、'.join(p['suggestions'])}？"
                                                                     if p.get("suggestions") else "（专题列表见“专题”页）")),
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
    "empty_topic": lambda p: "专题名称、别名或关键词不能为空",
    "long_topic": lambda p: f"专题名称、别名或关键词最多 {p.get('limit')} 个字，且不能换行",
    "topic_exists": lambda p: f"已有名为“{p.get('topic')}”的专题（或别名）",
    "no_person": lambda p: f"没有署名或提到“{p.get('name')}”的条目",
    "unit_present": lambda p: f"“{p.get('unit')}”已是这条的单位",
    "unit_absent": lambda p: f"“{p.get('unit')}”不是这条的单位",
    "split_at": lambda p: f"拆分位置应在正文第 1 到第 {p.get('length')} 个字之间",
    "split_marks": lambda p: "一次只能拆分一处：正文里只能有一个【拆分】",
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

# Why an issue needs a person's look (model.Review kinds).
REVIEWS = {
    "no_masthead": lambda r: "未找到报头（年份和期号）",
    "no_sections": lambda r: "未找到栏目标题",
    "blank_pages": lambda r: f"以下页面没有文字：第 {_pages(r.pages)} 页",
    "unreadable_pages": lambda r: f"以下页面文字识别（OCR）几乎无法读出：第 {_pages(r.pages)} 页",
    "garbled_pages": lambda r: f"以下页面的文字层是乱码，文字识别（OCR）无法读取，暂按原样保留：第 {_pages(r.pages)} 页",
    "low_confidence": lambda r: f"{r.count} 个条目的 OCR 识别置信度较低",
    "broken_paragraphs": lambda r: f"第 {_pages(r.pages)} 页有段落可能被断开（条目在句子中间结束）",
    "contents_differ": lambda r: f"合订本目录与找到的各期不符：第 {_pages(r.pages)} 页",
    "repeated_sections": lambda r: f"第 {_pages(r.pages)} 页栏目重复出现（可能把两期读成了一期）",
}
REVIEW_JOIN = "；"

# Lines of the command line and the pages (keys: what they say; str.format fields).
LINES = {
    "internal": "程序内部错误，没有完成（错误编号 {ref}，管理员可在 {log} 中按编号查到详情）",
    "error": "错误：{text}",
    "usage": "用法有误：{text}（见 archive --help）",
    # import
    "import.imported": "{path}：已导入，期号 {issue}",
    "import.replaced": "{path}：已替换，期号 {issue}",
    "import.already": "{path}：此前已导入，期号 {issue}",
    "import.part": "（文件第 {first}–{last} 页）",
    "import.refused": "{path}：未导入：{why}",
    "import.needs_review": "（需人工复核：{why}）",
    "import.failed_count": "{failed} 个文件（共 {total} 个）未导入",
    "import.progress": "正在导入",
    # a web import job's page (web/jobview.py)
    "job.status.imported": "已导入",
    "job.status.replaced": "已替换",
    "job.status.already imported": "此前已导入",
    "job.status.refused": "未导入",
    "job.other": "导入为其他文件",
    "job.state.queued": "排队中",
    "job.state.running": "正在导入",
    "job.state.done": "已完成",
    "job.unknown_error": "导入失败（原因未能译出，请告诉管理员）",
    "job.waiting": "等待中",
    "job.reading": "正在读取",
    "job.checking": "正在检查文件",
    "job.reading_page": "正在读取第 {page}/{pages} 页（已读 {done} 页{how}）",
    "job.reading_ocr": "，其中文字识别（OCR）{ocr} 页",
    "job.reading_text": "，文字层",
    "job.pages_text": "共 {pages} 页，均为文字层",
    "job.pages_ocr": "共 {pages} 页，文字识别（OCR）{ocr} 页{rest}",
    "job.pages_rest": "、文字层 {text} 页",
    "job.needs_review": "需人工复核：{why}",
    "job.file_pages": "（文件第 {first}–{last} 页）",
    "job.volume": "{issues} 期：{counts}",
    "job.volume_count": "{status} {n}",
    "job.list": "、",
    "job.messages": "；",
    "job.summary.queued": "排队中：{files} 个文件等待导入",
    "job.summary.running": "正在导入：已完成 {done}/{files} 个文件",
    "job.summary.done": "已完成：{ok} 个文件导入成功{other}，{failed} 个未导入",
    "job.summary_other": "，{n} 个导入为其他文件",
    # check
    "problem.missing_pdf": "期刊缺少所存的原始 PDF",
    "problem.orphan_file": "没有期刊引用的存储文件",
    "problem.queued": "等待编入检索索引的期刊（上次写入被中断）",
    "problem.not_indexed": "检索索引中缺少的条目",
    "problem.stale": "检索索引中内容已过时的条目",
    "problem.not_in_records": "检索索引中有、记录中没有的条目",
    "problem.line": "{label}（{count}）：{ids}{more}",
    "problem.more": " …… 另有 {n} 个",
    "problem.orphans": "{label}（{count}）：请运行 archive check --repair",
    "check.repair_hint": "运行 archive check --repair 可使检索索引与记录一致",
    "check.ok": "正常：{issues} 期，{items} 条；每期都有原始 PDF，检索索引与记录一致",
    "repair.removed": "已删除 {path}：没有期刊引用的存储文件",
    "repair.rebuilt": "已重建检索索引：{items} 条",
    "repair.reindexed": "已重新编入索引：{issues} 期",
    # corrections
    "change.line": "{what}：校对记录 {ids} → {where}{state}",
    "change.hidden": "已隐藏，在 {issue} 中",
    "change.stale": "（不再适用）",
    "change.was": "（原为 {issue}）",
    "history.none": "{target}：没有校对记录",
    "revert.done": "已撤销校对记录 {id}",
    "reparse.failed": "{issue}：未能重新解析：{error}",
    "reparse.done": "{issue}：已重新解析{moved}；已套用校对 {applied} 项，不再适用 {stale} 项",
    "reparse.moved": "（现为 {issue}）",
    "review.none": "没有需要审核的内容",
    "reviewed": "{issue}：已标记为已审核",
    "units.changed": "{what}；{n} 期已重新标注并编入索引",
    # reports and coverage
    "pdf.text_layer": "{path}：{issue} 期的原始 PDF，扫描页上加了看不见的文字层（取自记录，含校对），可检索、可复制",
    "pdf.original": "{path}：{issue} 期的原始 PDF（本来就有文字层，原样给出）",
    "report.written": "{path}：{n} 条{what}",
    "report.none": "（报告注明没有符合条件的结果）",
    "report.hits": "检索结果",
    "report.activities": "活动",
    "coverage.none": "尚未导入任何期刊",
    "coverage.year": "{year} 年：{issues} 期；期号 {present}；缺 {missing}",
    "coverage.empty_years": "没有期刊的年份：{years}",
    "coverage.undated": "没有年份的期刊：{ids}",
    "coverage.missing_total": "共缺 {n} 个期号",
    "units.table_written": "{path}：{units} 个单位 × {years} 年",
    # the 大事记, topics, people (cli/chronicle.py)
    "chronicle.written": "{path}：{year} 年大事记 {n} 条",
    "topics.changed": "{what}；{n} 期的专题标注已更新并重新编入索引",
    "topics.undo": "（校对记录 {id}，可用 archive revert {id} 撤销）",
    "topics.added": "已添加专题 {name}", "topics.aliased": "{alias} 现为专题 {name} 的别名",
    "topics.keyword": "{word} 现为专题 {name} 的关键词", "topics.renamed": "专题 {old} 已改名为 {new}",
    "topics.excluded": "“{word}”不再算作专题 {name} 的关键词出现",
    "topics.merged": "专题 {a} 已并入 {b}",
    "topics.removed": "已删除专题 {name}",
    "topics.header": "专题（活动数）：别名；关键词",
    "people.changed": "{what}（校对记录 {id}，可用 archive revert {id} 撤销）",
    "people.merged": "{a} 现为 {b} 的另一写法", "people.renamed": "{a} 现称 {b}",
    "people.none": "还没有署名或随单位提到的人",
    # accounts
    "users.added": "已添加 {name}（{role}）",
    "users.none": "还没有账号（用 archive users add 姓名 --role editor 添加）",
    "users.removed": "已删除 {name}；其登录会话和 API 令牌均已失效",
    "users.passwd": "{name} 的密码已更改；{n} 个登录会话已结束",
    "users.revoked": "已吊销 {name} 的 {n} 个 API 令牌",
    "users.token_once": "（只显示这一次：系统只保存它的哈希值）",
    # demo, reindex, search, serve
    "demo.importing": "正在把 {n} 期样刊导入 {data} ……",
    "demo.issue": "{id}  {publication} {label} {date}  {pages} 页，{sections} 个栏目，{items} 条",
    "demo.units": "提到最多的单位：",
    "demo.next": "下一步：archive {data}search 党史 · archive {data}report 党史 -o 党史.docx · archive {data}coverage"
                 " · archive {data}users add 姓名 --role editor（在网页上校对记录）",
    "reindex.progress": "已编入 {n} 条",
    "reindex.done": "已编入 {n} 条（{issues} 期），索引在 {where}",
    "search.total": "{total} 条结果",
    "search.synonyms": "（含同义词：{names}；--no-synonyms 只查原词）",
    "search.showing": "，显示 {shown} 条",
    "search.title_more": "另有 {n} 条的标题或栏目名（而非正文）与检索词相符：",
    "watch.watching": "正在看守 {folder}：出现的文件导入 {data}，之后移到其中的“已导入”或“未导入”文件夹（按 Ctrl-C 停止）",
    "serve.serving": "正在 http://{host}:{port}/ 提供 {data}（按 Ctrl-C 停止）",
    "serve.private": "；私有模式：阅读也需要登录",
    "serve.no_import": "；网页导入未启用：请添加编辑账号（archive users add 姓名 --role editor）或设置 ARCHIVE_ADMIN_TOKEN",
    "coverage.twice": "重复", "coverage.combined": "合刊", "coverage.special": "增刊、特刊", "coverage.unnumbered": "无期号",
    "coverage.needs_review": "需审核", "coverage.break": "总第N期",
    "units.unit": "单位", "units.total": "合计",
    "users.password": "密码", "users.repeat": "再输入一次密码",
    "units.added": "已添加单位 {name}", "units.aliased": "{alias} 现为 {name} 的别名", "units.renamed": "{old} 已改名为 {new}",
    "units.merged": "{a} 已并入 {b}", "units.ignored": "{name} 今后不作为单位",
    "history.state.stale": "  [不再适用]", "history.state.reverted": "  [已由 {who} 撤销]",
    "review.stale_correction": "校对记录 {id}（{op} {field}）对 {item} 不再适用",
    "review.needs_review": "第 {issue} 期需人工复核：{why}",
    "review.low_confidence": "条目 {item} 的文字识别置信度为 {confidence}：{detail}",
    "review.very_short": "条目 {item} 很短：{detail}", "review.very_long": "条目 {item} 很长：{detail}",
    "review.crosses_title": "条目 {item} 跨过了一个栏目标题：{detail}",
    "review.new_unit": "单位 {unit} 不在单位表中（{count} 条）：{examples}",
    "import.other": "（不是本刊：单独归入“其他文件”）",
    "history.state.purged": "  [已彻底删除]",
    "review.needs_review_other": "其他文件 {issue} 需人工复核：{why}",
    "removal.removed": "已移除 {issue} {label}{by}", "removal.restored": "已恢复 {issue} {label}",
    "removal.purged": "已彻底删除 {issue} {label}", "removal.by": "（{who}，{at}）",
    "removal.file_kept": "（其文件仍有他用，保留）",
    "removal.none": "没有已移除的导入", "removal.restored_as": "已恢复 {issue}，现为 {now}",
    "removal.nothing_to_purge": "没有可彻底删除的导入",
    "units.not_registered": "  （未登记）",
    "backup.written": "{path}：{issues} 期，{items} 条，{pdfs} 个原始 PDF，{mb} MB（数据库结构第 {schema} 版，{when}）",
    "backup.restored": "{target}：已从 {when} 的备份恢复 {issues} 期、{items} 条（每个文件都已核对校验值）；已编入索引 {indexed} 条",
}


def coverage_break(b: dict) -> str:
    if b["kind"] == "lost_between":
        totals = f"总第{b['first']}期" + (f"至第{b['last']}期" if b["last"] > b["first"] else "")
        return f"{b['after']} 与 {b['before']} 之间缺 {b['last'] - b['first'] + 1} 期（{totals}）"
    if b["kind"] == "total_twice":
        return f"总第{b['total']}期 印在 {len(b['issues'])} 期上（{'、'.join(b['issues'])}）"
    return f"{b['issue']} 印 总第{b['printed']}期，按前一期 {b['after']} 应为 总第{b['expected']}期"


# What an editor changed, in words (a conflict page, history): op, and the field it set.
OPS = {"set": "修改", "set_issue": "修改期刊信息", "add_unit": "添加单位", "remove_unit": "去掉单位", "split": "拆分",
       "merge": "与下一条合并", "hide": "隐藏", "show": "重新显示", "revert": "撤销"}
FIELDS = {"text": "正文", "heading": "标题", "section": "栏目", "kind": "类型", "author": "作者", "source": "来源",
          "publication": "刊名", "year": "年份", "number": "期号", "number_end": "合刊末期号", "special": "增刊/特刊",
          "date": "日期", "publisher": "编印单位"}
