"""Issue 26.4: the archive behind a TLS proxy. `archive serve` on loopback behind Debian's nginx with
the shipped site file (deploy/nginx.conf: only ports, names and the certificate swapped in) and a
self-signed certificate made by openssl; the app trusts the proxy's X-Forwarded-* headers because it
is told its address (ARCHIVE_TRUSTED_PROXY). Checked through https: the session cookie is Secure;
redirects and absolute links name https and the public host; the login limit counts each client's
own address (clients on 127.0.0.2 and 127.0.0.3, the proxy on 127.0.0.1); an upload of the full cap
passes the proxy, one over it does not, and an anonymous one is refused before its body is sent.
Skipped where nginx or openssl is missing (scripts/setup.sh installs both)."""
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

import servers


ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx.conf"
UNIT = ROOT / "deploy" / "archive.service"
TOKEN = "proxy-test-token"
EDITOR, PASSWORD = "王编辑", "editor-password-1"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
OPENSSL = shutil.which("openssl")
needs_nginx = pytest.mark.skipif(not (NGINX and OPENSSL), reason="nginx or openssl is not installed "
                                 "(apt-get install nginx openssl; scripts/setup.sh installs them)")


def test_the_site_file_lets_the_whole_upload_cap_through():
    """client_max_body_size is the app's default cap and its form margin, as web.gate counts them."""
    from archive.settings import Settings
    from archive.web.gate import UPLOAD_FORM_MARGIN
    m = re.search(r"^\s*client_max_body_size\s+(\d+)m;", SITE.read_text(), re.M)
    assert m and int(m.group(1)) * 2**20 == Settings().max_upload_bytes + UPLOAD_FORM_MARGIN


def test_the_unit_file_is_one_systemd_reads_without_a_complaint(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("systemd-analyze is not installed")
    unit = tmp_path / "archive.service"
    unit.write_text(UNIT.read_text().replace("/opt/archive/.venv/bin/archive", "/bin/true"))
    r = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True)
    complaints = [line for line in (r.stdout + r.stderr).splitlines() if str(unit) in line or "Unknown" in line]
    assert r.returncode == 0 and complaints == [], r.stdout + r.stderr
    text = UNIT.read_text()
    for must in ("User=archive", "ARCHIVE_DATA=/srv/archive", "ARCHIVE_TRUSTED_PROXY=127.0.0.1",
                 "--host 127.0.0.1", "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/srv/archive"):
        assert must in text, must


# --- behind nginx ---------------------------------------------------------------------------------

def site_for(app_port: int, port: int, cert: Path, key: Path) -> str:
    """The shipped site file with this test's ports, name and certificate, nothing else changed."""
    text = SITE.read_text()
    text = re.sub(r"server \{\s*listen 80;.*?\n\}\n", "", text, flags=re.S)  # the port-80 redirect: no port 80 here
    text = re.sub(r"^\s*listen \[::\].*\n", "", text, flags=re.M)
    text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{port} ssl")
    text = text.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    text = text.replace("archive.example.org;", "localhost;")
    text = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", text)
    text = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", text)
    assert "client_max_body_size 101m;" in text and text.count(f"127.0.0.1:{port} ssl") == 2
    return text


def main_conf(tmp: Path, site: str) -> str:
    temps = "\n".join(f"    {k}_temp_path {tmp / k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (("user root;\n" if os.geteuid() == 0 else "") +
            f"worker_processes 1;\npid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'};\ndaemon off;\n"
            f"events {{ worker_connections 64; }}\nhttp {{\n    access_log off;\n{temps}\n{site}\n}}\n")


@pytest.fixture(scope="module")
def behind_nginx(tmp_path_factory, samples_data):
    if not (NGINX and OPENSSL):
        pytest.skip("nginx or openssl is not installed (scripts/setup.sh installs them)")
    tmp = tmp_path_factory.mktemp("proxy")
    data = tmp / "data"
    shutil.copytree(samples_data, data, symlinks=True)
    from archive.store import DataDir
    with DataDir(data).records() as records:
        records.accounts.add(EDITOR, "editor", PASSWORD)
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
                   check=True, capture_output=True)
    app_port, port = servers.free_port(), servers.free_port()
    log = (tmp / "server.log").open("wb")
    app = servers.start_server(data, app_port, token=TOKEN, log=log, env={"ARCHIVE_TRUSTED_PROXY": "127.0.0.1"})
    conf = tmp / "nginx.conf"
    conf.write_text(main_conf(tmp, site_for(app_port, port, cert, key)))
    nginx = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        servers.wait_for(port, nginx, timeout=30)
    except RuntimeError:
        app.terminate()
        pytest.fail("nginx did not start: " + nginx.stderr.read().decode(errors="replace")
                    + (tmp / "error.log").read_text(errors="replace"))
    ctx = ssl.create_default_context(cafile=str(cert))
    yield port, ctx, data
    nginx.terminate()
    nginx.wait(10)
    app.terminate()
    app.wait(10)
    log.close()


