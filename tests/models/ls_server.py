"""A small Label Studio ML-backend server on loopback (real HTTP, a thread), for the tests.

It answers /health, /setup and /predict as label-studio-ml-backend does; /predict returns one
rectangle (percent coordinates) and one polygon, and records every request body.  ``delay``
makes /predict slow (to test timeouts); ``down`` makes /health report not ready.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Backend:
    url: str = ""
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    delay: float = 0.0
    version: str = "ls-model-7"
    score: float = 0.87


def _handler(state: Backend) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, code: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeouts)
                self.wfile.write(data)

        def do_GET(self) -> None:
            state.requests.append((self.path, {}))
            if self.path in ("/health", "/"):
                self._send(200, {"status": "UP", "model_dir": "/tmp", "v2": "true"})
            else:
                self._send(404, {"error": "no such route"})

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            state.requests.append((self.path, body))
            if self.path == "/setup":
                self._send(200, {"model_version": state.version})
            elif self.path == "/predict":
                if state.delay:
                    time.sleep(state.delay)
                region = {
                    "from_name": "label",
                    "to_name": "image",
                    "type": "rectanglelabels",
                    "original_width": 64,
                    "original_height": 48,
                    "score": state.score,
                    "value": {"x": 25, "y": 50, "width": 50, "height": 25, "rotation": 0, "rectanglelabels": ["Car"]},
                }
                poly = {
                    "from_name": "polygon",
                    "to_name": "image",
                    "type": "polygonlabels",
                    "score": 0.3,
                    "value": {"points": [[10, 10], [50, 10], [50, 50]], "polygonlabels": ["Tree"]},
                }
                self._send(
                    200,
                    {
                        "results": [{"result": [region, poly], "score": 0.6, "model_version": state.version}],
                        "model_version": state.version,
                    },
                )
            else:
                self._send(404, {"error": "no such route"})

    return Handler


@contextmanager
def ls_backend(**kw: Any) -> Iterator[Backend]:
    state = Backend(**kw)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
