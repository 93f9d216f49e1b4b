"""A real HTTP server on loopback that plays a partner system in tests.

It records every request (method, path, headers, body) and answers from a
script of statuses, so a test can make a destination fail on purpose and
recover. A GET is answered with the page published at its path (``pages``).
"""

import http.server
import json
import threading
from collections import deque


class SandboxServer:
    def __init__(self):
        self.requests = []
        self.script = deque()  # statuses to answer, in order; 200 once empty
        self.pages = {}  # path -> (body bytes, content type) answered to a GET
        self._lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self._answer(b"{}", "application/json")

            def do_GET(self):
                content, content_type = server.pages.get(self.path, (b"", "text/plain"))
                self._answer(content, content_type, 200 if self.path in server.pages else 404)

            def _answer(self, content, content_type, status=200):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with server._lock:
                    status = server.script.popleft() if server.script else status
                    server.requests.append(
                        {
                            "method": self.command,
                            "path": self.path,
                            "headers": dict(self.headers),
                            "body": body,
                            "status": status,
                        }
                    )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.url = f"{self.base_url}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def fail_next(self, count, status=503):
        with self._lock:
            self.script.extend([status] * count)

    def publish(self, path, document):
        """Answer GET ``path`` with ``document`` as JSON."""
        self.pages[path] = (json.dumps(document).encode(), "application/json")

    def delivered(self):
        """Bodies of the requests answered 2xx, in arrival order."""
        return [r["body"] for r in self.requests if r["status"] < 300]
