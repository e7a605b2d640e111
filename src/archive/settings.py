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
    trusted_proxy_count: int = 1
    max_upload_mb: float = 100.0
    import_memory_mb: int = 1536
    render_memory_mb: int = 1024
    editor: str | None = None
    lang: str = "zh"
    pdf_reader: str = "pdfium"

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
            trusted_proxy_count=max(1, int(parse_number(get("ARCHIVE_TRUSTED_PROXY_COUNT"), d.trusted_proxy_count))),
            max_upload_mb=parse_number(get("ARCHIVE_MAX_UPLOAD_MB"), d.max_upload_mb),
            import_memory_mb=int(parse_number(get("ARCHIVE_IMPORT_MEMORY_MB"), d.import_memory_mb)),
            render_memory_mb=int(parse_number(get("ARCHIVE_RENDER_MEMORY_MB"), d.render_memory_mb)),
            editor=(get("ARCHIVE_EDITOR") or get("USER") or "").strip() or None,
            lang="en" if (get("ARCHIVE_LANG") or "").strip().lower().startswith("en") else d.lang,
            pdf_reader="pdfplumber" if (get("ARCHIVE_PDF_READER") or "").strip().lower() == "pdfplumber"
            else d.pdf_reader,
        )

    def but(self, **changes) -> "Settings":
        return replace(self, **changes)

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 2**20)


# (field, variable, what it does, 说明) — the README's table and 部署说明's, in this order
DOCS = (
    ("data", "ARCHIVE_DATA", "the data folder (records, stored PDFs, index); `--data` wins",
     "数据目录（记录、原始 PDF、索引）；命令行的 `--data` 优先"),
    ("admin_token", "ARCHIVE_ADMIN_TOKEN", "a token that acts as the built-in editor `admin` (web import, editing)",
     "编辑令牌：持有者即内置编辑 `admin`（网页导入、校对）"),
    ("secret_key", "ARCHIVE_SECRET_KEY", "signs the session cookie; unset: made once and kept in the data folder",
     "签署登录会话；不设则自动生成一次并保存在数据目录中（重启后仍保持登录）"),
    ("require_login", "ARCHIVE_REQUIRE_LOGIN", "1: reading needs a login too (`serve --private`)",
     "设为 1 则阅读也需登录（即 `serve --private`）"),
    ("cookie_secure", "ARCHIVE_COOKIE_SECURE", "1: the session cookie is Secure even over http (else only over https)",
     "设为 1 则会话 Cookie 总带 Secure（否则只在 https 下）"),
    ("trusted_proxy", "ARCHIVE_TRUSTED_PROXY", "the reverse proxy's address (or several, comma-separated): only its "
     "X-Forwarded-For/-Proto/-Host are believed (`deploy/nginx.conf`)",
     "反向代理（nginx）的地址（多个用逗号隔开）：只采信它发来的 X-Forwarded-For/-Proto/-Host（见 `deploy/nginx.conf`）"),
    ("trusted_proxy_count", "ARCHIVE_TRUSTED_PROXY_COUNT", "how many proxies in a row stand before the app",
     "应用前面串联了几层代理"),
    ("max_upload_mb", "ARCHIVE_MAX_UPLOAD_MB", "the largest web upload, in MB",
     "网页单次上传的上限（MB）"),
    ("import_memory_mb", "ARCHIVE_IMPORT_MEMORY_MB", "address-space cap of the web import worker, in MB (0: none)",
     "网页导入进程的内存上限（MB，0 为不限）"),
    ("render_memory_mb", "ARCHIVE_RENDER_MEMORY_MB", "address-space cap of each page-image renderer, in MB (0: none)",
     "每个页面图像生成进程的内存上限（MB，0 为不限）"),
    ("editor", "ARCHIVE_EDITOR", "who the command line's corrections are recorded as (else `$USER`); `--who` wins",
     "命令行校对记在谁的名下（不设则用 `$USER`）；`--who` 优先"),
    ("lang", "ARCHIVE_LANG", "the command line's language: zh (Chinese) or en (English); `--lang` wins",
     "命令行的语言：zh（中文，默认）或 en（英文）；`--lang` 优先"),
    ("pdf_reader", "ARCHIVE_PDF_READER", "what imports (`archive import`, the web's import worker) read a PDF's text layer with: pdfium (fast), or "
     "pdfplumber (pdfminer: the reference it is checked against, for comparing and debugging)",
     "导入（`archive import` 和网页导入）用什么读取 PDF 的文字层：pdfium（快），或 pdfplumber（pdfminer：核对所依据的参照，供比较和排查）"),
)


def settings_table(lang: str = "en") -> str:
    """The settings as a Markdown table (variable, default, what it does), in English or Chinese."""
    default = Settings()
    head = ("| variable | default | what it does |" if lang == "en" else "| 环境变量 | 默认值 | 作用 |")
    rows = [head, "|---|---|---|"]
    for name, var, doc_en, doc_zh in DOCS:
        value = getattr(default, name)
        shown = "—" if value is None else ("0" if value is False else str(value).removesuffix(".0"))
        rows.append(f"| `{var}` | {shown} | {doc_en if lang == 'en' else doc_zh} |")
    return "\n".join(rows)


assert [d[0] for d in DOCS] == [f.name for f in fields(Settings)], "every setting is documented, in order"
