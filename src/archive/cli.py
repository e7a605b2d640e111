"""The command line: a thin layer over the core. Domain errors become one-line messages and exit codes here."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import store
from .errors import ArchiveError
from .export import export_json


class Context:
    def __init__(self, data: Path):
        self.data = data
        self._conn = None

    @property
    def conn(self):
        if self._conn is None:
            self._conn = store.connect(self.data)
        return self._conn


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default="index", envvar="ARCHIVE_DATA",
              show_default=True, help="Data folder (records, stored PDFs, index). Also ARCHIVE_DATA.")
@click.version_option(package_name="archive")
@click.pass_context
def cli(ctx: click.Context, data: Path) -> None:
    """Search and digitization of 《中铝股份党群工作》 back issues."""
    ctx.obj = Context(data)


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--replace", is_flag=True, help="Swap in a different file for an issue already imported.")
@click.option("--password", help="Password of an encrypted PDF.")
@click.option("--publication", help="Publication name, where the PDF has no masthead.")
@click.option("--year", type=int, help="Year, where the PDF has no masthead.")
@click.option("--number", type=int, help="Issue number (期), where the PDF has no masthead.")
@click.option("--date", help="Issue date (YYYY-MM-DD), where the PDF has no masthead.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Parse this many files at once, in separate processes.")
@click.pass_obj
def import_cmd(obj: Context, paths, replace, password, publication, year, number, date, jobs) -> None:
    """Import PDF files, or every PDF under the folders given."""
    from .importer import ImportOptions, import_paths, pdf_files  # pdfplumber and friends: only here
    from .units import Registry
    options = ImportOptions(replace, password, publication, year, number, date)
    files = list(pdf_files(paths))
    registry = Registry.load()
    failed = 0
    if sys.stderr.isatty():  # a progress bar by pages on a terminal; one result line per file either way
        from .pdf import count_pages
        expected = [count_pages(p) for p in files]
        with click.progressbar(length=sum(expected), label="importing", file=sys.stderr, show_pos=True) as bar:
            done = [0]

            def page_read() -> None:
                done[0] += 1
                bar.update(1)
            results = import_paths(obj.conn, obj.data, files, registry, options, jobs, page_read)
            for pages, result in zip(expected, results):
                bar.update(max(0, pages - done[0]))  # pages not read one by one: parallel, known, refused
                done[0] = 0
                failed += result.failed
                click.echo("\r\033[K" + result.line(), err=True)
    else:
        for result in import_paths(obj.conn, obj.data, files, registry, options, jobs):
            failed += result.failed
            click.echo(result.line(), err=result.failed)
    if failed:
        click.echo(f"{failed} of {len(files)} file(s) not imported", err=True)
        sys.exit(1)


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.pass_obj
def export_cmd(obj: Context, fmt: str) -> None:
    """Print every issue's records (JSON array, sorted by issue id)."""
    click.echo(export_json(obj.conn))


@cli.command("units")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def units_cmd(obj: Context, as_json: bool) -> None:
    """List units with the number of items that name them."""
    counts = store.unit_counts(obj.conn)
    if as_json:
        import json
        click.echo(json.dumps([{"unit": u, "items": n} for u, n in counts], ensure_ascii=False))
        return
    for unit, n in counts:
        click.echo(f"{n:6d}  {unit}")


@cli.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to serve on.")
@click.option("--no-serve", is_flag=True, help="Only import and summarise; do not start the web interface.")
@click.pass_context
def demo_cmd(ctx: click.Context, host: str, port: int, no_serve: bool) -> None:
    """Import the bundled sample issues, show what became of them, and serve them on the web."""
    from importlib import resources
    obj: Context = ctx.obj
    samples = resources.files("archive").joinpath("samples")
    with resources.as_file(samples) as folder:
        files = sorted(Path(folder).glob("*.pdf"))
        click.echo(f"Importing {len(files)} sample issues into {obj.data} ...")
        ctx.invoke(import_cmd, paths=files)
    from .export import export_records
    for record in export_records(obj.conn):
        items = sum(len(s["items"]) for s in record["sections"])
        click.echo(f"{record['id']}  {record['publication']} {record['year']}年第{record['number']}期"
                   f"（总第{record['total_number']}期） {record['date']}  {record['pages']} pages, "
                   f"{len(record['sections'])} sections, {items} items")
    click.echo("Units named most often:")
    for unit, n in store.unit_counts(obj.conn)[:10]:
        click.echo(f"{n:6d}  {unit}")
    if not no_serve:
        ctx.invoke(serve_cmd, host=host, port=port)


# --- search index and search (issue 4) -------------------------------------------------------
# Imports stay inside the commands: `archive search` runs once per query in scripts.

