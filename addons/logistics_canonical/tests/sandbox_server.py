"""A real HTTP server on loopback that plays a partner system in tests.

It records every request (path, headers, body) and answers from a script of
statuses, so a test can make a destination fail on purpose and recover.
"""

import http.server
import threading
from collections import deque


class SandboxServer:
    def __init__(self):
        self.requests = []
        self.script = deque()  # statuses to answer, in order; 200 once empty
        self._lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with server._lock:
                    status = server.script.popleft() if server.script else 200
                    server.requests.append(
                        {
                            "path": self.path,
                            "headers": dict(self.headers),
                            "body": body,
                            "status": status,
                        }
                    )
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
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

    def delivered(self):
        """Bodies of the requests answered 2xx, in arrival order."""
        return [r["body"] for r in self.requests if r["status"] < 300]
