"""Hypothesis feeds arbitrary JSON (and bytes) to every adapter and every signed webhook: only a batch
or a defined refusal, never a crash, never a 5xx, never a partial write."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import facebook, instagram, mail, sms, telegram, whatsapp, youtube
from ingest.batch import Batch
from server.settings import Settings
from tests.conftest import LiveServer, free_port, run_server

SECRET = "fuzz-app-secret"
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))

scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=40)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=5), max_leaves=25)
# payloads that look like the platforms' own shapes, so the fuzzing reaches past the first check
keys = st.sampled_from(["object", "entry", "changes", "value", "messages", "from", "id", "text", "body", "type",
                        "timestamp", "contacts", "profile", "name", "message", "chat", "message_id", "date",
                        "update_id", "items", "snippet", "authorDetails", "data", "paging", "cursors",
                        "displayMessage", "textMessageDetails", "messageText", "field", "caption"])
shaped = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(keys, inner, max_size=6), max_leaves=30)
payloads = json_values | shaped

ADAPTERS = [whatsapp.parse, instagram.parse, telegram.parse_update, youtube.parse, facebook.parse, sms.parse]


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda a: f"{a.__module__}.{a.__name__}")
def test_adapters_return_a_batch_or_refuse_cleanly(adapter: Any) -> None:
    @FUZZ
    @given(payload=payloads)
    def run(payload: Any) -> None:
        try:
            batch = adapter(payload)
        except sms.BadSms:
            return
        assert isinstance(batch, Batch)
        for m in batch.messages:
            assert m.external_id and isinstance(m.text, str)

    run()


@FUZZ
@given(raw=st.binary(max_size=2000))
def test_mail_reader_never_crashes_on_bytes(raw: bytes) -> None:
    batch = mail.read(raw)  # a question, nothing, or a dead letter holding the bytes
    assert len(batch.messages) + batch.ignored + len(batch.dead) == 1
    assert all(d.raw == raw for d in batch.dead)


@pytest.fixture(scope="module")
def signed_server(module_db_url: str) -> Iterator[LiveServer]:
    s = Settings(db=module_db_url, port=free_port(),
                 whatsapp_app_secret=SECRET, sms_secret=SECRET, telegram_webhook_secret=SECRET)
    yield from run_server(s)


def _count(live: LiveServer) -> tuple[int, int]:
    ((questions, received),) = live.sql("SELECT (SELECT count(*) FROM questions), "
                                        "(SELECT count(*) FROM events WHERE kind = 'received')")
    return questions, received


def test_signed_webhooks_answer_2xx_or_4xx_and_write_all_or_nothing(signed_server: LiveServer) -> None:
    live = signed_server
    live.show()
    client = httpx.Client(base_url=live.url, timeout=10)
    statuses: set[int] = set()

    @FUZZ
    @given(payload=payloads, where=st.sampled_from(["whatsapp", "sms", "telegram"]))
    def run(payload: Any, where: str) -> None:
        raw = json.dumps(payload, ensure_ascii=False).encode()
        signature = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
        headers = {"content-type": "application/json", "X-Hub-Signature-256": signature,
                   "X-Signature": signature, "X-Telegram-Bot-Api-Secret-Token": SECRET}
        before = _count(live)
        r = client.post(f"/webhooks/{where}", content=raw, headers=headers)
        statuses.add(r.status_code)
        assert r.status_code < 500, r.text
        after = _count(live)
        assert after[0] - before[0] == after[1] - before[1]  # every stored question has its event
        if r.status_code >= 400:
            assert after == before  # a refused delivery stores nothing

    run()
    client.close()
    assert any(s < 300 for s in statuses)
