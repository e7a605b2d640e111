"""The command line: a thin layer over the core. Domain errors become one-line messages and exit
codes here, and nowhere else; logging is set up here once (-v/--verbose), library code only logs."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .base import ArchiveGroup, Context, setup_logging
from .backup import backup_cmd, restore_cmd
from .reports import coverage_cmd, pdf_cmd, report_cmd, search_options
from .users import users_cmd
from ..messages import LANGS, problem_line, repair_lines, result_line
from ..service import logs
from ..settings import Settings


@click.group(cls=ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Data folder (records, stored PDFs, index). Default: ARCHIVE_DATA, else ./index.")
@click.option("-v", "--verbose", is_flag=True, help="Say more about what is being done.")
@click.option("--lang", type=click.Choice(LANGS), default=None,
              help="Language of what is printed: zh (中文, the default) or en. Also ARCHIVE_LANG.")
@click.version_option(package_name="archive")
@click.pass_context
def cli(ctx: click.Context, data: Path, verbose: bool, lang: str | None) -> None:
    """Search and digitization of 《中铝股份党群工作》 back issues."""
    setup_logging(verbose)
    settings = Settings.from_env()
    settings = settings.but(**{k: v for k, v in (("data", data), ("lang", lang)) if v is not None})
    ctx.obj = Context(settings)
    logs.attach(ctx.obj.datadir) if ctx.obj.datadir.root.is_dir() else None


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--replace", is_flag=True, help="Swap in a different file for an issue already imported.")
@click.option("--password", help="Password of an encrypted PDF.")
@click.option("--publication", help="Publication name, where the PDF has no masthead.")
@click.option("--year", type=int, help="Year, where the PDF has no masthead.")
@click.option("--number", type=int, help="Issue number (期), where the PDF has no masthead.")
@click.option("--date", help="Issue date (YYYY-MM-DD), where the PDF has no masthead.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Parse this many files at once, in separate processes (one file: OCR its scanned pages in "
                   "so many) [default: the machine's cores].")
@click.pass_obj
def import_cmd(obj: Context, paths, replace, password, publication, year, number, date, jobs) -> None:
    """Import PDF files, or every PDF under the folders given."""
    from ..service.bounds import usable_cores
    from ..service.importing import Importer, ImportOptions, pdf_files  # pdfplumber and friends: only here
    options = ImportOptions(replace, password, publication, year, number, date, reader=obj.settings.pdf_reader)
    jobs = jobs or usable_cores()
    files = list(pdf_files(paths))
    importer = Importer(obj.records, obj.datadir, options)
    failed: set[str] = set()  # files with a refusal (a volume gives a result line for each of its issues)
    if sys.stderr.isatty():  # a progress bar by pages on a terminal; one result line per issue either way
        from ..ingest.pdf import count_pages
        expected = [count_pages(p) for p in files]
        with click.progressbar(length=sum(expected), label=obj.say("import.progress"), file=sys.stderr,
                               show_pos=True) as bar:
            done = [0]

            def page_read(_method: str) -> None:
                done[0] += 1
                bar.update(1)
            importer.on_page = page_read
            pages = iter(expected)
            for result in importer.import_paths(files, jobs):
                if result.ends_file:  # pages not read one by one: parallel, known, refused
                    bar.update(max(0, next(pages, 0) - done[0]))
                    done[0] = 0
                if result.failed:
                    failed.add(result.path)
                click.echo("\r\033[K" + result_line(result, obj.lang), err=True)
    else:
        for result in importer.import_paths(files, jobs):
            if result.failed:
                failed.add(result.path)
            click.echo(result_line(result, obj.lang), err=result.failed)
    if failed:
        click.echo(obj.say("import.failed_count", failed=len(failed), total=len(files)), err=True)
        sys.exit(1)


@cli.command("watch")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--once", is_flag=True, help="Import what is in the folder now, then stop.")
@click.option("--poll", is_flag=True, help="Look at the folder every second instead of being told by the "
                                           "system (network shares; done anyway where inotify is unavailable).")
@click.option("--settle", type=click.FloatRange(0), default=None,
              help="Seconds a file's size and time must stand still before it is taken as complete [default: 5].")
@click.pass_obj
def watch_cmd(obj: Context, folder: Path, once: bool, poll: bool, settle: float | None) -> None:
    """Import every PDF or Word/WPS file that appears in FOLDER, once it is complete, each bounded
    as a web import; then move it to FOLDER/已导入/ or FOLDER/未导入/ with a .txt saying what became
    of it. Files already there when it starts are imported first; a file imported before (the same
    bytes) changes nothing."""
    import threading

    from ..service.inbox import SETTLE_S, Inbox
    obj.records  # the data folder opened (made) here: a bad one fails now, not in the worker
    inbox = Inbox(folder, obj.datadir, memory_mb=obj.settings.import_memory_mb or None,
                  settle_s=SETTLE_S if settle is None else settle, poll=poll,
                  on_result=lambda r: click.echo(result_line(r, obj.lang), err=r.failed))
    if once:
        if any(r.failed for r in inbox.once()):
            sys.exit(1)
        return
    click.echo(obj.say("watch.watching", folder=folder.resolve(), data=obj.data), err=True)
    stop = threading.Event()
    try:
        inbox.run(stop)
    except KeyboardInterrupt:
        stop.set()


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("--original", is_flag=True, help="The parser's records, before editors' corrections.")
@click.pass_obj
def export_cmd(obj: Context, fmt: str, original: bool) -> None:
    """Print every issue's records (JSON array, sorted by issue id), as corrected."""
    from ..store.export import export_json, export_original_json
    if original:
        from ..store.site_units import site_registry
        click.echo(export_original_json(obj.records, site_registry(obj.records)))
        return
    click.echo(export_json(obj.records))


