"""Backups (issue 21, "Backups"): `archive backup FILE` writes one tar holding a consistent snapshot
(SQLite's online backup API, the stored PDFs, the session key, a manifest with every member's
SHA-256) while imports and corrections go on; `archive restore FILE --data DIR` checks every member
first, refuses a non-empty folder without --force, and leaves a folder that is indexed and clean."""
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import threading
import time

import pytest

from archive.store import DataDir
from conftest import FIXTURES

NEW_ISSUES = [FIXTURES / "producers" / "chromium" / "2024-001.pdf", FIXTURES / "producers" / "libreoffice" / "2023-001.pdf"]
MARK = "备份标记"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "archive.cli.main", *map(str, args)], capture_output=True, text=True)


def export(data) -> list:
    return json.loads(cli("--data", data, "export").stdout)


def test_backup_and_restore_give_the_same_archive(samples_copy, tmp_path):
    DataDir(samples_copy).secret_key()
    out = tmp_path / "archive-backup.tar"
    r = cli("--data", samples_copy, "backup", out)
    assert r.returncode == 0 and "4 issues" in r.stdout, r.stderr
    assert oct(out.stat().st_mode & 0o777) == "0o600"  # it holds password hashes and the session key
    with tarfile.open(out) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert names[0] == "manifest.json" and "archive.sqlite3" in names and "secret.key" in names
    assert len([n for n in names if n.startswith("pdfs/")]) == 4 and not [n for n in names if "whoosh" in n]
    assert {f["name"] for f in manifest["files"]} == set(names[1:])
    restored = tmp_path / "restored"
    r = cli("restore", out, "--data", restored)
    assert r.returncode == 0 and "indexed 51 items" in r.stdout, r.stderr
    assert cli("--data", restored, "check").returncode == 0
    assert export(restored) == export(samples_copy)
    assert (restored / "secret.key").read_text() == (samples_copy / "secret.key").read_text()
    assert oct(restored.stat().st_mode & 0o777) == "0o700"
    hits = json.loads(cli("--data", restored, "search", "党史", "--json").stdout)
    assert hits["total"] > 0


def test_a_gzip_backup(samples_copy, tmp_path):
    out = tmp_path / "b.tar.gz"
    assert cli("--data", samples_copy, "backup", out).returncode == 0
    with open(out, "rb") as fh:
        assert fh.read(2) == b"\x1f\x8b"
    assert cli("restore", out, "--data", tmp_path / "r").returncode == 0


def tampered(src, dest, change):
    """A copy of the tar `src` with `change(name, data) -> data | None` applied to each member (None: left out)."""
    with tarfile.open(src) as tar, tarfile.open(dest, "w") as out:
        for info in tar.getmembers():
            data = change(info.name, tar.extractfile(info).read())
            if data is None:
                continue
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


@pytest.fixture(scope="module")
def made(samples_data, tmp_path_factory):
    """A backup of the samples, made once for the module (the tests only read it)."""
    here = tmp_path_factory.mktemp("backup")
    shutil.copytree(samples_data, here / "data", symlinks=True)  # a backup may leave its lock: not in the shared one
    out = here / "b.tar"
    assert cli("--data", here / "data", "backup", out).returncode == 0
    return out


