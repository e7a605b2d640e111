"""Accounts: named users with a role, their login sessions and API tokens, and failed logins.

Nothing secret is stored as given: passwords as werkzeug hashes (salted, scrypt), session ids and
API tokens as their SHA-256 (they are long random strings, so a plain hash suffices and a copy of
the database yields no live cookie or token). A raw session id or token exists only in what
`new_session` / `new_token` return, once.

Sessions of the built-in editor "admin" (the ARCHIVE_ADMIN_TOKEN login) have no user row: they hold
a mark derived from the token instead, so changing the token ends them.

A login attempt is counted before its password is checked, in the transaction that decides whether
it may be tried (`begin_login`): the limit per address is hard (ADDRESS_LIMIT failures in
LOGIN_WINDOW_S), the one per account slows guessing from failing addresses without ever refusing the
right password from an address that has not failed (`_account_wait`)."""
from __future__ import annotations

import hashlib
import ipaddress
import secrets
import sqlite3
import time
from dataclasses import dataclass

from ..errors import AccountError
from .transaction import transaction

ROLES = ("editor", "reader")
ADMIN = "admin"  # the built-in editor of the admin token; no account may take its name
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
MAX_NAME = 64
SESSION_HOURS = 12.0  # a login lasts this long at most
TOUCH_EVERY_S = 60.0  # last_seen is written at most this often per session
FAILURE_KEEP_S = 24 * 3600.0
LOGIN_WINDOW_S = 15 * 60.0  # failed logins count this long
ADDRESS_LIMIT = 5  # failed logins from one address within the window: then none (429) until they age out
ACCOUNT_FREE = 5  # failed logins of one account within the window before its guessing is slowed
ACCOUNT_DELAY_S = 2.0  # then the wait after its last attempt, doubled for each failure more
IPV6_PREFIX = 64  # an IPv6 client has a whole /64 to itself: counted as one address


# werkzeug's method for new password hashes (salted scrypt, its default); a stored hash names its
# own method, so changing this never locks anyone out. The tests set a cheap one (tests/conftest.py).
HASH_METHOD = "scrypt"


def _hash(password: str, method: str) -> str:
    from werkzeug.security import generate_password_hash  # imported when needed: werkzeug costs every CLI run ~30 ms
    return generate_password_hash(password, method=method)


def _check(stored: str, password: str) -> bool:
    from werkzeug.security import check_password_hash
    return check_password_hash(stored, password)


_dummy: dict[str, str] = {}  # per method: checked against for an unknown name, so it takes as long as a wrong password


