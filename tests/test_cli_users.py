"""`archive users`: add (password asked twice, or --password-stdin), list, remove, passwd, token;
clear errors and exit codes; never a password or a hash on the screen or in the database."""
import sqlite3

import pytest

from archive.cli.main import cli
from archive.store import DataDir
from archive.store.accounts import Accounts

PW = "pa55word-of-li"


@pytest.fixture
def users(runner, data_dir):
    """users("add", "li", "--role", "reader", input="...") → click Result."""
    def run(*args, input=None):
        return runner.invoke(cli, ["--data", str(data_dir), "users", *args], input=input, catch_exceptions=False)
    return run


def table_text(data_dir) -> str:
    conn = sqlite3.connect(data_dir / "archive.sqlite3")
    return "\n".join(repr(tuple(r)) for t in ("users", "sessions", "api_tokens") for r in conn.execute(f"SELECT * FROM {t}"))


@pytest.mark.strong_hashes
def test_add_asks_twice_and_lists_without_hashes(users, data_dir):
    r = users("add", "li", "--role", "editor", input=f"{PW}\n{PW}\n")
    assert r.exit_code == 0 and "added li (editor)" in r.output
    assert PW not in r.output  # hidden input is not echoed
    r = users("add", "王读者", "--role", "reader", "--password-stdin", input=PW + "2\n")
    assert r.exit_code == 0, r.output
    out = users("list")
    assert out.exit_code == 0
    lines = out.output.splitlines()
    assert [ln.split("\t")[:2] for ln in lines] == [["li", "editor"], ["王读者", "reader"]]
    assert "scrypt" not in out.output and "pbkdf2" not in out.output
    assert PW not in table_text(data_dir) and "scrypt" in table_text(data_dir)
    with DataDir(data_dir).records() as rec:
        assert Accounts(rec.conn).verify("王读者", PW + "2").role == "reader"


def test_add_errors(users):
    assert users("add", "li", "--role", "editor", input=f"{PW}\nsomething-else\n{PW}\n{PW}\n").exit_code == 0
    dup = users("add", "li", "--role", "reader", "--password-stdin", input=PW + "\n")
    assert dup.exit_code == 1 and "already exists" in dup.output
    bad_role = users("add", "zhang", "--role", "owner", "--password-stdin", input=PW + "\n")
    assert bad_role.exit_code == 2 and "owner" in bad_role.output
    short = users("add", "zhang", "--role", "reader", "--password-stdin", input="short\n")
    assert short.exit_code == 2 and "too short" in short.output
    empty = users("add", "zhang", "--role", "reader", "--password-stdin", input="\n")
    assert empty.exit_code == 2 and "empty" in empty.output
    long_name = users("add", "z" * 65, "--role", "reader", "--password-stdin", input=PW + "\n")
    assert long_name.exit_code == 2 and "at most 64" in long_name.output
    control = users("add", "zh\x1bang", "--role", "reader", "--password-stdin", input=PW + "\n")
    assert control.exit_code == 2 and "control" in control.output
    admin = users("add", "admin", "--role", "editor", "--password-stdin", input=PW + "\n")
    assert admin.exit_code == 2 and "ARCHIVE_ADMIN_TOKEN" in admin.output
    assert [ln.split("\t")[0] for ln in users("list").output.splitlines()] == ["li"]


def test_remove_revokes_sessions_and_tokens(users, data_dir):
    users("add", "li", "--role", "editor", "--password-stdin", input=PW + "\n")
    token = users("token", "li").stdout.strip()
    with DataDir(data_dir).records() as rec:
        acc = Accounts(rec.conn)
        session = acc.new_session(acc.get("li"))
        assert acc.token_user(token).name == "li" and acc.session(session).name == "li"
    assert token not in table_text(data_dir)
    r = users("remove", "li")
    assert r.exit_code == 0 and "revoked" in r.output
    with DataDir(data_dir).records() as rec:
        acc = Accounts(rec.conn)
        assert acc.token_user(token) is None and acc.session(session) is None
    unknown = users("remove", "li")
    assert unknown.exit_code == 1 and "no user named 'li'" in unknown.output


def test_passwd_ends_sessions(users, data_dir):
    users("add", "li", "--role", "reader", "--password-stdin", input=PW + "\n")
    with DataDir(data_dir).records() as rec:
        session = Accounts(rec.conn).new_session(Accounts(rec.conn).get("li"))
    r = users("passwd", "li", input="new-password-1\nnew-password-1\n")
    assert r.exit_code == 0 and "1 session(s) ended" in r.output
    with DataDir(data_dir).records() as rec:
        acc = Accounts(rec.conn)
        assert acc.session(session) is None and acc.verify("li", "new-password-1") and not acc.verify("li", PW)
    assert users("passwd", "li", "--password-stdin", input="short\n").exit_code == 2
    assert users("passwd", "nobody", "--password-stdin", input=PW + "\n").exit_code == 1


def test_token_shown_once_and_revoked(users, data_dir):
    users("add", "li", "--role", "editor", "--password-stdin", input=PW + "\n")
    r = users("token", "li")
    assert r.exit_code == 0
    token = r.stdout.strip()
    assert token.startswith("arc_") and len(token) > 40 and "shown once" in r.stderr
    assert users("token", "li").stdout.strip() != token
    revoked = users("token", "li", "--revoke")
    assert revoked.exit_code == 0 and "revoked 2 API token(s)" in revoked.output
    with DataDir(data_dir).records() as rec:
        assert Accounts(rec.conn).token_user(token) is None
    assert users("token", "nobody").exit_code == 1
