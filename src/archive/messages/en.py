"""English: every line a person reads (`--lang en`, Accept-Language: en). The keys are zh.py's."""
from __future__ import annotations


def _pages(pages) -> str:
    return ", ".join(map(str, pages))


FIELD = {"unit": "unit", "section": "section", "heading": "heading", "author": "author", "year": "year",
         "date": "date", "from": "from", "to": "to"}

ERRORS = {
    "empty": lambda p: "empty file",
    "not_pdf": lambda p: "not a PDF (no %PDF- header)",
    "needs_password": lambda p: "encrypted PDF: needs a password (--password)",
    "wrong_password": lambda p: "encrypted PDF: the password given is wrong",
    "broken": lambda p: "broken PDF (cut short when it was downloaded or copied?): it cannot be read",
    "broken_page": lambda p: f"broken PDF on page {p.get('page')}",
    "nesting": lambda p: f"page {p.get('page')}: object nesting too deep",
    "unsupported": lambda p: "the PDF's structure is wrong or unsupported (e.g. a page tree that loops); save it again "
                             "from a PDF program and import that",
    "no_pages": lambda p: "PDF has no pages",
    "too_many_pages": lambda p: f"PDF has {p.get('pages')} pages; the limit is {p.get('limit')}",
    "page_size": lambda p: f"page {p.get('page')} has an impossible size {p.get('width')}x{p.get('height')} pt",
    "too_large": lambda p: f"file is {p.get('mb')} MB; the limit is {p.get('limit')} MB",
    "timeout": lambda p: f"gave up after {p.get('seconds')} s: the file takes too long to read",
    "scan_without_ocr": lambda p: f"image-only PDF (a scan): no text layer, and {p.get('problem') or 'OCR is not available'}",
    "ocr_found_nothing": lambda p: "image-only PDF (a scan): OCR found no text",
    "no_text": lambda p: "no text on any page",
    "converter_missing": lambda p: (f"this is a Word or WPS file, which LibreOffice converts to PDF before it is imported, and "
                                    f"LibreOffice is not installed (no {p.get('command') or 'soffice'} command): install it with "
                                    "`apt install libreoffice-writer` (package libreoffice), or save the file as PDF first"),
    "convert_failed": lambda p: ("LibreOffice could not convert this Word or WPS file to PDF (it may be damaged, or not what its "
                                 "extension says); open it in Word or WPS and save it as PDF"),
    "duplicate": lambda p: f"issue {p.get('issue_id')} is already imported from another file; use --replace to swap it",
    "inflate_bomb": lambda p: f"a stream (object {p.get('object')}) inflates to more than {p.get('limit_mb')} MB: "
                              "a decompression bomb",
    "inflate_total": lambda p: f"the file's streams inflate to more than {p.get('limit_mb')} MB in all",
    "image_pixels": lambda p: f"an image (object {p.get('object')}) has {p.get('width')}x{p.get('height')} pixels; "
                              f"the limit is {p.get('limit_mp')} million",
    "too_many_objects": lambda p: f"PDF has {p.get('objects')} objects; the limit is {p.get('limit')}",
    "memory": lambda p: "reading the file needs more memory than an import may use",
    "worker_stopped": lambda p: f"the import worker stopped while reading this file (past its {p.get('memory_mb')} MB "
                                "memory cap?); nothing was stored",
    "unreadable": lambda p: f"cannot read the file{': ' + p['detail'] if p.get('detail') else ''}",
    "internal": lambda p: ("internal error; nothing was stored, please report this file"
                           + (f" (reference {p['ref']}, in the data folder's logs/archive.log)" if p.get("ref") else "")),
    "page_too_large": lambda p: f"page size {p.get('width')}x{p.get('height')} pt cannot be drawn readably",
    "render_timeout": lambda p: f"the page took more than {p.get('seconds')} s to draw; download the original PDF",
    "render_failed": lambda p: "the page could not be drawn; download the original PDF",
    "render_busy": lambda p: "every page renderer is busy; reload in a moment",
    "data_folder": lambda p: "the data folder cannot be opened",
    "index_unavailable": lambda p: "the search index is unavailable (being rebuilt, or damaged); try again later, or "
                                   "run `archive reindex`",
    "quote_closes_nothing": lambda p: f"unbalanced quote: {p.get('quote')} at position {p.get('position')} closes nothing",
    "quote_unclosed": lambda p: f"unbalanced quote: {p.get('quote')} at position {p.get('position')} is never closed",
    "field_empty": lambda p: f"{p.get('field')}: needs a value (at position {p.get('position')})",
    "exclude_nothing": lambda p: f"nothing to exclude after - at position {p.get('position')}",
    "or_alone": lambda p: "OR needs a word, phrase or filter on each side",
    "bad_year": lambda p: f"bad year {p.get('value')!r}: use a year like 2021 or a range like 2016..2018",
    "bad_date": lambda p: f"bad date {p.get('value')!r}: use YYYY-MM-DD, YYYY-MM or YYYY (ranges: A..B)",
    "no_such_day": lambda p: f"bad date {p.get('value')!r}: no such day",
    "backwards": lambda p: f"bad range {p.get('value')!r}: it ends before it starts",
    "from_after_to": lambda p: f"--from {p.get('start')} is after --to {p.get('end')}",
    "bad_sort": lambda p: "sort is relevance or date",
    "bad_paging": lambda p: "limit must be at least 1 and offset at least 0",
    "empty_query": lambda p: "empty query: give words to search for, or a filter (unit:, section:, year:, date:)",
    "query_too_long": lambda p: f"query is {p.get('length')} characters long; the limit is {p.get('limit')}",
    "too_many_terms": lambda p: f"the query has {p.get('count')} words, phrases and filters; the limit is {p.get('limit')}",
    "too_many_phrases": lambda p: f"the query has {p.get('count')} phrases; the limit is {p.get('limit')}",
    "too_many_ranges": lambda p: f"the query has {p.get('count')} year or date filters; the limit is {p.get('limit')}",
    "value_too_long": lambda p: f"{FIELD.get(p.get('name'), p.get('name'))} is longer than {p.get('limit')} characters",
    "unknown_unit": lambda p: (f"no unit is called {p.get('unit')!r}" + (f"; did you mean {', '.join(p['suggestions'])}?"
                                                                        if p.get("suggestions") else " (see `archive units`)")),
    "bad_format": lambda p: f"no format {p.get('format')!r}: docx, xlsx, csv or md",
    "report_too_large": lambda p: f"{p.get('count')} results; a web report holds at most {p.get('limit')} "
                                  "(narrow the search, or use `archive report`)",
    "not_found": lambda p: f"no {p.get('what')} (item, issue, correction or unit)",
    "stale_form": lambda p: "this was changed since the form was loaded; nothing was saved, so no one's change is lost",
    "conflict": lambda p: f"issue {p.get('issue_id')} already exists (from another file): nothing was changed",
    "empty_text": lambda p: "an item's text cannot be empty (hide the item instead)",
    "long_text": lambda p: f"an item's text is at most {p.get('limit')} characters",
    "empty_unit": lambda p: "a unit's name cannot be empty",
    "long_unit": lambda p: f"a unit's name is at most {p.get('limit')} characters, on one line, without commas",
    "unit_present": lambda p: f"{p.get('unit')} is already a unit of this item",
    "unit_absent": lambda p: f"{p.get('unit')} is not a unit of this item",
    "split_at": lambda p: f"split at a character offset between 1 and {p.get('length')}",
    "no_next": lambda p: "this is the last item of its issue: nothing to merge it with",
    "not_hidden": lambda p: "this item is not hidden",
    "reverted": lambda p: "this correction is already reverted",
    "unchanged": lambda p: "nothing changed: every value given is what is there",
    "bad_field": lambda p: "that field cannot be changed",
    "bad_op": lambda p: "unknown change",
    "bad_kind": lambda p: "kind is one of paragraph, caption, table",
    "long_field": lambda p: f"this is one line of at most {p.get('limit')} characters",
    "empty_field": lambda p: "this cannot be empty",
    "not_number": lambda p: "this must be a whole number",
    "out_of_range": lambda p: f"this must be between {p.get('lo')} and {p.get('hi')}",
    "bad_issue_date": lambda p: "date must be YYYY-MM-DD (or YYYY-MM)",
    "bad_collection": lambda p: f"no collection {p.get('value')!r}: bulletin or other",
    "not_a_backup": lambda p: f"{p.get('path')} is not a backup of an archive",
    "backup_damaged": lambda p: f"the backup {p.get('path')} is damaged ({p.get('member') or 'its manifest'} does not"
                                " match its checksum, or is missing); nothing was restored",
    "backup_incomplete": lambda p: f"{p.get('path')} went away during the backup; make it again",
    "target_not_empty": lambda p: f"the data folder {p.get('path')} is not empty; add --force to replace what it holds",
    "page_image_pixels": lambda p: f"an image on this page has {p.get('width')}x{p.get('height')} pixels, past the limit;"
                                   " download the original PDF",
    "split_marks": lambda p: "one 【拆分】 at a time: an item is split in one place per save",
    "bad_name": lambda p: "a user name cannot be empty, begin or end with white space, hold control characters or "
                          "be longer than 64 characters; admin is the built-in editor",
    "bad_role": lambda p: "role is editor or reader",
    "bad_password": lambda p: "the password is too short or too long",
    "duplicate_user": lambda p: "a user with that name already exists",
    "unknown_user": lambda p: "no user with that name",
    "unknown_field": lambda p: f"unknown filter {p.get('field')}: (unit: section: heading: author: year: date:)",
}

