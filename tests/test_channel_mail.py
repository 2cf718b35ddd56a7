"""The e-mail adapter: what is skipped, what is cut, which charset wins."""

from __future__ import annotations

import pytest

from ingest import mail
from ingest.mailtext import decode_body, html_to_text, strip_quotes

from .mail_fixtures import MAILBOX


def _mail(headers: str, body: str = "Вопрос про отопление в Алмалинском районе") -> bytes:
    return (
        f"From: Resident <r@mail.kz>\r\nSubject: Вопрос\r\nMessage-ID: <m1@mail.kz>\r\n{headers}"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


@pytest.mark.parametrize(
    "header",
    [
        "Auto-Submitted: auto-generated\r\n",
        "Auto-Submitted: auto-notified\r\n",
        "X-Auto-Response-Suppress: All\r\n",
        "List-Unsubscribe: <mailto:u@x>\r\n",
        "Feedback-ID: 1:2:3\r\n",
        "Precedence: junk\r\n",
        "X-Autorespond: yes\r\n",
        "Return-Path: <>\r\n",
    ],
)
def test_autoresponders_and_bulk_mail_are_skipped(header: str) -> None:
    assert mail.parse(_mail(header)) is None


def test_auto_submitted_no_and_ordinary_mail_are_kept() -> None:
    assert mail.parse(_mail("Auto-Submitted: no\r\n")) is not None


@pytest.mark.parametrize(
    "subject", ["Автоматический ответ: Вопрос", "Out of Office AutoReply: Вопрос", "Автоответ: нет на месте"]
)
def test_exchange_autoreplies_without_headers_are_caught_by_subject(subject: str) -> None:
    raw = _mail("").replace("Subject: Вопрос".encode(), f"Subject: {subject}".encode())
    assert mail.parse(raw) is None


@pytest.mark.parametrize(
    "reply",
    [
        "Вт, 10 нояб. 2026 в 18:00, Акимат <efir@akimat.example> пишет:\n> старое",
        "-----Исходное сообщение-----\nОт: Акимат\nстарое",
        "От: Акимат <efir@akimat.example>\nОтправлено: 10 ноября 2026 г. 18:00\nКому: r@mail.kz\nстарое",
        "On Tue, Nov 10, 2026 at 6:00 PM Akimat <efir@akimat.example> wrote:\n> old",
        "Отправлено с iPhone",
    ],
)
def test_quoted_replies_and_signatures_are_cut(reply: str) -> None:
    assert strip_quotes(f"Когда уберут снег во дворе?\n\n{reply}") == "Когда уберут снег во дворе?"


def test_html_quotes_and_styles_are_left_out() -> None:
    html = (
        '<div dir="ltr">Когда&nbsp;откроют <b>школу</b>?<br></div><div class="gmail_quote">'
        "<div>пт, 6 нояб. 2026 г. написал:</div><blockquote>старое</blockquote></div><style>x{}</style>"
    )
    assert html_to_text(html) == "Когда откроют школу?"


@pytest.mark.parametrize(
    ("text", "declared"),
    [
        ("Почему нет света на Саина?", "koi8-r"),
        ("Почему нет света на Саина?", None),
        ("Почему нет света на Саина?", "windows-1251"),
        ("Қашан жарық береді?", None),
    ],
)
def test_charset_is_repaired_when_the_label_lies_or_is_missing(text: str, declared: str | None) -> None:
    for codec in ("utf-8", "cp1251", "koi8-r", "kz1048"):
        try:
            data = text.encode(codec)
        except UnicodeEncodeError:
            continue  # Kazakh letters do not exist in cp1251/KOI8-R
        assert decode_body(data, declared) == text, codec


def test_every_fixture_mail_has_a_stable_id() -> None:
    first = [m.external_id if m else None for m in map(mail.parse, MAILBOX)]
    assert first == [m.external_id if m else None for m in map(mail.parse, MAILBOX)]
