"""Web Push: subscriptions per notice kind, VAPID signing and RFC 8291 encryption, checked by a
push service of our own on loopback that verifies the JWT and decrypts the notice."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from town import Town

from sparcs.citizens.notices import due_kinds, push_due
from sparcs.citizens.subscriptions import Subscription, check_subscription, subscriptions
from sparcs.citizens.webpush import application_server_key, send, vapid_key
from sparcs.errors import DataError
from sparcs.store import open_store


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Browser:
    """A browser's push keys: what it hands over and what it decrypts with."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        raw = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh = _b64(raw)

    def subscription(self, endpoint: str, kinds: list[str]) -> dict[str, Any]:
        return {"endpoint": endpoint, "keys": {"p256dh": self.p256dh, "auth": _b64(self.auth)},
                "kinds": kinds}  # fmt: skip

    def decrypt(self, body: bytes) -> dict[str, str]:
        plain = http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth,
                                 version="aes128gcm")  # fmt: skip
        notice: dict[str, str] = json.loads(plain)
        return notice


class PushService:
    """A push service on loopback: records each push; paths under /gone answer 410."""

    def __init__(self) -> None:
        received: list[dict[str, Any]] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                received.append({"path": self.path, "headers": headers, "body": body})
                self.send_response(410 if self.path.startswith("/gone") else 201)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.received = received
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def service() -> Iterator[PushService]:
    found = PushService()
    yield found
    found.close()


def test_a_push_is_signed_for_the_service_and_readable_only_by_the_browser(
    town: Town, service: PushService
) -> None:
    browser = Browser()
    sub = check_subscription(browser.subscription(service.url + "/push/abc", ["green-now"]))
    with open_store(town.db) as store:
        key = vapid_key(store)
        assert application_server_key(vapid_key(store)) == application_server_key(key)  # kept
        result = send(store, sub, {"kind": "green-now", "title": "Grün"}, key=key,
                      subject="mailto:ops@example.org")  # fmt: skip
    assert result.status == 201 and not result.gone
    push = service.received[-1]
    headers = push["headers"]
    assert headers["content-encoding"] == "aes128gcm" and int(headers["ttl"]) > 0
    # the JWT: signed by the server's key, for the service's origin, not yet expired
    authorization = headers["authorization"]
    assert authorization.startswith("vapid t=")
    assert Vapid02.verify(authorization)
    token = authorization.split("t=")[1].split(",")[0]
    claims = json.loads(_unb64(token.split(".")[1]))
    assert claims["aud"] == service.url and claims["sub"] == "mailto:ops@example.org"
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    assert authorization.endswith("k=" + application_server_key(key))
    # the body: the browser decrypts it; the notice is not in clear text; another browser
    # cannot read it
    assert browser.decrypt(push["body"]) == {"kind": "green-now", "title": "Grün"}
    assert "Grün".encode() not in push["body"]
    with pytest.raises(Exception):  # noqa: B017  # http_ece raises its own or cryptography's
        Browser().decrypt(push["body"])


def test_a_gone_subscription_is_forgotten(town: Town, service: PushService) -> None:
    browser = Browser()
    body = browser.subscription(service.url + "/gone/1", ["green-now"])
    answer = town.client.post("/api/v1/citizen/h1/push", headers=town.bearer("h1"), json=body)
    assert answer.status_code == 201
    with open_store(town.db) as store:
        ((household, sub),) = subscriptions(store, "green-now", ["h1"])
        with pytest.raises(DataError, match="push subject 'mailto:a@b': give 'mailto:"):
            send(store, sub, {"kind": "green-now"}, key=vapid_key(store), subject="mailto:a@b")
        result = send(store, sub, {"kind": "green-now"}, key=vapid_key(store),
                      subject="https://sparcs.example.org")  # fmt: skip
        assert result.status == 410 and result.gone
        assert subscriptions(store, "green-now", ["h1"]) == []


