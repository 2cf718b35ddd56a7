"""E-mail read as mail clients read it: broken multipart, forwards, HTML-only mail, digests and list mail,
every charset Python knows, and headers with raw 8-bit bytes."""

from __future__ import annotations

import base64
import quopri

import pytest

from ingest import mail

HEAD = (b"From: =?utf-8?B?" + base64.b64encode("Дана Ержанова".encode()) + b"?= <dana@mail.kz>\r\n"
        b"To: efir@akimat.example\r\nSubject: =?utf-8?B?" + base64.b64encode("Вопрос в эфир".encode()) +
        b"?=\r\nDate: Tue, 24 Nov 2026 19:40:00 +0500\r\nMessage-ID: <read-1@mail.kz>\r\nMIME-Version: 1.0\r\n")
QUESTION = "Когда в Алмалинском районе дадут отопление?"


def one(raw: bytes) -> tuple[str | None, str]:
    batch = mail.read(raw)
    assert not batch.dead, batch.dead
    [m] = batch.messages
    return m.author.name, m.text


def test_multipart_without_a_boundary_is_read_as_its_text_not_its_subject() -> None:
    raw = HEAD + b"Content-Type: multipart/alternative;\r\n\r\n" + QUESTION.encode() + b"\r\n"
    assert one(raw) == ("Дана Ержанова", QUESTION)


def test_multipart_whose_declared_boundary_is_not_the_one_used() -> None:
    body = (b"--real-sep\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + QUESTION.encode() +
            b"\r\n--real-sep\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML</p>\r\n--real-sep--\r\n")
    raw = HEAD + b'Content-Type: multipart/alternative; boundary="declared-sep"\r\n\r\n' + body
    assert one(raw)[1] == QUESTION


