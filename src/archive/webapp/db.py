"""The request's database connection: opened on first use, kept on `g`, closed at teardown."""
from __future__ import annotations

import sqlite3

from flask import Flask, current_app, g

from .. import store


def get_db() -> sqlite3.Connection:
    if "db" not in g:
        g.db = store.connect(current_app.config["DATA_DIR"])
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
