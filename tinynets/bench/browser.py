"""The browser the benches (and the browser tests) drive, and the local static server of built
sites they open: Debian's Chromium (``CHROMIUM``, launched with ``CHROMIUM_ARGS``).

A threaded ``http.server`` on 127.0.0.1 with the MIME types a static host sends (``video/webm``,
``image/svg+xml``, ``.tnfd`` as binary) and single-range ``Range`` requests (HTTP 206), as GitHub
Pages serves them: browsers seek in media through range requests. With ``ranges=False`` it
answers every request with the whole file (HTTP 200), as ``python -m http.server`` and
``mkdocs serve`` do.

Example::

    with SiteServer(Path("build/site")) as server:
        print(server.url("tiny/"))           # http://127.0.0.1:PORT/tiny/
"""

from __future__ import annotations

import functools
import os
import re
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

MIME_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json",
    ".svg": "image/svg+xml", ".png": "image/png", ".gif": "image/gif",
    ".webm": "video/webm", ".xml": "application/xml", ".gz": "application/gzip",
    ".map": "application/json", ".ico": "image/x-icon", ".txt": "text/plain; charset=utf-8",
    ".tnfd": "application/octet-stream",
}


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def log_message(self, format, *args):  # keep the test output quiet
        pass

    def send_head(self):
        """Like the standard one, plus ``Accept-Ranges`` and one ``Range: bytes=a-b``."""
        path = self.translate_path(self.path)
        delay = self.server.delays.get(urlsplit(self.path).path)
        if delay:  # a slow file, as on a loaded server
            time.sleep(delay)
        if not self.server.answers_ranges:
            self._range = None
            return super().send_head()
        if os.path.isdir(path) or "Range" not in self.headers:
            self._range = None
            return super().send_head()
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers["Range"].strip())
        try:
            handle = open(path, "rb")
        except OSError:
            self.send_error(404, "File not found")
            return None
        size = os.fstat(handle.fileno()).st_size
        if not match or (not match[1] and not match[2]):
            handle.close()
            self.send_error(416, "Range not satisfiable")
            return None
        if match[1]:
            start = int(match[1])
            end = min(int(match[2]), size - 1) if match[2] else size - 1
        else:  # the last N bytes
            start, end = max(size - int(match[2]), 0), size - 1
        if start >= size or start > end:
            handle.close()
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.end_headers()
            return None
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        handle.seek(start)
        self._range = end - start + 1
        return handle

    def end_headers(self):
        if self.server.answers_ranges and not self.headers.get("Range"):
            self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def copyfile(self, source, destination):
        remaining = getattr(self, "_range", None)
        if remaining is None:
            return super().copyfile(source, destination)
        while remaining > 0:
            chunk = source.read(min(65536, remaining))
            if not chunk:
                break
            destination.write(chunk)
            remaining -= len(chunk)


class _QuietServer(ThreadingHTTPServer):
    """The threaded server, quiet about browsers that hang up early."""

    def handle_error(self, request, client_address):
        # a browser that stops reading (a video range it no longer needs) is not an error
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SiteServer:
    """Serve ``root`` on 127.0.0.1 on a free port, in a background thread; ``ranges=False``
    ignores ``Range`` headers, as servers without range support do; ``delays`` maps URL paths
    to seconds to wait before answering them."""

    def __init__(self, root: Path, ranges: bool = True, delays: dict[str, float] | None = None):
        self.root = Path(root)
        handler = functools.partial(_Handler, directory=str(self.root))
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.answers_ranges = ranges
        self.httpd.delays = dict(delays or {})
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path.lstrip('/')}"

    def __enter__(self) -> "SiteServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)
