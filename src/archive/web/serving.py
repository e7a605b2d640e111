"""The app on waitress, with request bodies judged before they are read.

waitress reads a request's whole body (spooling past 512 KB to a temporary file) before it calls the
app: left alone, a 1 GB anonymous POST costs a gigabyte of /tmp and ten seconds before the app can
say 401. Here its parser asks web.gate, in the I/O thread, as soon as a request's headers are
complete: a refused request (too large for its route, or an upload by someone who may not import)
is handed to the app at once with no body and the refusal in its environ, the app answers it in
its own words, and the connection is closed — after a short linger that reads and drops what the
client still sends, so that a browser half-way through an upload sees the answer, not a reset. A
chunked body is cut at its route's cap as it arrives. `max_request_body_size` (the largest cap) is
waitress's own backstop.

Forwarded headers are web.proxy's to judge (one path): waitress is told to leave them alone."""
from __future__ import annotations

import logging
import socket
import sys
import time

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.task import WSGITask
from waitress.utilities import RequestEntityTooLarge

from ..settings import Settings
from .gate import REFUSED, UPLOAD_FORM_MARGIN

log = logging.getLogger(__name__)
LINGER_S = 5.0  # after a refusal, what the client still sends is read and dropped this long at most
LINGER_READ = 256 * 1024


class GatedParser(HTTPRequestParser):
    """waitress's request parser, asking `judge(environ)` once the headers are in."""
    judge = None  # set on the subclass made per app: environ → (status, message, cap, too_large_message)
    refused = None  # (status, message): the app answers it; the body is never kept
    cap = None
    too_large = None

    def received(self, data):
        judged = self.headers_finished
        consumed = super().received(data)
        if not judged and self.headers_finished and not self.empty:
            self._judge()
        elif self.refused is None and self.chunked and self.cap is not None and self.body_bytes_received > self.cap:
            self.refuse((413, self.too_large))
        return len(data) if self.refused else consumed  # what a refused request still sent is dropped

    def _judge(self) -> None:
        if self.error is not None and not isinstance(self.error, RequestEntityTooLarge):
            return  # a malformed request: waitress answers it
        if not (self.body_rcv is not None or self.error is not None):
            return  # no body: nothing to keep from the app
        try:
            status, message, self.cap, self.too_large = self.judge(self.header_environ())
        except Exception:  # noqa: BLE001 - judging failed: the app judges again once the body is in
            log.exception("could not judge a request by its headers")
            return
        if status is not None:
            self.refuse((status, message))
        elif self.error is not None:  # over waitress's backstop, under the route's cap: cannot be
            self.refuse((413, self.too_large))

    def refuse(self, decided: tuple[int, str]) -> None:
        self.refused = decided
        self.error = None
        self.body_rcv = None
        self.completed = True
        self.expect_continue = False  # no 100 Continue: the body is not wanted
        self.connection_close = True

    def get_body_stream(self):
        import io
        return io.BytesIO() if self.refused else super().get_body_stream()

    def header_environ(self) -> dict:
        """A WSGI environ of the request line and headers (the body not yet read, nor needed)."""
        import io
        environ = {"REQUEST_METHOD": self.command.upper(), "SCRIPT_NAME": "", "PATH_INFO": self.path or "/",
                   "QUERY_STRING": self.query or "", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
                   "SERVER_PROTOCOL": f"HTTP/{self.version}", "wsgi.url_scheme": self.url_scheme,
                   "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "REMOTE_ADDR": "",
                   "wsgi.version": (1, 0), "wsgi.multithread": True, "wsgi.multiprocess": False,
                   "wsgi.run_once": False}
        for key, value in self.headers.items():
            name = key if key in ("CONTENT_LENGTH", "CONTENT_TYPE") else "HTTP_" + key
            environ.setdefault(name, value)
        if self.chunked:
            environ.pop("CONTENT_LENGTH", None)
            environ["HTTP_TRANSFER_ENCODING"] = "chunked"
        return environ


class GatedTask(WSGITask):
    def get_environment(self):
        environ = super().get_environment()
        if getattr(self.request, "refused", None):
            environ[REFUSED] = self.request.refused
        return environ


class GatedChannel(HTTPChannel):
    """A channel whose requests are judged by their headers, lingering after a refusal."""
    task_class = GatedTask
    linger_until = None  # monotonic time a lingering close gives up
    refused_once = False

    def received(self, data):
        if self.linger_until is not None:
            return False
        out = super().received(data)
        if self.requests and getattr(self.requests[-1], "refused", None):
            self.refused_once = True
        return out

    def readable(self):
        return self.linger_until is not None or super().readable()

    def writable(self):
        if self.linger_until is not None:
            return time.monotonic() > self.linger_until  # then handle_write closes it
        return super().writable()

    def handle_read(self):
        if self.linger_until is None:
            return super().handle_read()
        try:
            data = self.socket.recv(LINGER_READ)
        except OSError:
            data = b""
        if not data or time.monotonic() > self.linger_until:
            self.linger_until = None
            self.refused_once = False
            super().handle_close()
        else:
            self.last_activity = time.time()

    def handle_write(self):
        if self.linger_until is not None:
            self.linger_until = None
            self.refused_once = False
            return super().handle_close()
        return super().handle_write()

    def handle_close(self):
        if self.refused_once and self.linger_until is None and self.connected and not self.total_outbufs_len:
            try:  # the answer is out: say so (FIN), then read what still comes, briefly
                self.socket.shutdown(socket.SHUT_WR)
            except OSError:
                return super().handle_close()
            self.will_close = False
            self.close_when_flushed = False
            self.linger_until = time.monotonic() + LINGER_S
            return
        self.linger_until = None
        super().handle_close()


def gated_channel(app) -> type:
    """The channel class of a server of `app`: its parser asks web.gate about each request."""
    from .gate import verdict

    parser = type("AppGatedParser", (GatedParser,), {"judge": staticmethod(lambda environ: verdict(app, environ))})
    return type("AppGatedChannel", (GatedChannel,), {"parser_class": parser})


def make_server(app, host: str = "127.0.0.1", port: int = 8000, threads: int = 8, **kw):
    """A waitress server of `app` whose requests are judged by their headers (not yet running)."""
    from waitress.server import create_server
    cap = int(app.config["MAX_CONTENT_LENGTH"] or 0) + UPLOAD_FORM_MARGIN
    server = create_server(app, host=host, port=port, threads=threads, ident="archive",
                           max_request_body_size=cap + 1, clear_untrusted_proxy_headers=False, **kw)
    server.channel_class = gated_channel(app)
    return server


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, threads: int = 8, inbox=None,
          poll: bool = False) -> None:
    import threading
    from . import create_app
    app = create_app(settings=settings)
    server = make_server(app, host, port, threads)
    app.extensions["archive.renderer"].warm()  # the first page image needs no process started for it,
    import pypdfium2  # noqa: F401  (nor PDFium loaded here: page sizes are read in this process)
    stop = threading.Event()
    if inbox is not None:  # the inbox's files go through the server's own import worker and supervisor
        from ..service.inbox import Inbox
        Inbox(inbox, app.extensions["archive.datadir"], supervisor=app.extensions["archive.jobs"],
              poll=poll).start(stop)
    try:
        server.run()
    finally:  # the import worker finishes its queue on its own; the page renderers go with the server
        stop.set()
        app.extensions["archive.renderer"].close()
        app.extensions["archive.jobs"].close()