class Browser:
    """https through the proxy from one loopback address, keeping the session cookie."""

    def __init__(self, port, ctx, source="127.0.0.1"):
        self.port, self.ctx, self.source = port, ctx, source
        self.cookies = {}
        self.set_cookies = []

    def go(self, method, path, body=None, headers=None):
        conn = http.client.HTTPSConnection("localhost", self.port, context=self.ctx, timeout=120,
                                           source_address=(self.source, 0))
        try:
            h = dict(headers or {})
            if self.cookies:
                h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            data = r.read()
        finally:
            conn.close()
        for value in r.headers.get_all("Set-Cookie") or []:
            self.set_cookies.append(value)
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return r.status, r.headers, data

    def login(self, password, name=EDITOR):
        _, _, page = self.go("GET", "/login")
        token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
        from urllib.parse import urlencode
        body = urlencode({"name": name, "password": password, "csrf_token": token, "next": "/units"})
        return self.go("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"})


def on_this_site(location: str, port: int) -> bool:
    """A redirect that stays here: a path, or https://localhost:<port>/… (never http, never the app's own port)."""
    return (location.startswith("/") and not location.startswith("//")) or \
        location.startswith(f"https://localhost:{port}/")


@needs_nginx
def test_the_session_cookie_is_secure_behind_the_proxy(behind_nginx):
    port, ctx, _ = behind_nginx
    b = Browser(port, ctx)
    status, headers, _ = b.login(PASSWORD)
    assert status == 303
    session = [c for c in b.set_cookies if c.startswith("session=")]
    assert session and all("Secure" in c and "HttpOnly" in c for c in session)
    assert "max-age" in headers.get("Strict-Transport-Security", "")


@needs_nginx
def test_redirects_and_absolute_links_name_https_and_the_public_host(behind_nginx):
    port, ctx, _ = behind_nginx
    b = Browser(port, ctx)
    status, headers, _ = b.go("GET", "/import/jobs/x")  # an editor's page: to the login
    assert status == 302 and on_this_site(headers["Location"], port)
    status, headers, _ = b.login(PASSWORD)
    assert status == 303 and on_this_site(headers["Location"], port) and headers["Location"].endswith("/units")
    _, _, page = b.go("GET", "/items/2021-005-003")
    assert f'<link rel="canonical" href="https://localhost:{port}/items/2021-005-003">'.encode() in page
    _, _, page = b.go("GET", "/issues/2021-005")
    assert f'href="https://localhost:{port}/issues/2021-005"'.encode() in page
    assert b"http://localhost" not in page and b"127.0.0.1" not in page


@needs_nginx
def test_another_name_gets_no_answer(behind_nginx):
    port, ctx, _ = behind_nginx
    with socket.create_connection(("127.0.0.1", port)) as raw:
        with pytest.raises(ssl.SSLError):
            ctx.wrap_socket(raw, server_hostname="other.example").do_handshake()


@needs_nginx
def test_the_login_limit_counts_each_clients_own_address(behind_nginx):
    port, ctx, _ = behind_nginx
    guesser = Browser(port, ctx, source="127.0.0.2")
    assert [guesser.login(f"wrong-{n}", name="nobody")[0] for n in range(5)] == [401] * 5
    assert guesser.login(PASSWORD)[0] == 429  # that address is stopped …
    other = Browser(port, ctx, source="127.0.0.3")  # … another is not: the app sees the clients, not nginx
    assert other.login("wrong-again", name="nobody")[0] == 401
    assert other.login(PASSWORD)[0] == 303


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    return servers.multipart([(name, data)])


@needs_nginx
def test_an_upload_of_the_whole_cap_passes_the_proxy_and_one_over_it_does_not(behind_nginx):
    from archive.settings import Settings
    port, ctx, _ = behind_nginx
    cap = Settings().max_upload_bytes
    body, ctype = multipart("whole-cap.pdf", b"x" * cap)  # not a PDF: the worker refuses it in a moment
    b = Browser(port, ctx)
    status, _, answer = b.go("POST", "/api/import", body, {"Content-Type": ctype, "Authorization": f"Bearer {TOKEN}"})
    assert status == 202, answer[:300]
    job_url = json.loads(answer)["url"]
    del body
    for _ in range(600):  # the job done before the server goes (its worker outlives a stopped server)
        job = json.loads(b.go("GET", job_url, headers={"Authorization": f"Bearer {TOKEN}"})[2])
        if job["state"] == "done":
            break
        time.sleep(0.2)
    assert (job["files"][0]["status"], job["files"][0]["kind"]) == ("refused", "not_pdf")
    status, _ = raw_head(port, ctx, "/api/import", cap + 2 * 2**20, f"Authorization: Bearer {TOKEN}\r\n")
    assert status == 413


@needs_nginx
def test_an_anonymous_upload_is_refused_through_the_proxy_before_its_body(behind_nginx):
    port, ctx, _ = behind_nginx
    status, answer = raw_head(port, ctx, "/api/import", 50 * 2**20)
    assert status == 401 and "令牌".encode() in answer


def raw_head(port, ctx, path, length, extra=""):
    """Send only the head (and a few bytes) of a request declaring `length` bytes; → (status, answer)."""
    with socket.create_connection(("127.0.0.1", port)) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            s.settimeout(30)
            s.sendall((f"POST {path} HTTP/1.1\r\nHost: localhost:{port}\r\nContent-Length: {length}\r\n"
                       f"Content-Type: multipart/form-data; boundary=xyz\r\n{extra}\r\n--xyz\r\n").encode())
            answer = b""
            while b"\r\n\r\n" not in answer or len(answer) < 200:
                piece = s.recv(65536)
                if not piece:
                    break
                answer += piece
    return int(answer.split(b" ", 2)[1]), answer
