"""Accounts in the records database (store/accounts.py): users with roles and hashed passwords,
sessions and API tokens kept only as hashes, login attempts for rate limiting (more in
tests/test_login_limit.py), schema 3 → 4."""
import sqlite3

import pytest

from archive.store import DataDir, schema
from archive.errors import AccountError
from archive.store.accounts import Accounts, digest

PW = "correct horse battery"


class Clock:
    def __init__(self, t=1_000_000.0):
        self.t = t

    def __call__(self):
        return self.t


@pytest.fixture
def conn(tmp_path):
    c = schema.connect(tmp_path / "archive.sqlite3")
    yield c
    c.close()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def accounts(conn, clock):
    return Accounts(conn, clock=clock)


def dump(conn) -> str:
    """Every value of every account table, as text."""
    out = []
    for table in ("users", "sessions", "api_tokens", "login_failures"):
        out += [repr(tuple(r)) for r in conn.execute(f"SELECT * FROM {table}")]
    return "\n".join(out)


def test_users_added_listed_verified_removed(accounts, conn):
    ed = accounts.add("王编辑", "editor", PW)
    accounts.add("reader1", "reader", PW + "!")
    assert [(u.name, u.role) for u in accounts.users()] == [("reader1", "reader"), ("王编辑", "editor")]
    assert accounts.verify("王编辑", PW) == ed and ed.is_editor
    assert accounts.verify("王编辑", "wrong password") is None
    assert accounts.verify("nobody", PW) is None
    assert accounts.has_editors()
    accounts.remove("王编辑")
    assert accounts.get("王编辑") is None and not accounts.has_editors()
    assert PW not in dump(conn)


@pytest.mark.parametrize(("name", "role", "password", "kind"), [
    ("", "editor", PW, "bad_name"), (" x", "editor", PW, "bad_name"), ("a\x07b", "editor", PW, "bad_name"),
    ("n" * 65, "editor", PW, "bad_name"), ("admin", "editor", PW, "bad_name"), ("ok", "owner", PW, "bad_role"),
    ("ok", "editor", "", "bad_password"), ("ok", "editor", "short", "bad_password"),
])
def test_bad_input_is_refused(accounts, name, role, password, kind):
    with pytest.raises(AccountError) as exc:
        accounts.add(name, role, password)
    assert exc.value.kind == kind and exc.value.exit_code == 2
    assert accounts.users() == []


def test_duplicate_and_unknown(accounts):
    accounts.add("li", "reader", PW)
    with pytest.raises(AccountError) as exc:
        accounts.add("li", "editor", PW)
    assert exc.value.kind == "duplicate_user" and exc.value.exit_code == 1
    for call in (lambda: accounts.remove("nobody"), lambda: accounts.new_token("nobody"),
                 lambda: accounts.set_password("nobody", PW)):
        with pytest.raises(AccountError) as exc:
            call()
        assert exc.value.kind == "unknown_user"


def test_sessions_are_stored_hashed_expire_and_end(accounts, conn, clock):
    user = accounts.add("li", "reader", PW)
    raw = accounts.new_session(user, hours=1)
    assert accounts.session(raw) == user
    assert raw not in dump(conn) and digest(raw) in dump(conn)
    accounts.end_session(raw)
    assert accounts.session(raw) is None
    raw = accounts.new_session(user, hours=1)
    clock.t += 3601
    assert accounts.session(raw) is None  # expired, and deleted
    assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    assert accounts.session("") is None and accounts.session("made-up") is None


def test_admin_sessions_hold_the_token_mark(accounts):
    raw = accounts.new_session(admin_mark="mark-1")
    assert accounts.session(raw, admin_mark="mark-1").name == "admin"
    assert accounts.session(raw, admin_mark="mark-2") is None  # the token changed: gone for good
    assert accounts.session(raw, admin_mark="mark-1") is None


def test_remove_and_passwd_end_sessions_and_tokens(accounts, conn):
    user = accounts.add("li", "editor", PW)
    a, b = accounts.new_session(user), accounts.new_session(user)
    token = accounts.new_token("li")
    assert accounts.token_user(token) == user and token not in dump(conn)
    assert accounts.set_password("li", "another password", keep_session=a) == 1
    assert accounts.session(a) == user and accounts.session(b) is None
    assert accounts.verify("li", "another password") and not accounts.verify("li", PW)
    accounts.remove("li")
    assert accounts.session(a) is None and accounts.token_user(token) is None
    assert dump(conn) == ""


def test_tokens_revoked(accounts):
    accounts.add("li", "editor", PW)
    t1, t2 = accounts.new_token("li"), accounts.new_token("li")
    assert t1 != t2 and accounts.token_user(t2).name == "li"
    assert accounts.revoke_tokens("li") == 2
    assert accounts.token_user(t1) is None and accounts.token_user(t2) is None


def test_attempts_per_address_are_a_hard_limit_for_any_account(accounts, clock):
    for i in range(5):
        wait, attempt = accounts.begin_login(f"guess{i}", "10.0.0.3")
        assert wait == 0 and attempt
        clock.t += 10
    wait, attempt = accounts.begin_login("wang", "10.0.0.3")  # the address: for any account
    assert attempt is None and 850 < wait <= 900
    assert accounts.begin_login("wang", "10.0.0.9")[0] == 0  # another address: free
    clock.t += 900
    assert accounts.begin_login("wang", "10.0.0.3")[0] == 0


def test_a_right_password_takes_its_attempt_back(accounts, clock):
    for _ in range(4):
        accounts.begin_login("li", "10.0.0.1")
    wait, attempt = accounts.begin_login("li", "10.0.0.1")
    assert wait == 0
    accounts.login_succeeded(attempt, "li", "10.0.0.1")  # the fifth was right: the address is clean again
    assert accounts.begin_login("li", "10.0.0.1")[0] == 0


def test_a_data_folder_of_schema_3_gets_the_account_tables(tmp_path):
    conn = schema.connect(tmp_path / "archive.sqlite3")
    for table in ("login_failures", "api_tokens", "sessions", "users"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    conn.execute("INSERT INTO issues (id, sha256, year, number, date, pages) VALUES ('2016-001', 'ab', 2016, 1,"
                 " '2016-01-08', 1)")
    conn.close()
    with DataDir(tmp_path).records() as records:
        accounts = Accounts(records.conn)
        accounts.add("li", "reader", PW)
        assert [u.name for u in accounts.users()] == ["li"]
        assert records.counts()[0] == 1
    assert sqlite3.connect(tmp_path / "archive.sqlite3").execute(
        "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(schema.SCHEMA_VERSION)


@pytest.mark.strong_hashes
def test_passwords_are_hashed_with_scrypt_and_a_hash_of_another_method_still_verifies(accounts, conn):
    """The product hashes with salted scrypt (the tests elsewhere with a cheap method: conftest.py); a
    stored hash names its method, so one made another way (an older default) still logs its user in."""
    from werkzeug.security import generate_password_hash
    accounts.add("new", "reader", PW)
    stored = conn.execute("SELECT password_hash FROM users WHERE name = 'new'").fetchone()[0]
    assert stored.startswith("scrypt:") and PW not in stored
    accounts.add("old", "reader", PW)
    conn.execute("UPDATE users SET password_hash = ? WHERE name = 'old'", (generate_password_hash(PW, "pbkdf2:sha256:1000"),))
    assert accounts.verify("old", PW).name == "old" and accounts.verify("old", PW + "x") is None
    assert accounts.verify("nobody", PW) is None
