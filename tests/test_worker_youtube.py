"""The YouTube worker against a Data API stand-in: page tokens, intervals, errors by reason, deletions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ingest.sources.youtube import YouTubeSource, seconds_to_quota_reset

from .conftest import LiveServer
from .standins.youtube import (
    CHAT_ID,
    DISABLED,
    ENDED,
    QUOTA,
    TOO_FAST,
    YouTubeStandIn,
    deleted,
    super_chat,
    text_item,
)
from .webhook_payloads import withdrawals
from .worker_kit import Sleeps, questions, worker


@pytest.fixture
def yt() -> Iterator[YouTubeStandIn]:
    standin = YouTubeStandIn()
    with standin.running():
        yield standin


def source(yt: YouTubeStandIn, client: httpx.AsyncClient, chat: str = CHAT_ID) -> YouTubeSource:
    return YouTubeSource(
        chat, client, api_base=yt.url, api_key="test-key", min_interval=0.0, quota_wait=lambda: 4321.0
    )


async def test_pages_follow_tokens_and_a_restart_resumes_from_the_saved_token(
    live: LiveServer, yt: YouTubeStandIn, tmp_path: Path
) -> None:
    show = live.show()
    yt.pages = [
        [text_item(1, "Вопрос: будет ли запись эфира?"), super_chat(2, "Спасибо! Вопрос гостю: когда?")],
        [text_item(3, "Сұрақ: жол қашан ашылады?")],
    ]
    token, state, sleeps = live.token("ingest"), tmp_path / "yt.json", Sleeps()
    async with httpx.AsyncClient() as client:
        assert await worker(source(yt, client), live, token, state, client, sleeps).run(max_polls=1) == 0
    assert json.loads(state.read_text())["cursor"] == {"page_token": "tok1"}
    async with httpx.AsyncClient() as client:
        assert await worker(source(yt, client), live, token, state, client, sleeps).run(max_polls=2) == 0
    assert [r.query.get("pageToken") for r in yt.requests] == [None, "tok1", "tok2"]
    assert yt.requests[0].query["part"] == "id,snippet,authorDetails"
    texts = {q["external_id"]: q["text_original"] for q in questions(live, show["id"])}
    assert texts == {
        "LCC.TEXT1": "Вопрос: будет ли запись эфира?",
        "LCC.SUPER2": "Спасибо! Вопрос гостю: когда?",  # the user's comment, not displayMessage
        "LCC.TEXT3": "Сұрақ: жол қашан ашылады?",
    }
    assert 3.0 in sleeps.asked  # pollingIntervalMillis honoured


async def test_deleted_and_retracted_messages_are_withdrawn(
    live: LiveServer, yt: YouTubeStandIn, tmp_path: Path
) -> None:
    live.show()
    yt.pages = [
        [
            text_item(1, "Грубый вопрос"),
            text_item(2, "Передумал"),
            deleted(3, "LCC.TEXT1"),
            deleted(4, "LCC.TEXT2", retracted=True),
        ]
    ]
    async with httpx.AsyncClient() as client:
        await worker(
            source(yt, client), live, live.token("ingest"), tmp_path / "yt.json", client, Sleeps()
        ).run(max_polls=1)
    assert [(w["external_id"], w["reason"]) for w in withdrawals(live)] == [
        ("LCC.TEXT1", "deleted"),
        ("LCC.TEXT2", "retracted"),
    ]


async def test_rate_limit_slows_down_and_quota_waits_for_the_reset(
    live: LiveServer, yt: YouTubeStandIn, tmp_path: Path
) -> None:
    show = live.show()
    yt.pages = [[text_item(1, "Вопрос после ошибок квоты")]]
    yt.errors += [TOO_FAST, QUOTA]
    sleeps = Sleeps()
    async with httpx.AsyncClient() as client:
        w = worker(source(yt, client), live, live.token("ingest"), tmp_path / "yt.json", client, sleeps)
        assert await w.run(max_polls=3) == 0
    assert 4321.0 in sleeps.asked and "quotaExceeded" in (w.stats.last_error or "")
    assert len(questions(live, show["id"])) == 1


@pytest.mark.parametrize(("reply", "code"), [(ENDED, 0), (DISABLED, 2)], ids=["ended", "disabled"])
async def test_ended_chat_finishes_and_disabled_chat_stops(
    live: LiveServer, yt: YouTubeStandIn, tmp_path: Path, reply: object, code: int
) -> None:
    yt.errors.append(reply)  # type: ignore[arg-type]
    async with httpx.AsyncClient() as client:
        w = worker(source(yt, client), live, live.token("ingest"), tmp_path / "yt.json", client, Sleeps())
        assert await w.run(max_polls=5) == code
    assert len(yt.requests) == 1


async def test_unknown_chat_is_terminal(live: LiveServer, yt: YouTubeStandIn, tmp_path: Path) -> None:
    async with httpx.AsyncClient() as client:
        w = worker(
            source(yt, client, chat="nope"),
            live,
            live.token("ingest"),
            tmp_path / "yt.json",
            client,
            Sleeps(),
        )
        assert await w.run(max_polls=5) == 2
    assert "liveChatNotFound" in (w.stats.last_error or "")


def test_quota_reset_is_midnight_pacific() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    at = datetime(2026, 5, 10, 23, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert seconds_to_quota_reset(at) == 3600