def test_households_get_only_the_kinds_they_opted_in_to(town: Town, service: PushService) -> None:
    now, soon = Browser(), Browser()
    for name, browser, kinds in (("h2", now, ["green-now"]), ("h3", soon, ["green-soon"])):
        body = browser.subscription(f"{service.url}/{name}", kinds)
        answer = town.client.post(
            f"/api/v1/citizen/{name}/push", headers=town.bearer(name), json=body
        )
        assert answer.json() == {"endpoint": f"{service.url}/{name}", "kinds": kinds}
    with open_store(town.db) as store:
        sent = push_due(store, ["h2", "h3"], ["green-now"],
                        lambda kind, household: {"kind": kind, "for": household},
                        subject="mailto:ops@example.org")  # fmt: skip
    assert [(d.kind, len(d.results)) for d in sent] == [("green-now", 1)]
    (push,) = [p for p in service.received if p["path"] == "/h2"]
    assert now.decrypt(push["body"]) == {"kind": "green-now", "for": "h2"}
    assert not [p for p in service.received if p["path"] == "/h3"]


def test_subscriptions_are_private_and_checked(town: Town, service: PushService) -> None:
    browser = Browser()
    body = browser.subscription(service.url + "/h4", ["green-soon"])
    assert town.client.post("/api/v1/citizen/h4/push", headers=town.bearer("h5"),
                            json=body).status_code == 404  # fmt: skip
    assert town.client.post("/api/v1/citizen/h4/push", json=body).status_code == 401
    assert town.client.post("/api/v1/citizen/h4/push", headers=town.bearer("h4"),
                            json=body).status_code == 201  # fmt: skip
    # h5 cannot remove h4's subscription, h4 can
    gone = town.client.delete("/api/v1/citizen/h5/push", headers=town.bearer("h5"),
                              params={"endpoint": service.url + "/h4"})  # fmt: skip
    assert gone.status_code == 404
    key = town.client.get("/api/v1/citizen/h4/push", headers=town.bearer("h4")).json()
    assert len(_unb64(key["application_server_key"])) == 65
    export = town.client.get("/api/v1/citizen/h4/export", headers=town.bearer("h4")).json()
    assert [s["endpoint"] for s in export["push_subscriptions"]] == [service.url + "/h4"]
    mine = town.client.delete("/api/v1/citizen/h4/push", headers=town.bearer("h4"),
                              params={"endpoint": service.url + "/h4"})  # fmt: skip
    assert mine.status_code == 204


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"endpoint": "http://push.example.org/x"}, "endpoint"),
        ({"keys": {"p256dh": "AAAA", "auth": _b64(b"0" * 16)}}, "keys.p256dh"),
        ({"kinds": ["spam"]}, "kinds"),
    ],
)
def test_a_bad_subscription_names_the_field(change: dict[str, Any], field: str) -> None:
    body = {**Browser().subscription("https://push.example.org/x", ["green-now"]), **change}
    with pytest.raises(DataError, match=rf"^{field}: "):
        check_subscription(body)
    assert isinstance(check_subscription(Browser().subscription("https://p.example/x", [])),
                      Subscription)  # fmt: skip


def test_green_notices_are_due_when_a_window_starts_or_is_about_to() -> None:
    import pandas as pd

    hours = pd.date_range("2025-06-01 10:00", periods=4, freq="h", tz="UTC")
    assert due_kinds(hours, ["green", "green", "red", "red"], previous="green") == []
    assert due_kinds(hours, ["green", "green", "red", "red"], previous="amber") == ["green-now"]
    assert due_kinds(hours, ["red", "green", "red", "red"], previous="red") == []  # 1 h only
    assert due_kinds(hours, ["amber", "green", "green", "red"], previous=None) == ["green-soon"]


def test_the_district_trigger_needs_an_operator_and_answers_what_was_due(town: Town) -> None:
    denied = town.client.post("/api/v1/districts/centro/notices/green", headers=town.bearer("h1"))
    assert denied.status_code == 403
    answer = town.client.post("/api/v1/districts/centro/notices/green",
                              headers=town.bearer("admin"))  # fmt: skip
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert set(found["due"]) <= {"green-now", "green-soon"}
    assert set(found["sent"]) == set(found["due"])
    assert town.client.post("/api/v1/districts/nowhere/notices/green",
                            headers=town.bearer("admin")).status_code == 404  # fmt: skip