def _dummy_hash() -> str:
    if HASH_METHOD not in _dummy:
        _dummy[HASH_METHOD] = _hash(secrets.token_urlsafe(16), method=HASH_METHOD)
    return _dummy[HASH_METHOD]


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created: float = 0.0
    id: int | None = None  # None: the built-in admin

    @property
    def is_editor(self) -> bool:
        return self.role == "editor"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def address_key(address: str) -> str:
    """What failed logins are counted by: the address, an IPv6 one as its /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))


def seconds(wait: float) -> int:
    """A wait as whole seconds, rounded up (0 when there is none)."""
    return int(wait) + 1 if wait > 0 else 0


def check_name(name: str) -> str:
    if not name or not name.strip():
        raise AccountError("a user name cannot be empty", kind="bad_name")
    if name != name.strip():
        raise AccountError("a user name cannot begin or end with white space", kind="bad_name")
    if len(name) > MAX_NAME:
        raise AccountError(f"a user name has at most {MAX_NAME} characters", kind="bad_name")
    if any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 or c in "\u2028\u2029" for c in name):
        raise AccountError("a user name cannot contain control characters", kind="bad_name")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, not {role!r}", kind="bad_role")
    return role


def check_password(password: str | None) -> str:
    if not password:
        raise AccountError("the password cannot be empty", kind="bad_password")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password is too short: at least {MIN_PASSWORD} characters",
                                kind="bad_password")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password is too long: at most {MAX_PASSWORD} characters", kind="bad_password")
    return password


class Accounts:
    """Every SQL statement over users, sessions, api_tokens and login_failures (tables: store/schema.py)."""

    def __init__(self, conn: sqlite3.Connection, clock=time.time):
        self.conn = conn
        self.clock = clock

    # --- users ---------------------------------------------------------------------------------
    def check_new(self, name: str, role: str) -> None:
        """Raises unless an account `name` with `role` may be added (before a password is asked)."""
        check_name(name)
        check_role(role)
        if name.casefold() == ADMIN:
            raise AccountError(f"the name {ADMIN!r} is the built-in editor of ARCHIVE_ADMIN_TOKEN",
                                    kind="bad_name")
        if self.get(name) is not None:
            raise AccountError(f"a user named {name!r} already exists", kind="duplicate_user")

    def add(self, name: str, role: str, password: str) -> User:
        self.check_new(name, role)
        check_password(password)
        now = self.clock()
        try:
            cur = self.conn.execute("INSERT INTO users (name, role, password_hash, created) VALUES (?, ?, ?, ?)",
                                    (name, role, _hash(password, method=HASH_METHOD), now))
        except sqlite3.IntegrityError:
            raise AccountError(f"a user named {name!r} already exists", kind="duplicate_user") from None
        return User(name, role, now, cur.lastrowid)

    def users(self) -> list[User]:
        return [User(r["name"], r["role"], r["created"], r["id"])
                for r in self.conn.execute("SELECT id, name, role, created FROM users ORDER BY name")]

    def get(self, name: str) -> User | None:
        r = self.conn.execute("SELECT id, name, role, created FROM users WHERE name = ?", (name,)).fetchone()
        return User(r["name"], r["role"], r["created"], r["id"]) if r else None

    def need(self, name: str) -> User:
        user = self.get(name)
        if user is None:
            raise AccountError(f"no user named {name!r}", kind="unknown_user")
        return user

    def has_editors(self) -> bool:
        return self.conn.execute("SELECT 1 FROM users WHERE role = 'editor' LIMIT 1").fetchone() is not None

    def remove(self, name: str) -> None:
        """The user, and with it (ON DELETE CASCADE, and explicitly) its sessions and tokens."""
        user = self.need(name)
        self._in_transaction(
            ("DELETE FROM sessions WHERE user_id = ?", (user.id,)),
            ("DELETE FROM api_tokens WHERE user_id = ?", (user.id,)),
            ("DELETE FROM users WHERE id = ?", (user.id,)))

    def set_password(self, name: str, password: str, keep_session: str | None = None) -> int:
        """A new password; every session of the user but `keep_session` (a raw id) ends. → sessions ended."""
        check_password(password)
        user = self.need(name)
        keep = digest(keep_session) if keep_session else ""
        with transaction(self.conn):
            self.conn.execute("UPDATE users SET password_hash = ? WHERE id = ?",
                              (_hash(password, method=HASH_METHOD), user.id))
            return self.conn.execute("DELETE FROM sessions WHERE user_id = ? AND id_hash != ?",
                                     (user.id, keep)).rowcount

    def verify(self, name: str, password: str) -> User | None:
        """The user if the password is theirs (as long for an unknown name as for a wrong password)."""
        r = self.conn.execute("SELECT id, name, role, created, password_hash FROM users WHERE name = ?",
                              (name,)).fetchone()
        ok = _check(r["password_hash"] if r else _dummy_hash(), password or "")
        return User(r["name"], r["role"], r["created"], r["id"]) if (r and ok) else None

    # --- sessions ------------------------------------------------------------------------------
    def new_session(self, user: User | None = None, admin_mark: str | None = None,
                    hours: float = SESSION_HOURS) -> str:
        """A session of a user (or of the built-in admin, with its token's mark) → its raw id."""
        raw = secrets.token_urlsafe(32)
        now = self.clock()
        self.conn.execute("DELETE FROM sessions WHERE expires < ?", (now,))
        self.conn.execute("INSERT INTO sessions (id_hash, user_id, admin_mark, created, last_seen, expires) "
                          "VALUES (?, ?, ?, ?, ?, ?)",
                          (digest(raw), user.id if user else None, None if user else admin_mark, now, now,
                           now + hours * 3600))
        return raw

    def session(self, raw: str, admin_mark: str | None = None, touch: bool = True) -> User | None:
        """Who a live session belongs to, or None (unknown, expired, or an admin session whose token
        changed or went away: those rows are deleted). `touch=False`: read only, nothing written
        (a request's headers judged in the server's I/O thread, which must never wait for a lock)."""
        if not raw:
            return None
        h = digest(raw)
        r = self.conn.execute(
            "SELECT s.user_id, s.admin_mark, s.last_seen, s.expires, u.name, u.role, u.created "
            "FROM sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?", (h,)).fetchone()
        if r is None:
            return None
        now = self.clock()
        if r["user_id"] is None:
            alive = bool(admin_mark) and secrets.compare_digest(r["admin_mark"] or "", admin_mark or "")
            user = User(ADMIN, "editor") if alive else None
        else:
            user = User(r["name"], r["role"], r["created"], r["user_id"]) if r["name"] else None
        if user is None or r["expires"] < now:
            if touch:
                self.conn.execute("DELETE FROM sessions WHERE id_hash = ?", (h,))
            return None
        if touch and now - r["last_seen"] > TOUCH_EVERY_S:
            self.conn.execute("UPDATE sessions SET last_seen = ? WHERE id_hash = ?", (now, h))
        return user

    def end_session(self, raw: str) -> None:
        if raw:
            self.conn.execute("DELETE FROM sessions WHERE id_hash = ?", (digest(raw),))

    def sessions_of(self, name: str) -> int:
        user = self.need(name)
        return self.conn.execute("SELECT count(*) FROM sessions WHERE user_id = ?", (user.id,)).fetchone()[0]

    # --- API tokens ----------------------------------------------------------------------------
    def new_token(self, name: str) -> str:
        """A new API token of the user → the raw token (shown once; only its hash is kept)."""
        user = self.need(name)
        raw = "arc_" + secrets.token_urlsafe(32)
        self.conn.execute("INSERT INTO api_tokens (token_hash, user_id, created) VALUES (?, ?, ?)",
                          (digest(raw), user.id, self.clock()))
        return raw

    def revoke_tokens(self, name: str) -> int:
        user = self.need(name)
        return self.conn.execute("DELETE FROM api_tokens WHERE user_id = ?", (user.id,)).rowcount

    def token_user(self, raw: str) -> User | None:
        if not raw:
            return None
        r = self.conn.execute("SELECT u.id, u.name, u.role, u.created FROM api_tokens t JOIN users u ON u.id = t.user_id "
                              "WHERE t.token_hash = ?", (digest(raw),)).fetchone()
        return User(r["name"], r["role"], r["created"], r["id"]) if r else None

    # --- login attempts (rate limiting) ----------------------------------------------------------
    def begin_login(self, account: str, address: str) -> tuple[int, int | None]:
        """Count a login attempt before its password is checked: (seconds to wait, 0) when it may
        not be tried now, else (0, the attempt's id). One write transaction decides and counts, so
        parallel attempts are counted one after the other (40 at once from one address: 5 checked).
        The attempt stands as a failure until `login_succeeded` takes it back."""
        account, address = account[:MAX_NAME * 2], address_key(address)
        with transaction(self.conn):
            now = self.clock()
            self.conn.execute("DELETE FROM login_failures WHERE at < ?", (now - FAILURE_KEEP_S,))
            wait = self._address_wait(address, now) or self._account_wait(account, address, now)
            if wait:
                return wait, None
            cur = self.conn.execute("INSERT INTO login_failures (account, address, at) VALUES (?, ?, ?)",
                                    (account, address, now))
            return 0, cur.lastrowid

    def login_succeeded(self, attempt: int | None, account: str, address: str) -> None:
        """The password was right: the attempt, and this address's earlier failures on the account,
        are forgotten (others' failures on it are not: a guesser elsewhere is not let off)."""
        with transaction(self.conn):
            if attempt is not None:
                self.conn.execute("DELETE FROM login_failures WHERE rowid = ?", (attempt,))
            self.conn.execute("DELETE FROM login_failures WHERE account = ? AND address = ?",
                              (account[:MAX_NAME * 2], address_key(address)))

    def _address_wait(self, address: str, now: float) -> float:
        """The hard limit: ADDRESS_LIMIT attempts failing from one address within the window, then
        none until the oldest of them leaves it."""
        rows = [r[0] for r in self.conn.execute(
            "SELECT at FROM login_failures WHERE address = ? AND at > ? ORDER BY at DESC LIMIT ?",
            (address, now - LOGIN_WINDOW_S, ADDRESS_LIMIT))]
        return seconds(rows[-1] + LOGIN_WINDOW_S - now) if len(rows) >= ADDRESS_LIMIT else 0

    def _account_wait(self, account: str, address: str, now: float) -> float:
        """Guessing one account is slowed, never locked: past ACCOUNT_FREE failures within the window
        (from anywhere), an address that has failed itself must wait ACCOUNT_DELAY_S after the
        account's last attempt, twice as long for each failure more (at most the window). An address
        without failures is not held back: the account's owner logs in from a clean one."""
        failed_here = self.conn.execute("SELECT 1 FROM login_failures WHERE address = ? AND at > ? LIMIT 1",
                                        (address, now - LOGIN_WINDOW_S)).fetchone()
        if not failed_here:
            return 0
        n, last = self.conn.execute("SELECT count(*), max(at) FROM login_failures WHERE account = ? AND at > ?",
                                    (account, now - LOGIN_WINDOW_S)).fetchone()
        if n < ACCOUNT_FREE:
            return 0
        gap = min(ACCOUNT_DELAY_S * 2 ** (n - ACCOUNT_FREE), LOGIN_WINDOW_S)
        return seconds(last + gap - now)

    # ---------------------------------------------------------------------------------------------
    def _in_transaction(self, *statements) -> None:
        with transaction(self.conn):
            for sql, args in statements:
                self.conn.execute(sql, args)