def forwarded(text: str) -> bytes:
    return (b"From: =?utf-8?B?" + base64.b64encode("Сосед Болат".encode()) + b"?= <bolat@mail.kz>\r\n"
            b"Subject: Lift\r\nDate: Mon, 23 Nov 2026 10:00:00 +0500\r\nMessage-ID: <inner@mail.kz>\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + text.encode() + b"\r\n")


def test_a_forward_as_the_whole_mail_is_the_forwarded_text_from_the_forwarder() -> None:
    raw = HEAD + b"Content-Type: message/rfc822\r\n\r\n" + forwarded("Лифт в доме 12 не работает месяц.")
    assert one(raw) == ("Дана Ержанова", "Лифт в доме 12 не работает месяц.")


def test_a_forward_attached_keeps_the_forwarders_note_above_it() -> None:
    raw = (HEAD + b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\n'
           b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + "Прошу задать в эфире.".encode() +
           b"\r\n--b1\r\nContent-Type: message/rfc822\r\n\r\n" + forwarded("Лифт в доме 12 не работает месяц.") +
           b"--b1--\r\n")
    assert one(raw)[1] == "Прошу задать в эфире.\n\nЛифт в доме 12 не работает месяц."


def test_a_forward_pasted_inline_is_kept_not_cut_as_a_quote() -> None:
    body = ("Переслала от мамы.\r\n\r\n---------- Forwarded message ---------\r\nОт: Мама <mama@mail.kz>\r\n"
            "Date: Mon, 23 Nov 2026\r\nSubject: вода\r\nTo: Дана <dana@mail.kz>\r\n\r\n"
            "Третий день нет холодной воды на Сатпаева 30.\r\n")
    raw = HEAD + b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.encode()
    assert one(raw)[1] == "Переслала от мамы.\n\nТретий день нет холодной воды на Сатпаева 30."


def test_html_only_mail_in_a_legacy_charset() -> None:
    html = "<html><body><p>Когда откроют&nbsp;школу?</p><div class=gmail_quote>старое</div></body></html>"
    raw = (HEAD + b"Content-Type: text/html; charset=windows-1251\r\nContent-Transfer-Encoding: quoted-printable"
           b"\r\n\r\n" + quopri.encodestring(html.encode("cp1251")))
    assert one(raw)[1] == "Когда откроют школу?"


@pytest.mark.parametrize("extra", [
    b"X-Mailman-Version: 2.1.39\r\n",
    b"List-Post: <mailto:residents@lists.example>\r\n",
    b"Sender: residents-request@lists.example\r\n",
])
def test_list_mail_is_skipped_like_auto_replies(extra: bytes) -> None:
    raw = HEAD + extra + b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + QUESTION.encode()
    batch = mail.read(raw)
    assert not batch.messages and batch.ignored == 1


def test_a_digest_is_not_a_question() -> None:
    raw = (b"From: residents-request@lists.example\r\nSubject: Residents digest, Vol 3, Issue 7\r\n"
           b"Message-ID: <digest@lists.example>\r\n"
           b'Content-Type: multipart/mixed; boundary="d"\r\n\r\n--d\r\nContent-Type: text/plain\r\n\r\n'
           b"Today's Topics:\r\n--d\r\nContent-Type: multipart/digest; boundary=\"e\"\r\n\r\n--e\r\n\r\n"
           b"From: a@b.kz\r\nSubject: q\r\n\r\nText\r\n--e--\r\n--d--\r\n")
    assert mail.read(raw).ignored == 1
    plain = raw.replace(b"From: residents-request@lists.example", b"From: editor@news.example")
    assert mail.read(plain).ignored == 1  # the multipart/digest part alone gives it away


@pytest.mark.parametrize(("charset", "text"), [
    ("iso-2022-jp", "東京から質問です"),
    ("utf-16", "Қашан жарық береді?"),
    ("gb2312", "请问什么时候修路"),
    ("kz1048", "Қашан жарық береді?"),
    ("iso-8859-5", QUESTION),
    ("cp866", QUESTION),
    ("koi8-u", "Коли буде світло?"),
])
def test_every_charset_python_knows(charset: str, text: str) -> None:
    raw = (HEAD + f"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           .encode() + base64.encodebytes(text.encode(charset)))
    assert one(raw)[1] == text


def test_utf8_under_a_wrong_label_and_an_unknown_label() -> None:
    for label in (b"koi8-r", b"x-no-such-charset"):
        raw = HEAD + b"Content-Type: text/plain; charset=" + label + b"\r\n\r\n" + QUESTION.encode()
        assert one(raw)[1] == QUESTION


@pytest.mark.parametrize(("sender", "name"), [
    ("Әсем Жұмабаева".encode() + b" <asem@mail.kz>", "Әсем Жұмабаева"),  # raw UTF-8
    ("Иван Петров".encode("cp1251") + b" <ivan@mail.kz>", "Иван Петров"),  # raw cp1251
    ("Юникод".encode() + b"\xd0 <cut@mail.kz>", "Юникод"),  # UTF-8 cut inside a character
    (b"=?x-unknown?B?AAAA?= <odd@mail.kz>", None),  # an encoded word in a charset nobody knows
])
def test_broken_headers_are_decoded_as_far_as_possible(sender: bytes, name: str | None) -> None:
    raw = (b"From: " + sender + b"\r\nSubject: \xd0\x92\xd0\xbe\xd0\xbf\xd1\x80\xd0\xbe\xd1\x81\r\n"
           b"Message-ID: <8bit-\xd0\xb9@mail.kz>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           + QUESTION.encode())
    batch = mail.read(raw)
    [m] = batch.messages
    assert m.text == QUESTION and m.external_id == "8bit-й@mail.kz"
    if name is not None:
        assert m.author.name == name


def test_bytes_that_are_no_mail_become_a_dead_letter() -> None:
    batch = mail.read("просто текст без заголовков".encode())
    assert not batch.messages and [d.reason for d in batch.dead] == ["not an e-mail: no header lines"]
