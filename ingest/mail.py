"""E-mail (RFC 5322 bytes, as IMAP `BODY.PEEK[]` returns them) → a message, or None for mail to skip.

Autoresponders, bounces and bulk mail are skipped (CHANNELS.md §5.2); the question is the
resident's own text with quoted replies and signatures cut; `external_id` is the Message-ID, or a
hash of sender, date and text when there is none.
"""

from __future__ import annotations

import email
import hashlib
import re
from datetime import datetime
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

from schemas import Author, Media, Message

from .batch import clip
from .mailtext import decode_body, html_to_text, strip_quotes

_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk", "auto_reply"})
_AUTO_SUBJECT = re.compile(
    r"^\s*(?:auto(?:matic)?[ -]?reply|autoreply|out of (?:the )?office|автоответ|автоматический ответ|"
    r"нет на месте|вне офиса|в отпуске|undeliverable|delivery status notification|"
    r"недоставленное сообщение|автожауап)", re.IGNORECASE)
_GENERIC_SUBJECT = re.compile(r"^\s*(?:(?:re|fw|fwd|ответ|отв)\s*:\s*)*$", re.IGNORECASE)
_MEDIA = {"image": "image", "audio": "audio", "video": "video"}


def parse(raw: bytes) -> Message | None:
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    if skip_reason(msg):
        return None
    name, address = _sender(msg)
    text = _text(msg)
    subject = str(msg.get("subject", "") or "").strip()
    if not text and not _GENERIC_SUBJECT.match(subject):
        text = subject  # a question written in the subject line only
    media = None if text else _attachment(msg)
    if not text and media is None:
        return None
    sent_at = _date(msg)
    return Message(channel="email", external_id=_external_id(msg, address, sent_at, text),
                   author=Author(name=name, contact=address), text=clip(text), sent_at=sent_at, media=media)


def skip_reason(msg: EmailMessage) -> str | None:
    """Why this mail is not a resident's question (autoresponder, bounce, list), or None."""
    auto = str(msg.get("auto-submitted", "") or "").strip().lower()
    if auto and auto != "no":
        return "auto-submitted"
    suppress = str(msg.get("x-auto-response-suppress", "") or "").lower()
    if any(v in suppress for v in ("dr", "autoreply", "all")):
        return "x-auto-response-suppress"
    for header in ("list-id", "list-unsubscribe", "feedback-id", "x-autoreply", "x-autorespond"):
        if msg.get(header) is not None:
            return header
    if str(msg.get("precedence", "") or "").strip().lower() in _BULK_PRECEDENCE:
        return "precedence"
    if str(msg.get("return-path", "") or "").strip() == "<>" or msg.get_content_type() == "multipart/report":
        return "bounce"
    if _AUTO_SUBJECT.match(str(msg.get("subject", "") or "")):
        return "subject"
    return None


def _sender(msg: EmailMessage) -> tuple[str | None, str | None]:
    raw = next((str(v) for k, v in msg.raw_items() if k.lower() == "from"), "")
    try:
        # make_header joins adjacent encoded words before decoding: a character split across two survives
        decoded = str(make_header(decode_header(raw.replace("\r", "").replace("\n", ""))))
    except (LookupError, UnicodeError, ValueError):
        decoded = str(msg.get("from", "") or "")
    pairs = getaddresses([decoded])
    if not pairs:
        return None, None
    name, address = pairs[0]
    return (name.strip() or None), (address.strip().lower() or None)


def _text(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    text = decode_body(data, part.get_content_charset())
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return strip_quotes(text)


def _attachment(msg: EmailMessage) -> Media | None:
    for i, part in enumerate(msg.iter_attachments()):
        kind = _MEDIA.get(part.get_content_maintype())
        if kind is not None:
            name = part.get_filename() or f"part-{i}"
            return Media(kind=kind, id=name[:500], mime_type=part.get_content_type())
    return None


def _date(msg: EmailMessage) -> datetime | None:
    try:
        value = parsedate_to_datetime(str(msg.get("date", "")))
    except (TypeError, ValueError, IndexError):
        return None
    return value if value.tzinfo else None


def _external_id(msg: EmailMessage, address: str | None, sent_at: datetime | None, text: str) -> str:
    message_id = str(msg.get("message-id", "") or "").strip().strip("<>").strip()
    if message_id:
        return message_id[:500]
    basis = f"{address}\0{sent_at.isoformat() if sent_at else ''}\0{' '.join(text.split())}"
    return "sha256:" + hashlib.sha256(basis.encode()).hexdigest()