REVIEWS = {
    "no_masthead": lambda r: "no masthead (year and issue number) found",
    "no_sections": lambda r: "no section titles found",
    "blank_pages": lambda r: f"pages without text: {_pages(r.pages)}",
    "unreadable_pages": lambda r: f"pages OCR could hardly read: {_pages(r.pages)}",
    "low_confidence": lambda r: f"{r.count} item(s) read by OCR with low confidence",
    "broken_paragraphs": lambda r: f"a paragraph may be broken in two (it ends mid-sentence) on page(s) {_pages(r.pages)}",
}
REVIEW_JOIN = "; "

LINES = {
    "internal": "internal error, not done (reference {ref}; the administrator finds the details by it in {log})",
    "error": "error: {text}",
    "usage": "usage: {text} (see archive --help)",
    "import.imported": "{path}: imported as {issue}",
    "import.replaced": "{path}: replaced as {issue}",
    "import.already": "{path}: already imported as {issue}",
    "import.refused": "{path}: refused: {why}",
    "import.needs_review": ": needs review: {why}",
    "import.failed_count": "{failed} of {total} file(s) not imported",
    "import.progress": "importing",
    "problem.missing_pdf": "issues without their stored PDF",
    "problem.orphan_file": "stored files no issue refers to",
    "problem.queued": "issues waiting to be indexed (a write was cut short)",
    "problem.not_indexed": "items missing from the search index",
    "problem.stale": "items the search index holds an older version of",
    "problem.not_in_records": "index documents without a record",
    "problem.line": "{label} ({count}): {ids}{more}",
    "problem.more": " … and {n} more",
    "problem.orphans": "{label} ({count}): run `archive check --repair`",
    "check.repair_hint": "run `archive check --repair` to bring the index up to the records",
    "check.ok": "ok: {issues} issues, {items} items; every issue has its PDF, the index holds every item as recorded",
    "repair.removed": "removed {path}: a stored file no issue refers to",
    "repair.rebuilt": "rebuilt the search index: {items} items",
    "repair.reindexed": "indexed {issues} issue(s) again",
    "change.line": "{what}: correction {ids} → {where}{state}",
    "change.hidden": "hidden, in {issue}",
    "change.stale": " (no longer applies)",
    "change.was": " (was {issue})",
    "history.none": "{target}: no corrections",
    "revert.done": "reverted correction {id}",
    "reparse.failed": "{issue}: not reparsed: {error}",
    "reparse.done": "{issue}: reparsed{moved}; corrections applied {applied}, no longer applying {stale}",
    "reparse.moved": " (now {issue})",
    "review.none": "nothing to review",
    "reviewed": "{issue}: reviewed",
    "units.changed": "{what}; {n} issue(s) re-tagged and re-indexed",
    "pdf.text_layer": "{path}: issue {issue}'s original PDF with an invisible text layer on its scanned pages (from the records, as corrected): searchable and copyable",
    "pdf.original": "{path}: issue {issue}'s original PDF (it has a text layer of its own: as it was imported)",
    "report.written": "{path}: {n} {what}",
    "report.none": " (the report says no results matched)",
    "report.hits": "hits",
    "report.activities": "activities",
    "coverage.none": "no issues imported",
    "coverage.year": "{year}: {issues} issue(s); numbers {present}; missing {missing}",
    "coverage.empty_years": "years with no issue: {years}",
    "coverage.undated": "issues with no year: {ids}",
    "coverage.missing_total": "missing in all: {n} issue number(s)",
    "units.table_written": "{path}: {units} units × {years} years",
    "users.added": "added {name} ({role})",
    "users.none": "no accounts (add one with `archive users add NAME --role editor`)",
    "users.removed": "removed {name}; its sessions and API tokens are revoked",
    "users.passwd": "password of {name} changed; {n} session(s) ended",
    "users.revoked": "revoked {n} API token(s) of {name}",
    "users.token_once": "(shown once: only its hash is kept)",
    "demo.importing": "Importing {n} sample issues into {data} ...",
    "demo.issue": "{id}  {publication} {label} {date}  {pages} pages, {sections} sections, {items} items",
    "demo.units": "Units named most often:",
    "demo.next": "Next: archive {data}search 党史 · archive {data}report 党史 -o 党史.docx · archive {data}coverage"
                 " · archive {data}users add NAME --role editor (to correct records on the web)",
    "reindex.progress": "indexed {n} items",
    "reindex.done": "indexed {n} items of {issues} issues in {where}",
    "search.total": "{total} hit(s)",
    "search.showing": ", showing {shown}",
    "search.title_more": "{n} more whose heading or section title matches (not their text):",
    "watch.watching": "watching {folder}: files that appear are imported into {data}, then moved to its 已导入 (imported) or 未导入 (not imported) folder (Ctrl-C stops)",
    "serve.serving": "Serving {data} on http://{host}:{port}/ (Ctrl-C stops)",
    "serve.private": "; private: reading needs a login",
    "serve.no_import": "; web import is off: add an editor (archive users add NAME --role editor) or set ARCHIVE_ADMIN_TOKEN",
    "coverage.twice": "held twice", "coverage.combined": "combined (合刊)", "coverage.special": "supplements",
    "coverage.unnumbered": "no number", "coverage.needs_review": "needs review", "coverage.break": "总第N期 (total number)",
    "units.unit": "unit", "units.total": "total",
    "users.password": "Password", "users.repeat": "Repeat the password",
    "units.added": "added {name}", "units.aliased": "{alias} is now {name}", "units.renamed": "renamed {old} to {new}",
    "units.merged": "merged {a} into {b}", "units.ignored": "ignoring {name}",
    "history.state.stale": "  [no longer applies]", "history.state.reverted": "  [reverted by {who}]",
    "review.stale_correction": "correction {id} ({op} {field}) of {item} no longer applies",
    "review.needs_review": "issue {issue} needs review: {why}",
    "review.low_confidence": "item {item} read by OCR with confidence {confidence}: {detail}",
    "review.very_short": "item {item} is very short: {detail}", "review.very_long": "item {item} is very long: {detail}",
    "review.crosses_title": "item {item} runs over a section title: {detail}",
    "review.new_unit": "unit {unit} is not in the registry ({count} items): {examples}",
    "import.other": " (not the bulletin: kept apart)",
    "history.state.purged": "  [purged]",
    "review.needs_review_other": "document {issue} needs review: {why}",
    "removal.removed": "removed {issue} {label}{by}", "removal.restored": "restored {issue} {label}",
    "removal.purged": "purged {issue} {label}", "removal.by": " by {who} at {at}",
    "removal.file_kept": " (its file is kept: in use)",
    "removal.none": "nothing removed", "removal.restored_as": "restored {issue} as {now}",
    "removal.nothing_to_purge": "nothing to purge",
    "units.not_registered": "  (not registered)",
    "backup.written": "{path}: {issues} issues, {items} items, {pdfs} stored PDFs, {mb} MB (schema {schema}, {when})",
    "backup.restored": "{target}: restored {issues} issues, {items} items from the backup of {when} (every member checked); indexed {indexed} items",
}


def coverage_break(b: dict) -> str:
    if b["kind"] == "lost_between":
        totals = f"total {b['first']}" + (f"–{b['last']}" if b["last"] > b["first"] else "")
        return f"{b['last'] - b['first'] + 1} issue(s) missing between {b['after']} and {b['before']} ({totals})"
    if b["kind"] == "total_twice":
        return f"total {b['total']} printed on {len(b['issues'])} issues ({', '.join(b['issues'])})"
    return f"{b['issue']} prints total {b['printed']}; after {b['after']} it should be {b['expected']}"


OPS = {"set": "set", "set_issue": "set the issue's", "add_unit": "add unit", "remove_unit": "remove unit", "split": "split",
       "merge": "merge with the next", "hide": "hide", "show": "show again", "revert": "revert"}
FIELDS = {"text": "text", "heading": "heading", "section": "section", "kind": "kind", "author": "author",
          "source": "source", "publication": "publication", "year": "year", "number": "number",
          "number_end": "last number", "special": "special", "date": "date", "publisher": "publisher"}