def flip(name, data, which):
    if which(name):
        data = bytearray(data)
        data[len(data) // 2] ^= 0x01
    return bytes(data)


@pytest.mark.parametrize("change,why", [
    (lambda n, d: flip(n, d, lambda n: n.startswith("pdfs/")), "differs"),
    (lambda n, d: flip(n, d, lambda n: n == "archive.sqlite3"), "differs"),
    (lambda n, d: None if n.startswith("pdfs/") else d, "missing"),
    (lambda n, d: d[: len(d) // 2] if n == "archive.sqlite3" else d, "differs"),
    (lambda n, d: d.replace(b'"format": 1', b'"format": 9') if n == "manifest.json" else d, "manifest"),
])
def test_a_damaged_backup_restores_nothing(made, tmp_path, change, why):
    bad = tmp_path / "bad.tar"
    tampered(made, bad, change)
    target = tmp_path / "target"
    r = cli("restore", bad, "--data", target)
    assert r.returncode == 1 and why in r.stderr, r.stderr
    assert not target.exists() and not [p for p in tmp_path.iterdir() if "restore-" in p.name]


def test_a_member_outside_the_folder_is_refused(made, tmp_path):
    bad = tmp_path / "evil.tar"
    with tarfile.open(made) as tar, tarfile.open(bad, "w") as out:
        for info in tar.getmembers():
            out.addfile(info, tar.extractfile(info))
        evil = tarfile.TarInfo("../evil.txt")
        evil.size = 4
        out.addfile(evil, io.BytesIO(b"evil"))
    r = cli("restore", bad, "--data", tmp_path / "t")
    assert r.returncode == 1 and "does not list" in r.stderr
    assert not (tmp_path / "evil.txt").exists()
    assert cli("restore", __file__, "--data", tmp_path / "u").returncode == 1  # not a backup at all


def test_a_folder_that_is_not_empty_is_replaced_only_with_force(made, samples_copy, tmp_path):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "something.txt").write_text("mine")
    r = cli("restore", made, "--data", target)
    assert r.returncode == 2 and "--force" in r.stderr and (target / "something.txt").exists()
    assert cli("restore", made, "--data", target, "--force").returncode == 0
    assert not (target / "something.txt").exists() and cli("--data", target, "check").returncode == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("restore", made, "--data", empty).returncode == 0


def test_a_backup_during_corrections_and_an_import_holds_every_correction_committed_before_it(samples_copy, tmp_path):
    """Editors correct (a thread) and an import runs (another) while `archive backup` runs in its own
    process; the restored folder is clean, and every correction acknowledged before the backup
    started is in it (or a later one of the same item)."""
    from archive.service.correcting import Editor
    from archive.service.importing import Importer
    data = DataDir(samples_copy)
    with data.records() as records:
        items = [i for i, _ in records.item_versions().items()][:20]
    acknowledged, stop, errors = [], threading.Event(), []

    def correct():
        try:
            with data.records() as records:
                ed = Editor(records, data)
                n = 0
                while not stop.is_set():
                    item = items[n % len(items)]
                    base = re.sub(f" {MARK}\\d+$", "", records.item(item)["text"])
                    ed.correct_item(item, "set", f"{base} {MARK}{n}", fld="text", who="备份测试")
                    acknowledged.append((item, n))  # the call returned: committed
                    n += 1
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def import_new():
        try:
            with data.records() as records:
                for f in NEW_ISSUES:
                    assert [r.status for r in Importer(records, data).import_file(f)] == ["imported"]
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
    writers = [threading.Thread(target=correct), threading.Thread(target=import_new)]
    for t in writers:
        t.start()
    while len(acknowledged) < 5 and not errors:
        time.sleep(0.05)
    before = list(acknowledged)  # acknowledged before the backup began
    out = tmp_path / "during.tar"
    taken = cli("--data", samples_copy, "backup", out)
    while len(acknowledged) < len(before) + 3 and not errors:
        time.sleep(0.05)
    stop.set()
    for t in writers:
        t.join()
    assert not errors, errors
    assert taken.returncode == 0, taken.stderr
    assert len(acknowledged) > len(before)  # the editors were still at work while the backup was taken

    restored = tmp_path / "restored"
    r = cli("restore", out, "--data", restored)
    assert r.returncode == 0, r.stderr
    check = cli("--data", restored, "check")
    assert check.returncode == 0, check.stdout
    latest, found = {}, {}
    for item, n in before:
        latest[item] = n
    with DataDir(restored).records() as records:
        for item, n in latest.items():
            m = re.search(f"{MARK}(\\d+)$", records.item(item)["text"])
            assert m and int(m.group(1)) >= n, (item, n, m and m.group(0))
            found[item] = m.group(0)
    item = before[-1][0]  # and searchable as restored
    hits = json.loads(cli("--data", restored, "search", f'"{found[item]}"', "--json").stdout)
    assert item in [h["id"] for h in hits["hits"]], (found[item], hits["total"])
