"""Spreadsheet cells that never run: the one sanitiser every tabular writer uses (formula injection).

A spreadsheet reads a cell that begins with = + - @ (or a tab, CR or LF before one; or their
full-width forms ＝ ＋ － ＠, which some input methods turn into the half-width ones) as a formula:
`=HYPERLINK("http://x.example/a")` in a unit's name would be a live link in the units × years
table, `=cmd|' /C calc'!A0` a command on an old Excel. What the archive writes is text, always:

    csv_cell(value)          CSV (report/csv_writer.py, report/tables.py): OWASP's advice — a cell
                             that begins with one of those characters gets a leading apostrophe
                             (shown by Excel as the text itself); quoting is the csv module's
    text_cell(cell, value)   XLSX (report/xlsx_writer.py, report/tables.py): stored as a string
                             (data_type "s": never a formula, whatever it begins with) and, when it
                             begins like a formula, with Excel's quote prefix, so that editing the
                             cell keeps it text

Numbers (the table's counts) are numbers and pass as they are. DOCX and Markdown reports hold no
cells (each hit is paragraphs; nothing there is evaluated): their text is escaped as Markdown, or
written as Word runs, never as a field (tests/test_formula_injection.py feeds all four)."""
from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def formula_like(text: str) -> bool:
    """Would a spreadsheet read this text as a formula?"""
    return text.startswith(FORMULA_START)


def csv_cell(value):
    """A CSV cell: text that would start a formula gets a leading apostrophe; numbers pass."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if formula_like(text) else text


def text_cell(cell, text: str):
    """Make an openpyxl cell hold `text` as a string, never a formula (quote-prefixed when it begins
    like one); the cell, for chaining."""
    cell.value = text
    if text:
        cell.data_type = "s"
        if formula_like(text):
            cell.quotePrefix = True
    return cell