@cli.command("reindex")
@click.pass_obj
def reindex_cmd(obj: Context) -> None:
    """Rebuild the search index from the records (new folder, then an atomic swap)."""
    from . import index
    show = sys.stderr.isatty()
    n = index.rebuild(obj.conn, obj.data,
                      progress=(lambda k: click.echo(f"\rindexed {k} items", err=True, nl=False)) if show else None)
    if show:
        click.echo("", err=True)
    issues = obj.conn.execute("SELECT COUNT(*) FROM issues").fetchone()[0]
    click.echo(f"indexed {n} items of {issues} issues in {index.index_link(obj.data)}")


@cli.command("check")
@click.option("--repair", is_flag=True, help="Rebuild the index where it disagrees with the records and "
                                            "remove stored files no issue refers to.")
@click.pass_obj
def check_cmd(obj: Context, repair: bool) -> None:
    """Check that records, stored PDFs and the search index agree (exit 1 listing what is wrong)."""
    from . import index
    orphans = index.orphan_pdfs(obj.conn, obj.data)
    problems = index.check(obj.conn, obj.data)
    if repair:
        for path in orphans:
            path.unlink(missing_ok=True)
            click.echo(f"removed {path}: a stored file no issue refers to", err=True)
        if problems and not any(p.startswith("issues without their stored PDF") for p in problems):
            n = index.rebuild(obj.conn, obj.data)
            click.echo(f"rebuilt the search index: {n} items", err=True)
        orphans, problems = index.orphan_pdfs(obj.conn, obj.data), index.check(obj.conn, obj.data)
    elif orphans:
        problems.append(f"stored files no issue refers to ({len(orphans)}): run `archive check --repair`")
    if problems:
        for line in problems:
            click.echo(line)
        sys.exit(1)
    issues = obj.conn.execute("SELECT COUNT(*) FROM issues").fetchone()[0]
    items = obj.conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    click.echo(f"ok: {issues} issues, {items} items; every issue has its PDF, the index holds every item")


@cli.command("search", context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1)
@click.option("--unit", help="Only items of this unit (canonical name or any alias).")
@click.option("--section", help="Only items whose section title contains this.")
@click.option("--year", help="Only this year (2021) or years (2016..2018).")
@click.option("--from", "date_from", help="Only issues dated on or after (YYYY-MM-DD, YYYY-MM, YYYY).")
@click.option("--to", "date_to", help="Only issues dated on or before (YYYY-MM-DD, YYYY-MM, YYYY).")
@click.option("--sort", type=click.Choice(["relevance", "date"]),
              help="Order of hits [default: relevance, or date (newest first) without words].")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Hits to show.")
@click.option("--json", "as_json", is_flag=True, help='Print JSON: {"total": N, "hits": [...]}.')
@click.pass_obj
def search_cmd(obj: Context, query, unit, section, year, date_from, date_to, sort, limit, as_json) -> None:
    """Search the items: words (all must match), "phrases", OR, -exclusions, and filters
    unit: section: heading: year: date: (date:2021-04-01..2021-06-30). Words match inside longer
    words (党史 finds 党史学习教育)."""
    for arg in query:
        if arg.startswith("--"):
            raise click.UsageError(f"no such option: {arg}")
    import re

    from .search import Searcher, snippet
    with Searcher(obj.data, obj.conn) as searcher:
        result = searcher.search(" ".join(query), unit=unit, section=section, year=year, date_from=date_from,
                                 date_to=date_to, sort=sort, limit=limit)
    if as_json:
        import json
        click.echo(json.dumps(result.as_json(), ensure_ascii=False))
        return
    shown = len(result.hits)
    click.echo(f"{result.total} hit(s)" + (f", showing {shown}" if shown < result.total else ""))
    for n, (hit, spans) in enumerate(zip(result.hits, result.spans), 1):
        title = " › ".join(x for x in (hit["section"], hit["heading"]) if x) or hit["issue"]
        text = snippet(hit["text"], spans, mark=("\x00", "\x01"), escape=lambda s: s)
        text = re.sub("\x00(.*?)\x01", lambda m: click.style(m.group(1), bold=True, fg="red"), text, flags=re.S)
        click.echo(f"\n{n}. {title}  [{hit['id']}]")
        click.echo(f"   {text}")
        click.echo(f"   {hit['citation']}")


# --- web interface (issue 5) -------------------------------------------------------------------

@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True, help="Worker threads.")
@click.pass_obj
def serve_cmd(obj: Context, host: str, port: int, threads: int) -> None:
    """Serve the web interface (search, issues, page images; import for editors with
    ARCHIVE_ADMIN_TOKEN) on waitress."""
    import os

    from .webapp import serve
    store.connect(obj.data).close()  # a data folder that cannot be opened fails here, with its message
    click.echo(f"Serving {obj.data} on http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}/"
               f" (Ctrl-C stops){'' if os.environ.get('ARCHIVE_ADMIN_TOKEN') else '; web import is off: set ARCHIVE_ADMIN_TOKEN to enable it'}")
    serve(obj.data, host=host, port=port, threads=threads)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except ArchiveError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
