"""The command line: a thin layer over the core. Domain errors become one-line messages and exit codes here."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import store
from .errors import ArchiveError
from .export import export_json
from .importer import ImportOptions, import_file, pdf_files
from .units import Registry


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
@click.pass_obj
def import_cmd(obj: Context, paths, replace, password, publication, year, number, date) -> None:
    """Import PDF files, or every PDF under the folders given."""
    options = ImportOptions(replace, password, publication, year, number, date)
    files = list(pdf_files(paths))
    registry = Registry.load()
    failed = 0
    show_bar = sys.stderr.isatty() and len(files) > 1
    if show_bar:  # a progress bar on a terminal; one result line per file either way
        with click.progressbar(files, label="importing", file=sys.stderr, show_pos=True,
                               item_show_func=lambda p: p.name if p else "") as bar:
            for path in bar:
                result = import_file(obj.conn, obj.data, path, registry, options)
                failed += result.failed
                click.echo("\r\033[K" + result.line(), err=True)
    else:
        for path in files:
            result = import_file(obj.conn, obj.data, path, registry, options)
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
@click.pass_context
def demo_cmd(ctx: click.Context) -> None:
    """Import the bundled sample issues and show what became of them."""
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


def main() -> None:
    try:
        cli(standalone_mode=True)
    except ArchiveError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