@cli.group("units", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--by-year", is_flag=True, help="Each unit's activities per year (a units × years table).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "xlsx", "csv"]),
              help="With --by-year: text (default), json, xlsx or csv.")
@click.option("-o", "--output", "out", help="With --by-year: the file to write (xlsx, csv).")
@click.option("--all", "show_all", is_flag=True,
              help="Also the names the parser found that the registry lacks (suggestions: see `archive review`).")
@click.pass_context
def units_cmd(ctx: click.Context, as_json: bool, by_year: bool, fmt: str | None, out: str | None,
              show_all: bool) -> None:
    """List the registered units with the number of the bulletin's items that name them (--by-year:
    their activities per year); add, alias, rename, merge or ignore units in this data folder's registry."""
    if ctx.invoked_subcommand is not None:
        return
    obj: Context = ctx.obj
    if by_year:
        from .reports import units_by_year
        if fmt is None and out:
            fmt = Path(out).suffix.lower().lstrip(".")
            if fmt not in ("xlsx", "csv"):
                raise click.UsageError("give --format xlsx or csv, or -o FILE ending in .xlsx or .csv")
        units_by_year(obj.records, fmt or ("json" if as_json else "text"), out, obj.lang)
        return
    if fmt or out:
        raise click.UsageError("--format and -o go with --by-year")
    from ..store.site_units import site_registry
    registry = site_registry(obj.records)
    counts = [(u, n) for u, n in obj.records.unit_counts() if show_all or registry.registered(u)]
    if as_json:
        import json
        click.echo(json.dumps([{"unit": u, "items": n, **({} if registry.registered(u) else {"registered": False})}
                               for u, n in counts], ensure_ascii=False))
        return
    for unit, n in counts:
        click.echo(f"{n:6d}  {unit}" + ("" if registry.registered(unit) else obj.say("units.not_registered")))


