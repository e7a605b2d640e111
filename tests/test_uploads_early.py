"""Issue 21.2: request bodies refused before they are read. Every request that declares a body has
a cap (an upload route: the upload cap and a margin for the form; anything else: a form's), and an
upload by someone who may not import is refused on its headers: in the app (web/gate.py, before any
form is parsed) and in the server (web/serving.py: waitress's parser asks before it buffers a byte).

Against `archive serve` in its own process: a raw socket declares a 1 GB body and sends a few bytes;
the answer comes without the rest ever being sent (were the body awaited, the read would time out),
and the server holds no spooled file in its temporary folder meanwhile."""
import io
import os
import shutil
import socket
import threading
from pathlib import Path

import pytest

import servers
from webtools import AUTH, NEW_ISSUE, TOKEN, csrf


GB = 1000 * 2**20  # under waitress's own default limit (1 GiB), which it would refuse on its headers
ANSWER_WAIT_S = 30.0  # how long a read waits for the answer: far more than an answer takes, far less than a body


class Untouchable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def readinto(self, b):
        raise AssertionError("the body was read")


def declared(client, method, url, length, headers=None):
    """A request declaring `length` bytes of body that nobody may read."""
    env = {"wsgi.input": io.BufferedReader(Untouchable()), "CONTENT_LENGTH": str(length),
           "CONTENT_TYPE": "multipart/form-data; boundary=x"}
    return client.open(url, method=method, environ_overrides=env, headers=headers or {})


# --- in the app (any server) ----------------------------------------------------------------------

def test_an_anonymous_upload_is_refused_on_its_headers(editor_app, client):
    assert declared(client, "POST", "/api/import", 50 * 2**20).status_code == 401
    assert declared(client, "POST", "/import", 50 * 2**20).status_code == 401
    r = declared(client, "POST", "/api/import", 50 * 2**20, {"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and "令牌" in r.get_json()["error"]


def test_a_readers_upload_is_refused_on_its_headers(editor_app, client):
    with editor_app.extensions["archive.datadir"].records() as records:
        records.accounts.add("reader1", "reader", "reader-password-1")
        token = records.accounts.new_token("reader1")
    r = declared(client, "POST", "/api/import", 50 * 2**20, {"Authorization": f"Bearer {token}"})
    assert r.status_code == 403 and "读者" in r.get_json()["error"]


def test_a_body_over_its_cap_is_refused_on_its_headers(editor_app, client):
    r = declared(client, "POST", "/api/import", GB, AUTH)  # an editor, but 1 GB
    assert r.status_code == 413 and "超过了单次上限" in r.get_json()["error"]
    for url in ("/login", "/items/2021-005-003/edit", "/api/items/2021-005-003/corrections", "/nowhere"):
        r = declared(client, "POST", url, 3 * 2**20)  # a form's cap: 2 MB
        assert r.status_code == 413, url
    assert declared(client, "PUT", "/", 3 * 2**20).status_code == 413


def test_an_editors_upload_within_the_cap_goes_through(editor_app, client):
    with NEW_ISSUE.open("rb") as fh:
        r = client.post("/api/import", data={"files": (fh, "new.pdf")}, headers=AUTH)
    assert r.status_code == 202


def test_a_chunked_form_is_cut_at_its_cap(editor_app, client):
    """(A server that passes a chunked body on, terminated, without its length; waitress sets the length.)"""
    token = csrf(client.get("/login"))
    body = (f'--xyz\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            '--xyz\r\nContent-Disposition: form-data; name="password"\r\n\r\n').encode() + b"y" * (3 * 2**20)
    r = client.post("/login", input_stream=io.BytesIO(body), content_type="multipart/form-data; boundary=xyz",
                    headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})
    assert r.status_code == 413 and "超过了上限 2 MB" in r.get_data(as_text=True)


# --- in the server --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory, samples_data):
    data = tmp_path_factory.mktemp("early") / "data"
    shutil.copytree(samples_data, data, symlinks=True)
    spool = data.parent / "tmp"
    spool.mkdir()
    port = servers.free_port()
    log = (data.parent / "server.log").open("wb")
    proc = servers.start_server(data, port, token=TOKEN, log=log, env={"TMPDIR": str(spool)})
    yield port, proc, spool
    proc.terminate()
    proc.wait(10)
    log.close()


def spooled(pid: int, spool: Path) -> list[str]:
    """The server's open files in its temporary folder (waitress spools a body there past 512 KB)."""
    out = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(spool)):
            out.append(target)
    return out


def ask(port, head: str, body: bytes = b"", more: int = 0, chunked: bool = False):
    """Send a request's head and `body`, then `more` bytes while reading; → (status, what the server
    answered). The rest of a declared body is never sent."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(ANSWER_WAIT_S)
    try:
        sock.sendall(head.encode("latin-1") + body)

        def keep_sending():
            try:
                for _ in range(more // 65536):
                    piece = b"z" * 65536
                    sock.sendall(b"10000\r\n" + piece + b"\r\n" if chunked else piece)
            except OSError:  # the server has answered and closed: what a browser meets
                pass
        sender = threading.Thread(target=keep_sending, daemon=True)
        sender.start()
        answer = b""
        while b"\r\n\r\n" not in answer:
            piece = sock.recv(65536)
            if not piece:
                break
            answer += piece
        sender.join(ANSWER_WAIT_S)
        return int(answer.split(b" ", 2)[1]), answer
    finally:
        sock.close()


def head(method, url, length=None, extra=""):
    size = f"Content-Length: {length}\r\n" if length is not None else "Transfer-Encoding: chunked\r\n"
    return (f"{method} {url} HTTP/1.1\r\nHost: 127.0.0.1\r\n{size}"
            f"Content-Type: multipart/form-data; boundary=xyz\r\n{extra}\r\n")


def test_a_gigabyte_anonymous_post_is_answered_without_its_body(server):
    port, proc, spool = server
    status, answer = ask(port, head("POST", "/api/import", GB), b"--xyz\r\n")
    assert status == 413
    status, answer = ask(port, head("POST", "/import", 50 * 2**20), b"--xyz\r\n")
    assert status == 401
    status, answer = ask(port, head("POST", "/api/import", GB, f"Authorization: Bearer {TOKEN}\r\n"), b"--xyz\r\n")
    assert status == 413 and "超过了单次上限".encode() in answer or status == 413
    assert spooled(proc.pid, spool) == []


def test_a_refused_upload_still_being_sent_is_answered_and_nothing_is_spooled(server):
    port, proc, spool = server
    seen = []
    watch = threading.Event()

    def look():
        while not watch.is_set():
            seen.extend(spooled(proc.pid, spool))
            watch.wait(0.02)
    t = threading.Thread(target=look, daemon=True)
    t.start()
    try:  # an anonymous browser half-way through 8 MB: it gets the answer, not a reset
        status, _ = ask(port, head("POST", "/import", 40 * 2**20), b"--xyz\r\n", more=8 * 2**20)
    finally:
        watch.set()
        t.join()
    assert status == 401 and seen == []


def test_a_chunked_body_is_cut_at_its_cap(server):
    port, proc, spool = server
    status, _ = ask(port, head("POST", "/login"), b"", more=4 * 2**20, chunked=True)
    assert status == 413
    assert spooled(proc.pid, spool) == []


def test_the_server_still_takes_an_editors_upload(server):
    port = server[0]
    status, job = servers.upload(port, TOKEN, [("new.pdf", NEW_ISSUE.read_bytes())])
    assert status == 202 and job["state"] in ("queued", "running", "done")
    status, _ = ask(port, "GET /api/search?q=%E5%85%9A%E5%8F%B2 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == 200
