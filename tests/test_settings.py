"""Settings are read once (archive.settings): flags parsed one way, defaults in one place, the
README's table made from them, and no other module reads the environment."""
import ast
from pathlib import Path

import pytest

from archive.settings import Settings, parse_flag, settings_table

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("raw", "default", "expected"), [
    ("1", False, True), ("true", False, True), ("YES", False, True), (" on ", False, True),
    ("0", True, False), ("false", True, False), ("No", True, False), ("off", True, False),
    ("", True, False),  # set but empty: off
    (None, True, True), (None, False, False),  # unset: the default
    ("maybe", False, False), ("maybe", True, True),  # unreadable: the default
])
def test_flags_are_parsed_one_way(raw, default, expected):
    assert parse_flag(raw, default) is expected


def test_from_env_reads_every_variable_and_keeps_defaults():
    assert Settings.from_env({}) == Settings(editor=None)
    s = Settings.from_env({"ARCHIVE_DATA": "/srv/a", "ARCHIVE_ADMIN_TOKEN": " tok ", "ARCHIVE_REQUIRE_LOGIN": "yes",
                           "ARCHIVE_COOKIE_SECURE": "1", "ARCHIVE_TRUSTED_PROXY": "10.0.0.1",
                           "ARCHIVE_MAX_UPLOAD_MB": "12.5", "ARCHIVE_IMPORT_MEMORY_MB": "800",
                           "ARCHIVE_RENDER_MEMORY_MB": "x", "ARCHIVE_EDITOR": "王编辑", "USER": "root"})
    assert s.data == Path("/srv/a") and s.admin_token == "tok" and s.require_login and s.cookie_secure
    assert s.trusted_proxy == "10.0.0.1" and s.max_upload_bytes == int(12.5 * 2**20)
    assert s.import_memory_mb == 800 and s.render_memory_mb == 1024  # unreadable → default
    assert s.editor == "王编辑" and Settings.from_env({"USER": "root"}).editor == "root"


def test_the_readme_table_is_the_settings():
    assert settings_table() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_only_settings_reads_the_environment():
    readers = []
    for path in sorted((ROOT / "src" / "archive").rglob("*.py")):
        if path.name == "settings.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") \
                    and isinstance(node.value, ast.Name) and node.value.id == "os":
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert readers == []


def test_the_session_secret_is_kept_in_the_data_folder(tmp_path):
    """A restart keeps people logged in: the key is made once, owner-only, and read again."""
    from archive.web import create_app
    apps = [create_app({"TESTING": True, "DATA_DIR": str(tmp_path)}, settings=Settings()) for _ in range(2)]
    try:
        key = apps[0].config["SECRET_KEY"]
        assert key and key == apps[1].config["SECRET_KEY"]
        assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0
        given = create_app({"TESTING": True, "DATA_DIR": str(tmp_path)}, settings=Settings(secret_key="s" * 40))
        assert given.config["SECRET_KEY"] == "s" * 40
        apps.append(given)
    finally:
        for app in apps:
            app.extensions["archive.jobs"].close(kill=True)
            app.extensions["archive.renderer"].close()
            app.extensions["archive.search"].close()