@cli.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to serve on.")
@click.option("--no-serve", is_flag=True, help="Only import and summarise; do not start the web interface.")
@click.pass_context
def demo_cmd(ctx: click.Context, host: str, port: int, no_serve: bool) -> None:
    """Import the bundled sample issues, show what became of them, and serve them on the web."""
    from importlib import resources

    from ..store.citation import issue_label
    from ..store.export import export_records
    obj: Context = ctx.obj
    samples = resources.files("archive").joinpath("samples")
    with resources.as_file(samples) as folder:
        files = sorted(Path(folder).glob("*.pdf"))
        click.echo(obj.say("demo.importing", n=len(files), data=obj.data))
        ctx.invoke(import_cmd, paths=files)
    for record in export_records(obj.records):
        items = sum(len(s["items"]) for s in record["sections"])
        label = issue_label(record["year"], record["number"], record["number_end"], record["special"],
                            record["total_number"])
        click.echo(obj.say("demo.issue", id=record["id"], publication=record["publication"] or "", label=label,
                           date=record["date"] or "", pages=record["pages"], sections=len(record["sections"]),
                           items=items))
    click.echo(obj.say("demo.units"))
    for unit, n in obj.records.unit_counts()[:10]:
        click.echo(f"{n:6d}  {unit}")
    data = f"--data {obj.data} " if obj.data != Path("index") else ""
    click.echo(obj.say("demo.next", data=data))
    if not no_serve:
        ctx.invoke(serve_cmd, host=host, port=port)


# Search commands import their modules inside: `archive search` runs once per query in scripts.

@cli.command("reindex")
@click.pass_obj
def reindex_cmd(obj: Context) -> None:
    """Rebuild the search index from the records (new folder, then an atomic swap)."""
    from ..search import index
    show = sys.stderr.isatty()
    n = index.rebuild(obj.records, obj.datadir,
                      progress=(lambda k: click.echo("\r" + obj.say("reindex.progress", n=k), err=True, nl=False))
                      if show else None)
    if show:
        click.echo("", err=True)
    click.echo(obj.say("reindex.done", n=n, issues=obj.records.counts()[0], where=obj.datadir.index_link))


@cli.command("check")
@click.option("--repair", is_flag=True, help="Rebuild the index where it disagrees with the records and "
                                            "remove stored files no issue refers to.")
@click.pass_obj
def check_cmd(obj: Context, repair: bool) -> None:
    """Check that records, stored PDFs and the search index agree (exit 1 listing what is wrong)."""
    from ..service import checking as maintenance
    problems = maintenance.check(obj.records, obj.datadir)
    if repair and problems:
        done = maintenance.repair(obj.records, obj.datadir, problems)
        for line in repair_lines(done, obj.lang):
            click.echo(line, err=True)
        problems = maintenance.check(obj.records, obj.datadir)
    if problems:
        for problem in problems:
            click.echo(problem_line(problem, obj.lang))
        if any(p.about_index for p in problems):
            click.echo(obj.say("check.repair_hint"))
        sys.exit(1)
    issues, items = obj.records.counts()
    click.echo(obj.say("check.ok", issues=issues, items=items))


