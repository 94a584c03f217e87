"""A real webhook receiver, for the tests and the webhook benchmark: a small threaded HTTP
server on loopback that checks each request's signature with the standardwebhooks library,
as a customer's receiver would.

`mode` says how it answers: "ok" (204), "fail" (500); `stop()` takes it down (connections
refused) and `start()` brings it back on the same port. Every request is kept in `received`
(its webhook-id, whether the signature held, the answer given); `accepted` are the ones it
answered 2xx, the events a receiver would act on. Given `tls` (a server-side SSLContext with
its certificate) it serves HTTPS, and `host` is the name its URL uses (the certificate's).
"""

import json
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


@dataclass
class Received:
    webhook_id: str
    verified: bool
    status: int
    body: dict


@dataclass
class Receiver:
    secret: str = ""
    mode: str = "ok"
    port: int = 0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None
    tls: ssl.SSLContext | None = None
    host: str = "127.0.0.1"

    @property
    def url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{self.host}:{self.port}/hooks/amends"

    @property
    def accepted(self) -> list[Received]:
        with self.lock:
            return [item for item in self.received if 200 <= item.status < 300]

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                try:
                    Webhook(receiver.secret).verify(body, dict(self.headers.items()))
                    verified = True
                except WebhookVerificationError:
                    verified = False
                status = 204 if receiver.mode == "ok" and verified else (400 if not verified else 500)
                with receiver.lock:
                    receiver.received.append(
                        Received(self.headers.get("webhook-id", ""), verified, status, json.loads(body or b"{}"))
                    )
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        if self.tls is not None:
            # Each accepted connection does its handshake first: a client that refuses the
            # certificate gets no request through (socketserver drops the failed accept).
            self.server.socket = self.tls.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
