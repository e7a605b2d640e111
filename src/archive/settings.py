"""Settings, read once: every environment variable the program heeds, its default and what it does.

`Settings.from_env()` is called at the edges (the CLI's context, `create_app`) and the values are
passed down; nothing else reads the environment. The README's settings table is `settings_table()`
(tests/test_settings.py checks they agree)."""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Mapping

TRUE = ("1", "true", "yes", "on")
FALSE = ("", "0", "false", "no", "off")


def parse_flag(raw: str | None, default: bool = False) -> bool:
    """1/true/yes/on → True, 0/false/no/off/empty → False (any case); anything else the default."""
    value = (raw or "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False if raw is not None else default
    return default


def parse_number(raw: str | None, default: float) -> float:
    """A non-negative number, or the default when unset or unreadable."""
    try:
        return max(0.0, float((raw or "").strip() or default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    """What the environment may set. Field metadata: the variable's name and what it does."""
    data: Path = Path("index")
    admin_token: str | None = None
    secret_key: str | None = None
    require_login: bool = False
    cookie_secure: bool = False
    trusted_proxy: str | None = None
    max_upload_mb: float = 100.0
    import_memory_mb: int = 1536
    render_memory_mb: int = 1024
    editor: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        d = cls()
        get = env.get
        return cls(
            data=Path(get("ARCHIVE_DATA") or d.data),
            admin_token=(get("ARCHIVE_ADMIN_TOKEN") or "").strip() or None,
            secret_key=get("ARCHIVE_SECRET_KEY") or None,
            require_login=parse_flag(get("ARCHIVE_REQUIRE_LOGIN")),
            cookie_secure=parse_flag(get("ARCHIVE_COOKIE_SECURE")),
            trusted_proxy=(get("ARCHIVE_TRUSTED_PROXY") or "").strip() or None,
            max_upload_mb=parse_number(get("ARCHIVE_MAX_UPLOAD_MB"), d.max_upload_mb),
            import_memory_mb=int(parse_number(get("ARCHIVE_IMPORT_MEMORY_MB"), d.import_memory_mb)),
            render_memory_mb=int(parse_number(get("ARCHIVE_RENDER_MEMORY_MB"), d.render_memory_mb)),
            editor=(get("ARCHIVE_EDITOR") or get("USER") or "").strip() or None,
        )

    def but(self, **changes) -> "Settings":
        return replace(self, **changes)

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 2**20)


# (field, variable, what it does) — the README's table, in this order
DOCS = (
    ("data", "ARCHIVE_DATA", "the data folder (records, stored PDFs, index); `--data` wins"),
    ("admin_token", "ARCHIVE_ADMIN_TOKEN", "a token that acts as the built-in editor `admin` (web import, editing)"),
    ("secret_key", "ARCHIVE_SECRET_KEY", "signs the session cookie; unset: made once and kept in the data folder"),
    ("require_login", "ARCHIVE_REQUIRE_LOGIN", "1: reading needs a login too (`serve --private`)"),
    ("cookie_secure", "ARCHIVE_COOKIE_SECURE", "1: the session cookie is Secure even over http (else only over https)"),
    ("trusted_proxy", "ARCHIVE_TRUSTED_PROXY", "the reverse proxy's address: only its X-Forwarded-* headers are believed"),
    ("max_upload_mb", "ARCHIVE_MAX_UPLOAD_MB", "the largest web upload, in MB"),
    ("import_memory_mb", "ARCHIVE_IMPORT_MEMORY_MB", "address-space cap of the web import worker, in MB (0: none)"),
    ("render_memory_mb", "ARCHIVE_RENDER_MEMORY_MB", "address-space cap of each page-image renderer, in MB (0: none)"),
    ("editor", "ARCHIVE_EDITOR", "who the command line's corrections are recorded as (else `$USER`); `--who` wins"),
)


def settings_table() -> str:
    """The settings as a Markdown table (variable, default, what it does)."""
    default = Settings()
    rows = ["| variable | default | what it does |", "|---|---|---|"]
    for name, var, doc in DOCS:
        value = getattr(default, name)
        shown = "—" if value is None else ("0" if value is False else str(value).removesuffix(".0"))
        rows.append(f"| `{var}` | {shown} | {doc} |")
    return "\n".join(rows)


assert [n for n, _, _ in DOCS] == [f.name for f in fields(Settings)], "every setting is documented, in order"