@cli.command("search", context_settings={"ignore_unknown_options": True})
@search_options
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Hits to show.")
@click.option("--json", "as_json", is_flag=True, help='Print JSON: {"total": N, "hits": [...]}.')
@click.pass_obj
def search_cmd(obj: Context, query, unit, section, year, date_from, date_to, sort, collection, topic, exact, limit,
               as_json) -> None:
    """Search the items: words (all must match), "phrases", OR, -exclusions, and filters
    unit: section: heading: author: year: date: (date:2021-04-01..2021-06-30). Words match inside
    longer words (党史 finds 党史学习教育); a unit's name also finds the items naming that unit; items
    matching only through their heading or section title are listed after the others."""
    for arg in query:
        if arg.startswith("--"):
            raise click.UsageError(f"no such option: {arg}")
    import html
    import re

    from ..search.searcher import Searcher
    from ..search.spec import SearchSpec
    with Searcher(obj.datadir, obj.records) as searcher:
        spec = SearchSpec(" ".join(query), unit, section, year, date_from, date_to, sort, collection, topic, not exact)
        result = searcher.search(spec, limit=limit)
    if as_json:
        import json
        click.echo(json.dumps(result.as_json(), ensure_ascii=False))
        return
    shown = len(result.hits)
    click.echo(obj.say("search.total", total=result.total) + (obj.say("search.showing", shown=shown)
                                                             if shown < result.total else "")
               + (obj.say("search.synonyms", names="、".join(result.synonyms)) if result.synonyms else ""))

    def marked(snippet_html: str) -> str:
        """A hit's snippet (its matched sentences, marks in <mark>) for a terminal."""
        text = re.sub("<mark>(.*?)</mark>", lambda m: click.style(m.group(1), bold=True, fg="red"), snippet_html,
                      flags=re.S)
        return html.unescape(text)

    def titled(text: str | None) -> str:
        from ..search.highlight import match_spans, snippet
        return marked(snippet(text or "", match_spans(text or "", result.terms), window=10**9))
    for n, hit in enumerate(result.hits, 1):
        title = " › ".join(x for x in (hit["section"], hit["heading"]) if x) or hit["issue"]
        click.echo(f"\n{n}. {title}  [{hit['id']}]")
        click.echo(f"   {marked(hit['snippet'])}")
        click.echo(f"   {hit['citation']}")
    if result.title_total:
        click.echo("\n" + obj.say("search.title_more", n=result.title_total))
        for n, hit in enumerate(result.title_hits, shown + 1):
            title = " › ".join(titled(x) for x in (hit["section"], hit["heading"]) if x)
            click.echo(f"\n{n}. {title}  [{hit['id']}]")
            click.echo(f"   {hit['citation']}")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True, help="Worker threads.")
@click.option("--private", is_flag=True, help="Reading needs a login too (also ARCHIVE_REQUIRE_LOGIN=1).")
@click.option("--inbox", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Also import what appears in this folder, as `archive watch` does.")
@click.option("--poll", is_flag=True, help="With --inbox: look at the folder every second (network shares).")
@click.pass_obj
def serve_cmd(obj: Context, host: str, port: int, threads: int, private: bool = False, inbox: Path | None = None,
              poll: bool = False) -> None:
    """Serve the web interface (search, issues, page images; import for editors: accounts made with
    `archive users add`, or ARCHIVE_ADMIN_TOKEN) on waitress."""
    from ..search import index
    from ..web import serve
    index.ensure_current(obj.records, obj.datadir)  # also: a data folder that cannot be opened fails here
    settings = obj.settings.but(data=obj.data, require_login=obj.settings.require_login or private)
    editors = settings.admin_token or obj.records.accounts.has_editors()
    click.echo(obj.say("serve.serving", data=obj.data, host="127.0.0.1" if host in ("0.0.0.0", "") else host, port=port)
               + (obj.say("serve.private") if settings.require_login else "")
               + ("" if editors else obj.say("serve.no_import")))
    if inbox is not None:
        click.echo(obj.say("watch.watching", folder=inbox.resolve(), data=obj.data), err=True)
    serve(settings, host=host, port=port, threads=threads, inbox=inbox, poll=poll)


cli.add_command(report_cmd)
cli.add_command(coverage_cmd)
cli.add_command(pdf_cmd)
cli.add_command(users_cmd)
cli.add_command(backup_cmd)
cli.add_command(restore_cmd)

from .chronicle import COMMANDS as CHRONICLE_COMMANDS  # noqa: E402  (chronicle, topics, people)

for _command in CHRONICLE_COMMANDS:
    cli.add_command(_command)

from .edit import COMMANDS as EDIT_COMMANDS, UNIT_COMMANDS  # noqa: E402

for _command in EDIT_COMMANDS:
    cli.add_command(_command)
for _command in UNIT_COMMANDS:
    units_cmd.add_command(_command)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
