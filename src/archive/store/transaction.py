"""One write transaction on the records database, or a part of the one already open."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager


@contextmanager
def transaction(conn: sqlite3.Connection):
    """BEGIN IMMEDIATE … COMMIT, ROLLBACK on any error; inside a transaction already open, the
    block is part of it (the outer one commits or rolls back)."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
