"""Behind a reverse proxy (TLS at nginx, the app on loopback): the one place forwarded headers are read.

X-Forwarded-For, -Proto and -Host are believed only when the request comes from a configured proxy
(Settings.trusted_proxy: its address, or several, comma-separated) and only as deep as
Settings.trusted_proxy_count proxies; then werkzeug's ProxyFix makes them the request's client
address (the login limit counts it), scheme (the session cookie is Secure, `request.is_secure`) and
host (absolute links and redirects name the public https host). From anyone else, and when no
proxy is configured, they are dropped before the app sees them. waitress is told to leave them
alone (web/serving.py), so this is the only path."""
from __future__ import annotations

from werkzeug.middleware.proxy_fix import ProxyFix

FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT",
             "HTTP_X_FORWARDED_PREFIX", "HTTP_X_FORWARDED_BY", "HTTP_FORWARDED")


def proxies_of(setting: str | None) -> frozenset[str]:
    return frozenset(a.strip() for a in (setting or "").split(",") if a.strip())


class TrustedProxy:
    """WSGI middleware: ProxyFix for requests from the trusted proxies, forwarded headers dropped
    from everyone else."""

    def __init__(self, app, proxies: frozenset[str], count: int = 1):
        self.app = app
        self.proxies = proxies
        self.fixed = ProxyFix(app, x_for=count, x_proto=count, x_host=count) if proxies and count else None

    def __call__(self, environ, start_response):
        if self.fixed is not None and environ.get("REMOTE_ADDR") in self.proxies:
            return self.fixed(environ, start_response)
        for key in FORWARDED:
            environ.pop(key, None)
        return self.app(environ, start_response)
