"""The public web form `/ask/{show}`: a plain page, one question per submission, honeypot, rate limit."""

from __future__ import annotations

import re
from typing import Any

import httpx

from server import webhooks
from server.store.base import QuestionFilter

from .conftest import LiveServer


def questions(live: LiveServer, show_id: int) -> list[dict[str, Any]]:
    return live.call(live.efir.store.list_questions(show_id, QuestionFilter(limit=1000)))


def form_token(page: str) -> str:
    match = re.search(r'name="token" value="([0-9a-f]{32})"', page)
    assert match
    return match.group(1)


def test_page_is_plain_html_without_inline_script_or_style(live: LiveServer) -> None:
    show = live.show(title="Аким Алмалинского района <отвечает>")
    r = httpx.get(f"{live.url}/ask/{show['id']}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<script" not in page and "<style" not in page and "style=" not in page
    assert 'href="/ui/ask.css"' in page and "&lt;отвечает&gt;" in page
    assert httpx.get(f"{live.url}/ui/ask.css").status_code == 200
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_submission_is_stored_once_even_when_posted_twice(live: LiveServer) -> None:
    show = live.show()
    client = httpx.Client(base_url=live.url)
    token = form_token(client.get(f"/ask/{show['id']}").text)
    fields = {
        "token": token,
        "question": "Когда отремонтируют лифт в доме 12 по Абая?",
        "name": "Гульнара",
        "phone": "8 (701) 555-12-34",
        "website": "",
    }
    for _ in range(2):
        r = client.post(f"/ask/{show['id']}", data=fields)
        assert r.status_code == 303 and r.headers["location"] == f"/ask/{show['id']}?sent=1"
    [q] = questions(live, show["id"])
    assert q["channel"] == "web" and q["author"]["contact"] == "+77015551234"
    thanks = client.get(r.headers["location"]).text
    assert "Спасибо" in thanks and "лифт" not in thanks  # the page never shows what the viewer sent


def test_honeypot_looks_like_success_but_stores_nothing(live: LiveServer) -> None:
    show = live.show()
    r = httpx.post(
        f"{live.url}/ask/{show['id']}",
        data={"question": "Buy cheap followers now!!!", "website": "http://spam.example"},
    )
    assert r.status_code == 303
    assert questions(live, show["id"]) == []


def test_too_short_question_shows_an_error_and_keeps_nothing(live: LiveServer) -> None:
    show = live.show()
    r = httpx.post(f"{live.url}/ask/{show['id']}", data={"question": "ы"})
    assert r.status_code == 422 and 'role="alert"' in r.text
    assert questions(live, show["id"]) == []


def test_a_client_is_rate_limited(live: LiveServer) -> None:
    show = live.show()
    webhooks.rate_limit(live.efir).count = 3
    codes = [
        httpx.post(
            f"{live.url}/ask/{show['id']}", data={"question": f"Вопрос номер {i} про дороги"}
        ).status_code
        for i in range(4)
    ]
    assert codes == [303, 303, 303, 429]
    assert len(questions(live, show["id"])) == 3


def test_ended_or_missing_show_takes_no_questions(live: LiveServer) -> None:
    show = live.show()
    live.call(live.efir.store.update_show(show["id"], {"status": "ended"}, "test"))
    assert httpx.get(f"{live.url}/ask/{show['id']}").status_code == 404
    assert httpx.post(f"{live.url}/ask/99999", data={"question": "Вопрос про воду"}).status_code == 404
