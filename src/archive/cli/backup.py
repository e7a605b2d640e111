"""`archive backup FILE` and `archive restore FILE --data DIR`: thin over service/backup.py (what the
file holds: store/backup.py; how to schedule it: docs/backup.md)."""
from __future__ import annotations

from pathlib import Path

import click

from ..messages import backup_line, restore_line


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def backup_cmd(obj, file: Path) -> None:
    """Write a backup of the data folder to FILE (a tar; .tar.gz compresses it): a consistent snapshot
    of the records, the stored PDFs, the session key and a manifest with every member's SHA-256,
    taken while the server runs and editors write."""
    from ..service.backup import backup
    manifest = backup(obj.datadir, file)
    click.echo(backup_line(file, manifest, obj.lang))


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data", "target", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The data folder to restore into. Default: the one --data or ARCHIVE_DATA names.")
@click.option("--force", is_flag=True, help="Replace what a non-empty data folder holds.")
@click.pass_obj
def restore_cmd(obj, file: Path, target: Path | None, force: bool) -> None:
    """Restore a backup made by `archive backup` into an empty data folder: every member is checked
    against the manifest's SHA-256 before anything is put in place; then the search index is built."""
    from ..service.backup import restore
    target = target if target is not None else obj.data
    manifest, indexed = restore(file, target, force)
    click.echo(restore_line(target, manifest, indexed, obj.lang))
