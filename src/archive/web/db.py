"""The request's records: opened on first use, kept on `g`, closed at teardown."""
from __future__ import annotations

from flask import Flask, current_app, g

from ..store import DataDir, Records


def datadir() -> DataDir:
    return current_app.extensions["archive.datadir"]


def get_db() -> Records:
    if "db" not in g:
        g.db = datadir().records()
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
