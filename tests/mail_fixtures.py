"""A fixture mailbox of real-world-shaped mail: legacy charsets, split encoded words, HTML-only,
a Russian quoted reply, an out-of-office and a mailing-list post (CHANNELS.md §5.2)."""

from __future__ import annotations

import base64
import quopri


def _qp(text: str, charset: str) -> bytes:
    return quopri.encodestring(text.encode(charset))


def _b64(text: str, charset: str) -> bytes:
    return base64.encodebytes(text.encode(charset))


CP1251_QP = (
    b"From: =?windows-1251?B?yOLg7SDP5fLw7uI=?= <ivan.petrov@mail.kz>\r\n"
    b"To: efir@akimat.example\r\n"
    b"Subject: =?windows-1251?B?wu7v8O7x?=\r\n"
    b"Date: Tue, 10 Nov 2026 19:55:01 +0500\r\n"
    b"Message-ID: <cp1251-qp-1@mail.kz>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=windows-1251\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    + _qp("Вопрос акиму: когда отремонтируют дорогу на улице Жандосова?\r\n", "cp1251")
)

KOI8_B64 = (
    b"From: =?koi8-r?B?88XSx8XKIPPNydLOz9c=?= <smirnov@yandex.ru>\r\n"
    b"Subject: =?koi8-r?B?98/Q0s/T?=\r\n"
    b"Date: Tue, 10 Nov 2026 19:56:00 +0600\r\n"
    b"Message-ID: <koi8-b64-2@yandex.ru>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: text/plain; charset="koi8-r"\r\n'
    b"Content-Transfer-Encoding: base64\r\n\r\n"
    + _b64("Почему нет горячей воды в Орбите-3 уже неделю?\r\n", "koi8-r")
)


def split_words(text: str, cut: int) -> bytes:
    """Two adjacent encoded words that split one UTF-8 character between them, as Outlook writes them."""
    data = text.encode()
    assert data[cut - 1] >= 0xC0 or data[cut] & 0xC0 == 0x80, "the cut must fall inside a character"
    first, second = (base64.b64encode(part).decode() for part in (data[:cut], data[cut:]))
    return f"=?utf-8?B?{first}?=\r\n =?utf-8?B?{second}?=".encode()


SPLIT_SUBJECT = "Сәлеметсіз бе! Бостандық ауданында балабақша қашан ашылады?"
SPLIT_WORDS = (
    b"From: " + split_words("Айгерим Нурланова", 5) + b" <aigerim@gmail.com>\r\n"
    b"Subject: " + split_words(SPLIT_SUBJECT, 22) + b"\r\n"
    b"Date: Tue, 10 Nov 2026 20:01:00 +0600\r\n"
    b"Message-ID: <split-words-3@gmail.com>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n\r\n"
    b"\r\n"
)

HTML_ONLY = (
    b"From: Erlan <erlan@outlook.com>\r\n"
    b"Subject: =?utf-8?Q?=D0=92=D0=BE=D0=BF=D1=80=D0=BE=D1=81?=\r\n"
    b"Date: Tue, 10 Nov 2026 20:02:00 +0600\r\n"
    b"Message-ID: <html-only-4@outlook.com>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/alternative; boundary="b1"\r\n\r\n'
    b"--b1\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    + _b64(
        "<html><head><style>p{color:red}</style></head><body><p>Когда&nbsp;построят "
        '<b>подземный переход</b> у&nbsp;ТРЦ&nbsp;Мега?</p><div id="divRplyFwdMsg">'
        "<b>От:</b> Akimat</div><div>старое письмо</div></body></html>",
        "utf-8",
    )
    + b"--b1--\r\n"
)

QUOTED_REPLY = (
    b"From: =?utf-8?B?0JzQsNGA0LDRgg==?= <marat@mail.ru>\r\n"
    b"Subject: Re: =?utf-8?B?0J7RgtCy0LXRgg==?=\r\n"
    b"Date: Tue, 10 Nov 2026 20:03:00 +0600\r\n"
    b"Message-ID: <quoted-reply-5@mail.ru>\r\n"
    b"In-Reply-To: <answer-1@akimat.example>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    + _qp(
        "Спасибо за ответ. А когда начнут работы по освещению во дворе?\r\n"
        "\r\n"
        "-- \r\n"
        "С уважением, Марат\r\n"
        "+7 701 000 00 00\r\n"
        "\r\n"
        "10 нояб. 2026 г., 18:00 Акимат <efir@akimat.example>\r\nнаписал(а):\r\n"
        "> Уважаемый Марат, ваш вопрос передан.\r\n",
        "utf-8",
    )
)

OUT_OF_OFFICE = (
    b"From: Dana <dana@company.kz>\r\n"
    b"Subject: =?utf-8?B?0JDQstGC0L7QvtGC0LLQtdGCOiDQvdC10YIg0L3QsCDQvNC10YHRgtC1?=\r\n"
    b"Date: Tue, 10 Nov 2026 20:04:00 +0600\r\n"
    b"Message-ID: <ooo-6@company.kz>\r\n"
    b"Auto-Submitted: auto-replied\r\n"
    b"Precedence: bulk\r\n"
    b"X-Autoreply: yes\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + "Я в отпуске до 20 ноября.\r\n".encode()
)

MAILING_LIST = (
    b"From: News <news@portal.kz>\r\n"
    b"Subject: =?utf-8?B?0J3QvtCy0L7RgdGC0Lg=?=\r\n"
    b"Date: Tue, 10 Nov 2026 20:05:00 +0600\r\n"
    b"Message-ID: <list-7@portal.kz>\r\n"
    b"List-Id: <news.portal.kz>\r\n"
    b"List-Unsubscribe: <mailto:unsubscribe@portal.kz>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    + "Главные новости недели: когда откроют новую ветку метро?\r\n".encode()
)

KZ1048_NO_ID = (
    b"From: =?kz1048?Q?=C0=F1=E5=EB?= <asel@mail.kz>\r\n"
    b"Subject: Question\r\n"
    b"Date: Tue, 10 Nov 2026 20:06:00 +0600\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n\r\n" + "Қашан жарық береді? Әлі жоқ.\r\n".encode("kz1048")
)

MAILBOX = [
    CP1251_QP,
    KOI8_B64,
    SPLIT_WORDS,
    HTML_ONLY,
    QUOTED_REPLY,
    OUT_OF_OFFICE,
    MAILING_LIST,
    KZ1048_NO_ID,
]

EXPECTED = {
    "cp1251-qp-1@mail.kz": ("Иван Петров", "Вопрос акиму: когда отремонтируют дорогу на улице Жандосова?"),
    "koi8-b64-2@yandex.ru": ("Сергей Смирнов", "Почему нет горячей воды в Орбите-3 уже неделю?"),
    "split-words-3@gmail.com": ("Айгерим Нурланова", SPLIT_SUBJECT),  # asked in the subject line only
    "html-only-4@outlook.com": ("Erlan", "Когда построят подземный переход у ТРЦ Мега?"),
    "quoted-reply-5@mail.ru": ("Марат", "Спасибо за ответ. А когда начнут работы по освещению во дворе?"),
}
KZ1048_TEXT = "Қашан жарық береді? Әлі жоқ."
