"""Issue 21.4: the login limit. An attempt is counted before its password is checked, in one
transaction, so 40 wrong passwords at once for one account are 5 checked, not 12; the limit per
address stays hard; the one per account slows guessing (a growing wait for addresses that failed)
and never refuses the right password from an address that has not failed."""
import threading

import pytest

from archive.store import schema
from archive.store.accounts import (ACCOUNT_DELAY_S, ACCOUNT_FREE, ADDRESS_LIMIT, LOGIN_WINDOW_S, Accounts,
                                    address_key)
from webtools import csrf, html

EDITOR, PASSWORD = "王编辑", "editor-password-1"


class Clock:
    def __init__(self, t=1_000_000.0):
        self.t = t

    def __call__(self):
        return self.t


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def accounts(tmp_path, clock):
    conn = schema.connect(tmp_path / "archive.sqlite3")
    yield Accounts(conn, clock=clock)
    conn.close()


@pytest.fixture
def editor(app):
    with app.extensions["archive.datadir"].records() as records:
        records.accounts.add(EDITOR, "editor", PASSWORD)
    return app


def form(client, addr):
    return csrf(client.get("/login", environ_base={"REMOTE_ADDR": addr}))


def login(client, password, addr="127.0.0.1", token=None):
    token = token or form(client, addr)
    return client.post("/login", data={"name": EDITOR, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": addr})


def test_forty_wrong_passwords_at_once_are_five_checked(editor, monkeypatch):
    checked = []
    real = Accounts.verify

    def counting(self, name, password):
        checked.append(password)
        return real(self, name, password)
    monkeypatch.setattr(Accounts, "verify", counting)
    clients = [editor.test_client() for _ in range(40)]
    tokens = [form(c, "127.0.0.1") for c in clients]
    start = threading.Barrier(40)
    codes = [None] * 40

    def guess(n):
        start.wait()
        codes[n] = login(clients[n], f"wrong-password-{n}", token=tokens[n]).status_code
    threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checked) == ADDRESS_LIMIT
    assert sorted(codes) == [401] * ADDRESS_LIMIT + [429] * (40 - ADDRESS_LIMIT)


def test_forty_attempts_on_forty_connections_count_five(tmp_path):
    db = tmp_path / "archive.sqlite3"
    schema.connect(db).close()
    start = threading.Barrier(40)
    got = []

    def attempt():
        conn = schema.connect(db, shared=True)
        try:
            start.wait()
            got.append(Accounts(conn).begin_login("li", "10.0.0.1")[1])
        finally:
            conn.close()
    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len([a for a in got if a is not None]) == ADDRESS_LIMIT


def test_the_right_password_from_an_address_that_has_not_failed_is_never_refused(editor):
    guesser = editor.test_client()
    codes = [login(guesser, f"wrong-{n}", addr=f"10.0.0.{n % 3 + 1}").status_code  # guessed from three addresses
             for n in range(3 * ADDRESS_LIMIT)]
    assert set(codes) == {401, 429} and codes.count(401) >= ACCOUNT_FREE  # slowed once the account had failed
    assert login(guesser, PASSWORD, addr="10.0.0.1").status_code == 429  # a guessing address waits, even when right
    owner = editor.test_client()
    r = login(owner, PASSWORD, addr="10.9.9.9")
    assert r.status_code == 303, html(r)
    assert EDITOR in html(owner.get("/"))


def test_the_address_limit_stays_hard_even_for_the_right_password(editor):
    c = editor.test_client()
    for n in range(ADDRESS_LIMIT):
        assert login(c, f"wrong-{n}", addr="10.0.0.5").status_code == 401
    r = login(c, PASSWORD, addr="10.0.0.5")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0 and "分钟后再试" in html(r)


def test_guessing_an_account_from_many_addresses_is_slowed_more_with_each_failure(accounts, clock):
    # ACCOUNT_FREE failures spread over addresses: none of them has reached its own limit
    for n in range(ACCOUNT_FREE):
        assert accounts.begin_login("li", f"10.0.1.{n}")[0] == 0
    waits = []
    for n in range(6):  # each guessing address has failed once: it must wait after the account's last try
        addr = f"10.0.1.{n % ACCOUNT_FREE}"
        wait, attempt = accounts.begin_login("li", addr)
        assert attempt is None and wait > 0
        waits.append(wait)
        clock.t += wait  # waited as told: the next attempt is counted, and fails
        wait, attempt = accounts.begin_login("li", addr)
        assert wait == 0 and attempt is not None
    assert waits == sorted(waits) and waits[-1] >= 2 ** 5 * ACCOUNT_DELAY_S  # doubling
    assert accounts.begin_login("li", "10.7.7.7")[0] == 0  # a clean address: straight through
    clock.t += LOGIN_WINDOW_S + 1
    assert accounts.begin_login("li", "10.0.1.0")[0] == 0  # the failures aged out


@pytest.mark.parametrize("address,key", [("10.0.0.1", "10.0.0.1"), ("::ffff:10.0.0.1", "10.0.0.1"),
                                         ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
                                         ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"), ("unknown", "unknown")])
def test_an_ipv6_client_counts_as_its_64(address, key):
    assert address_key(address) == key
