"""A tiny loopback reverse proxy that makes a target slow: it holds CSC calls for a while.

The first CSC call (the suite's reachability probe of ``info``) goes through at once, so the run
gets past its start-up checks; every later ``/csc/`` call waits ``delay_s`` before it is
forwarded. Everything else (PKI, static files) is forwarded immediately.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "host", "content-length"}


class _Proxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, delay_s: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.upstream = urlsplit(upstream)
        self.delay_s = delay_s
        self.csc_calls = 0
        self.lock = threading.Lock()

    def should_delay(self, path: str) -> bool:
        if not path.startswith("/csc/"):
            return False
        with self.lock:
            self.csc_calls += 1
            return self.csc_calls > 1


class _Handler(BaseHTTPRequestHandler):
    server: _Proxy

    def do_GET(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if self.server.should_delay(self.path):
            time.sleep(self.server.delay_s)
        up = self.server.upstream
        conn = http.client.HTTPConnection(up.hostname or "127.0.0.1", up.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        try:
            conn.request(self.command, self.path, body=body, headers=headers)
            answer = conn.getresponse()
            payload = answer.read()
        except OSError:
            return  # the client gave up (its timeout); nothing to answer
        finally:
            conn.close()
        try:
            self.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def delaying_proxy(upstream: str, delay_s: float) -> Iterator[str]:
    """Serve the proxy in a background thread; yields its base URL."""
    server = _Proxy(upstream, delay_s)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
