"""The command line's machinery: the context every command gets (settings read once, the data
folder's records, the language), the group that turns the core's errors into one line in the
user's language and its exit code, and logging (stderr, and the data folder's log)."""
from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import click

from ..errors import ArchiveError
from ..messages import error_text, say
from ..service import logs
from ..settings import Settings
from ..store import DataDir


class Context:
    """What every command is given: the settings (read once) and the data folder's records."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.datadir = DataDir(settings.data)
        self._records = None

    @property
    def lang(self) -> str:
        return self.settings.lang

    def say(self, key: str, **params) -> str:
        return say(key, self.lang, **params)

    @property
    def data(self) -> Path:
        return self.datadir.root

    @property
    def records(self):
        if self._records is None:
            self._records = self.datadir.records()
        return self._records


class ArchiveGroup(click.Group):
    """Turns the core's ArchiveError into `错误：…` (or `error: …`) on stderr and the error's exit
    code, a usage error into the user's language, and an unexpected failure into a line with a
    reference that the data folder's log holds with its traceback."""

    def main(self, *args, **kwargs):
        if not kwargs.pop("standalone_mode", True):
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
            sys.exit(rv if isinstance(rv, int) else 0)  # click hands back an Exit's code without standalone_mode
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.Abort:
            sys.exit(1)
        except click.UsageError as exc:
            lang = _lang_of(exc.ctx)
            click.echo(say("usage", lang, text=usage_text(exc, lang)), err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(say("error", _lang_of(None), text=exc.format_message()), err=True)
            sys.exit(exc.exit_code)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ArchiveError as exc:
            click.echo(say("error", _lang_of(ctx), text=error_text(exc, _lang_of(ctx))), err=True)
            ctx.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug: its traceback in the log, a reference on the screen
            obj = ctx.find_object(Context)
            log = logs.attach(obj.datadir) if obj is not None else None
            ref = logs.internal(exc, " ".join(sys.argv[1:])[:200])
            click.echo(say("internal", _lang_of(ctx), ref=ref, log=log or "stderr"), err=True)
            ctx.exit(1)


def _lang_of(ctx: click.Context | None) -> str:
    obj = ctx.find_object(Context) if ctx is not None else None
    return obj.lang if obj is not None else Settings.from_env().lang


def _choices(text: str) -> str:
    return "、".join(x.strip(" '\"") for x in text.split(","))


CLICK_ZH = [(r"^No such option:? '?([^' ]+)'?\.?(?:\s*Did you mean (.+)\?)?.*$",
             lambda g: f"没有这个选项：{g[0]}" + (f"（是否要找 {_choices(g[1])}？）" if g[1] else "")),
            (r"^Missing argument '(.+)'\.?$", lambda g: f"缺少参数 {g[0]}"),
            (r"^Missing option '(.+)'\.?.*$", lambda g: f"缺少选项 {g[0]}"),
            (r"^Invalid value for '(.+?)': '(.*)' is not one of (.+)\.$",
             lambda g: f"{g[0]} 的值“{g[1]}”无效，可选：{_choices(g[2])}"),
            (r"^Invalid value for '(.+?)': '(.*)' is not a valid integer.*$", lambda g: f"{g[0]} 应为整数，而不是“{g[1]}”"),
            (r"^Invalid value for '(.+?)': .*$", lambda g: f"{g[0]} 的值无效"),
            (r"^No such command '(.+?)'\.?(?:\s*\(Did you mean (?:one of: )?(.+)\?\))?$",
             lambda g: f"没有这个命令：{g[0]}" + (f"（是否要找 {_choices(g[1])}？）" if g[1] else "")),
            (r"^Got unexpected extra arguments? \((.+)\)$", lambda g: f"多出了参数：{g[0]}"),
            (r"^Option '(.+)' requires an argument\.?$", lambda g: f"选项 {g[0]} 需要一个值")]


def usage_text(exc: click.UsageError, lang: str) -> str:
    """A usage error's message: click's own words in English, in Chinese those a user meets (any
    other is shown as click says it, after the Chinese 用法有误)."""
    text = exc.format_message()
    if lang == "en":
        return text
    text = re.sub(r"'(-[^']+)' / '-[^']+'", r"'\1'", text)  # '--jobs' / '-j': name it once
    for pattern, zh in CLICK_ZH:
        m = re.match(pattern, text, re.S)
        if m:
            return zh([g or "" for g in m.groups()])
    return text


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record is logged (click's test runner swaps it).
    An unexpected failure (service.logs.internal) is the log file's: the person sees its one line
    and reference (ArchiveGroup), its traceback only with -v."""

    def __init__(self, verbose: bool = False):
        super().__init__()
        self.verbose = verbose

    def emit(self, record):
        if getattr(record, "internal", False) and not self.verbose:
            return
        self.stream = sys.stderr
        super().emit(record)


class _LowerLevel(logging.Formatter):
    """`warning: …` — one line; a traceback only with -v (it is in the data folder's log)."""

    def __init__(self, verbose: bool):
        super().__init__()
        self.verbose = verbose

    def format(self, record):
        line = f"{record.levelname.lower()}: {record.getMessage()}"
        if self.verbose and record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def setup_logging(verbose: bool) -> None:
    log = logging.getLogger("archive")
    for h in [h for h in log.handlers if isinstance(h, _StderrHandler)]:
        log.removeHandler(h)
    handler = _StderrHandler(verbose)
    handler.setFormatter(_LowerLevel(verbose))
    log.addHandler(handler)
    log.setLevel(logging.INFO if verbose else logging.WARNING)
    log.propagate = False
