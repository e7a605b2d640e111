"""The command line's reports: `archive report`, `archive coverage` and the units × years table
(`archive units --by-year`). Registered on the main group by cli.py; thin over archive.report and
store.coverage, as the web's download buttons are."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..messages import say
from ..report import FORMATS, suggested_filename, write_report
from ..report.meta import LAYOUTS


def _output(out: str | None, fmt: str | None, default_name) -> tuple[str, str | None]:
    """(format, path or None for stdout) from --format and -o: the format from the file's
    extension when not given (Word when neither says); without -o, a file named for what it holds
    in the current folder, never over another one."""
    if fmt is None:
        ext = Path(out).suffix.lower().lstrip(".") if out and out != "-" else ""
        if out and out != "-" and ext not in FORMATS:
            raise click.UsageError("give --format (docx, xlsx, csv or md), or -o FILE ending in one of them")
        fmt = ext or ("md" if out == "-" else "docx")
    if out == "-":
        if fmt in ("docx", "xlsx"):
            raise click.UsageError(f"a {fmt} report is a binary file: give -o FILE")
        return fmt, None
    return fmt, out or str(free_name(Path.cwd() / default_name(fmt)))


def free_name(path: Path) -> Path:
    """`path`, or `name (2).ext`, `name (3).ext`… if it is taken."""
    n = 2
    while path.exists():
        path = path.with_name(f"{path.stem.rsplit(' (', 1)[0]} ({n}){path.suffix}")
        n += 1
    return path


def search_options(command):
    """The words and filters of a search, as `archive search` and `archive report` take them."""
    for option in reversed((
            click.argument("query", nargs=-1),
            click.option("--unit", help="Only items of this unit (canonical name or any alias)."),
            click.option("--section", help="Only items whose section title contains this."),
            click.option("--year", help="Only this year (2021) or years (2016..2018)."),
            click.option("--from", "date_from", help="Only issues dated on or after (YYYY-MM-DD, YYYY-MM, YYYY)."),
            click.option("--to", "date_to", help="Only issues dated on or before (YYYY-MM-DD, YYYY-MM, YYYY)."),
            click.option("--sort", type=click.Choice(["relevance", "date"]),
                         help="Order of hits [default: relevance, or date (newest first) without words]."),
            click.option("--collection", type=click.Choice(["bulletin", "other"]),
                         help="Only the bulletin's issues, or only the other documents imported with them "
                              "[default: both; a report of activities: the bulletin's]."),
            click.option("--topic", help="Only items of this topic (专题; any of its names: archive topics)."),
            click.option("--no-synonyms", "exact", is_flag=True,
                         help="A topic's name in the words finds only itself, not its other names."))):
        command = option(command)
    return command


@click.command("report", context_settings={"ignore_unknown_options": True})
@search_options
@click.option("--activities", is_flag=True,
              help="One row per activity (the sentences of each unit; only --unit's when given), not per item.")
@click.option("--whole", is_flag=True, help="Each hit's whole item too, after the sentence(s) it matched.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="docx (Word/WPS), xlsx (Excel), csv or md.")
@click.option("--layout", type=click.Choice(LAYOUTS), default="list", show_default=True,
              help="docx, md: each hit under its own heading (list), or one table of 序号 期号 日期 单位 内容 页码.")
@click.option("-o", "--output", "out", help="File to write (- for stdout: csv, md). Default: a name from the search.")
@click.pass_obj
def report_cmd(obj, query, unit, section, year, date_from, date_to, sort, collection, topic, exact, activities,
               whole, fmt, layout, out) -> None:
    """Write a search's results (or its units' activities) as a Word, Excel, CSV or Markdown
    report: the search, filters and date range in words, each hit with its date, issue, section,
    heading, the sentence(s) it matched and their page and citation (--whole: the whole item
    after them), and the GB/T 7714 references. Words and filters as `archive search`."""
    for arg in query:
        if arg.startswith("--"):
            raise click.UsageError(f"no such option: {arg}")
    from ..report.build import ReportSpec, search_report
    from ..search.searcher import Searcher
    from ..search.spec import SearchSpec
    spec = ReportSpec(SearchSpec(" ".join(query), unit, section, year, date_from, date_to, sort, collection, topic,
                                 not exact), activities, whole=whole, layout=layout)
    with Searcher(obj.datadir, obj.records) as searcher:
        total, rows, meta = search_report(searcher, spec)
        fmt, path = _output(out, fmt, lambda f: suggested_filename(meta, f))
        n = write_report(rows, meta, fmt, path if path else sys.stdout.buffer)
    if path:
        click.echo(obj.say("report.written", path=Path(path).resolve(), n=n,
                           what=obj.say("report.activities" if activities else "report.hits"))
                   + ("" if n else obj.say("report.none")), err=True)


@click.command("pdf")
@click.argument("issue_id")
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write. Default: ISSUE_ID.pdf in the current folder (never over another file).")
@click.pass_obj
def pdf_cmd(obj, issue_id: str, out: Path | None) -> None:
    """Write an issue's PDF: a scanned issue with an invisible text layer from its records (as
    corrected) on the pages read by OCR, so that it can be searched and copied from; any other
    issue as it was imported."""
    from ..files import atomic_write
    from ..report.searchable_pdf import is_ocr_issue, searchable_pdf
    if obj.records.issue_row(issue_id) is None:
        issue_id = obj.records.now_at(issue_id, "issue") or issue_id
    data = searchable_pdf(obj.records, obj.datadir, issue_id)
    path = out or free_name(Path.cwd() / f"{issue_id}.pdf")
    atomic_write(path, data)
    click.echo(obj.say("pdf.text_layer" if is_ocr_issue(obj.records, issue_id) else "pdf.original",
                       path=Path(path).resolve(), issue=issue_id), err=True)


@click.command("coverage")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def coverage_cmd(obj, as_json: bool) -> None:
    """What the archive holds of each year and what it lacks: issue numbers present and missing,
    years without issues, breaks in 总第N期, numbers held twice, 合刊 and supplements, issues that
    still need review."""
    from ..messages import coverage_break_text
    from ..store.coverage import coverage
    cov = coverage(obj.records.coverage_rows())
    if as_json:
        click.echo(json.dumps(cov.as_dict(), ensure_ascii=False, indent=1))
        return
    if not cov.years:
        click.echo(obj.say("coverage.none"))
        return

    def nums(values) -> str:
        return ", ".join(map(str, values)) or "-"
    for y in cov.years:
        click.echo(obj.say("coverage.year", year=y.year, issues=y.issues, present=nums(y.present),
                           missing=nums(y.missing)))
        for key, ids in (("twice", y.duplicates), ("combined", y.combined), ("special", y.special),
                         ("unnumbered", y.unnumbered), ("needs_review", y.needs_review)):
            if ids:
                click.echo(f"    {obj.say('coverage.' + key)}: {nums(ids)}")
        for b in y.breaks:
            click.echo(f"    {obj.say('coverage.break')}: {coverage_break_text(b, obj.lang)}")
    if cov.empty_years:
        click.echo(obj.say("coverage.empty_years", years=nums(cov.empty_years)))
    if cov.undated:
        click.echo(obj.say("coverage.undated", ids=nums(cov.undated)))
    click.echo(obj.say("coverage.missing_total", n=cov.as_dict()["missing_total"]))


def units_by_year(records, fmt: str, out: str | None, lang: str | None = None) -> None:
    """`archive units --by-year`: the units × years table as text, JSON, XLSX or CSV."""
    from ..report.tables import units_table, write_units_table
    table = units_table(records.units_by_year())
    if fmt == "json":
        click.echo(json.dumps(table.as_dict(), ensure_ascii=False))
        return
    if fmt == "text":
        click.echo(say("units.unit", lang).ljust(24 - sum(1 for c in say("units.unit", lang) if ord(c) > 0x2E80))
                   + "".join(f"{y:>6}" for y in table.years) + "  " + say("units.total", lang))
        for unit, counts, total in table.rows:
            click.echo(unit.ljust(24 - sum(1 for c in unit if ord(c) > 0x2E80)) + "".join(f"{c:6d}" for c in counts)
                       + f"{total:7d}")
        return
    if out in (None, "-"):
        if fmt == "xlsx":
            raise click.UsageError("an xlsx table is a binary file: give -o FILE")
        write_units_table(table, fmt, sys.stdout.buffer)
        return
    n = write_units_table(table, fmt, out)
    click.echo(say("units.table_written", lang, path=out, units=n, years=len(table.years)), err=True)
