"""The Facebook live-comments worker against a Graph API stand-in: cursors, missing `from`, errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ingest.sources.facebook import FacebookSource

from .conftest import LiveServer
from .standins.graph import BAD_TOKEN, THROTTLED, TOKEN, VIDEO, GraphStandIn, comment
from .worker_kit import Sleeps, questions, worker


@pytest.fixture
def graph() -> Iterator[GraphStandIn]:
    standin = GraphStandIn(page_size=2)
    with standin.running():
        yield standin


def source(graph: GraphStandIn, client: httpx.AsyncClient) -> FacebookSource:
    return FacebookSource(VIDEO, TOKEN, client, api_base=graph.url, interval=0.5, throttle_wait=30)


async def test_follows_cursors_and_resumes_after_the_last_seen_comment(
    live: LiveServer, graph: GraphStandIn, tmp_path: Path
) -> None:
    show = live.show()
    graph.comments = [
        comment(1, "Где купить билеты?"),
        comment(2, "Вопрос акиму: когда свет?", name=None),
        comment(3, "Сұрақ: су қашан болады?"),
    ]
    token, state, sleeps = live.token("ingest"), tmp_path / "fb.json", Sleeps()
    async with httpx.AsyncClient() as client:
        await worker(source(graph, client), live, token, state, client, sleeps).run(max_polls=2)
    assert sleeps.asked == [0.5]  # the next page at once, then the polling interval
    graph.comments.append(comment(4, "Новый вопрос после перезапуска"))
    async with httpx.AsyncClient() as client:  # restarted: resumes after comment 3
        await worker(source(graph, client), live, token, state, client, sleeps).run(max_polls=2)
    stored = {q["external_id"]: q for q in questions(live, show["id"])}
    assert len(stored) == 4 and len(graph.requests) == 4
    anonymous = stored[f"{VIDEO}_911937292330002"]
    assert anonymous["author"]["name"] is None and anonymous["text_original"] == "Вопрос акиму: когда свет?"
    assert (
        graph.requests[0].query["order"] == "chronological" and graph.requests[0].query["filter"] == "stream"
    )


async def test_throttling_waits_and_a_bad_token_stops(
    live: LiveServer, graph: GraphStandIn, tmp_path: Path
) -> None:
    show = live.show()
    graph.comments = [comment(1, "Вопрос после паузы")]
    graph.errors += [THROTTLED]
    sleeps = Sleeps()
    async with httpx.AsyncClient() as client:
        w = worker(source(graph, client), live, live.token("ingest"), tmp_path / "fb.json", client, sleeps)
        assert await w.run(max_polls=2) == 0
        assert 30 in sleeps.asked and len(questions(live, show["id"])) == 1
        graph.errors += [BAD_TOKEN]
        assert await w.run(max_polls=3) == 2
    assert "#190" in (w.stats.last_error or "")
