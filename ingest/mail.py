"""E-mail (RFC 5322 bytes, as IMAP `BODY.PEEK[]` returns them) → a message, or None for mail to skip.

Mail is read as a mail client shows it: the text part (or the HTML one, as text); a `multipart` whose
boundary is missing or wrong by the lines that really separate its parts (or, with none, as one text);
a forward (`message/rfc822`, attached or the whole mail, or pasted under a "Forwarded message" line) by
the forwarded text under the forwarder's own words, from the forwarder; every charset Python knows,
with a UTF-8 body under a wrong label read as UTF-8; headers with raw 8-bit bytes decoded as far as
they can be. Autoresponders, bounces, mailing-list posts and digests are skipped (CHANNELS.md §5.2).
The question is the resident's own text with quoted replies and signatures cut; `external_id` is the
Message-ID, or a hash of sender, date and text when there is none. Bytes that are no e-mail at all
raise `Unreadable`; `read` turns that into a dead letter.
"""

from __future__ import annotations

import email
import hashlib
import re
from datetime import datetime
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, MIMEPart
from email.utils import getaddresses, parsedate_to_datetime

from schemas import Author, Media, Message

from .batch import Batch, Unreadable, clip
from .mailtext import decode_body, forwarded_part, html_to_text, strip_quotes
from .quarantine import guarded

_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk", "auto_reply"})
_AUTO_SUBJECT = re.compile(
    r"^\s*(?:auto(?:matic)?[ -]?reply|autoreply|out of (?:the )?office|автоответ|автоматический ответ|"
    r"нет на месте|вне офиса|в отпуске|undeliverable|delivery status notification|"
    r"недоставленное сообщение|автожауап)", re.IGNORECASE)
_DIGEST_SUBJECT = re.compile(r"\bdigest\b.*(?:vol(?:ume)?\.?\s*\d+|#\s*\d+)|дайджест", re.IGNORECASE)
_LIST_HEADERS = ("list-id", "list-unsubscribe", "list-post", "list-help", "list-subscribe", "list-archive",
                 "mailing-list", "x-mailing-list", "x-mailman-version", "feedback-id", "x-autoreply",
                 "x-autorespond")
_ROBOT_SENDER = re.compile(r"^(?:owner-|mailer-daemon@|postmaster@)|-(?:request|admin|bounces?|owner)(?:\+|@)",
                           re.IGNORECASE)
_GENERIC_SUBJECT = re.compile(r"^\s*(?:(?:re|fw|fwd|ответ|отв)\s*:\s*)*$", re.IGNORECASE)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fw|fwd|пересл|переслано)\s*:", re.IGNORECASE)
_MEDIA = {"image": "image", "audio": "audio", "video": "video"}
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:", re.MULTILINE)
_SURROGATES = re.compile("[\udc80-\udcff]")


def read(raw: bytes) -> Batch:
    """One mail as a batch: its question, nothing (skipped), or a dead letter when it cannot be read."""
    out = Batch()

    def add() -> None:
        message = parse(raw)
        if message is None:
            out.ignored += 1
        else:
            out.add(message)

    guarded(out, "email", raw, add)
    return out


def parse(raw: bytes) -> Message | None:
    if not _HEADER_LINE.search(raw.lstrip()[:2000]):
        raise Unreadable("not an e-mail: no header lines")
    msg = _message(raw)
    if skip_reason(msg):
        return None
    name, address = _sender(msg, "from")
    text = _text(msg)
    subject = header(msg, "subject").strip()
    if not text and not _GENERIC_SUBJECT.match(subject) and not _FORWARD_SUBJECT.match(subject):
        text = subject  # a question written in the subject line only
    media = None if text else _attachment(msg)
    if not text and media is None:
        return None
    sent_at = _date(msg)
    return Message(channel="email", external_id=_external_id(msg, address, sent_at, text),
                   author=Author(name=clip_name(name), contact=clip_name(address)), text=clip(text),
                   sent_at=sent_at, media=media)


def skip_reason(msg: EmailMessage) -> str | None:
    """Why this mail is not a resident's question (autoresponder, bounce, list, digest), or None."""
    auto = header(msg, "auto-submitted").strip().lower()
    if auto and auto != "no":
        return "auto-submitted"
    suppress = header(msg, "x-auto-response-suppress").lower()
    if any(v in suppress for v in ("dr", "autoreply", "all")):
        return "x-auto-response-suppress"
    for name in _LIST_HEADERS:
        if msg.get(name) is not None:
            return name
    if header(msg, "precedence").strip().lower() in _BULK_PRECEDENCE:
        return "precedence"
    if header(msg, "return-path").strip() == "<>" or msg.get_content_type() == "multipart/report":
        return "bounce"
    if any(part.get_content_type() == "multipart/digest" for part in msg.walk()):
        return "digest"
    if any(_ROBOT_SENDER.search(_sender(msg, h)[1] or "") for h in ("from", "sender")):
        return "robot sender"
    subject = header(msg, "subject")
    if _AUTO_SUBJECT.match(subject):
        return "subject"
    if _DIGEST_SUBJECT.search(subject):
        return "digest"
    return None


def header(msg: EmailMessage, name: str) -> str:
    """A header decoded as far as it goes: raw 8-bit bytes by the most plausible charset, RFC 2047 words
    joined before decoding (a character split across two survives), never an exception."""
    raw = next((str(v) for k, v in msg.raw_items() if k.lower() == name), "")
    if _SURROGATES.search(raw):  # 8-bit bytes the parser could not decode
        raw = decode_body(raw.encode("utf-8", "surrogateescape"), None)
    raw = raw.replace("\r", "").replace("\n", "")
    try:
        return str(make_header(decode_header(raw)))
    except (LookupError, UnicodeError, ValueError, AssertionError):
        return raw


def clip_name(value: str | None) -> str | None:
    return value[:200] if value else None


def _message(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _sender(msg: EmailMessage, name: str) -> tuple[str | None, str | None]:
    pairs = getaddresses([header(msg, name)])
    if not pairs:
        return None, None
    display, address = pairs[0]
    return (display.strip() or None), (address.strip().lower() or None)


def _text(msg: EmailMessage, depth: int = 0) -> str:
    """What the resident wrote, with the text of a message they forwarded under it."""
    msg = _repaired(msg)
    inner = _forwarded(msg) if depth < 3 else None
    own = "" if msg.get_content_type() == "message/rfc822" else _own_text(msg)
    forwarded = _text(inner, depth + 1) if inner is not None else ""
    return "\n\n".join(t for t in (own, forwarded) if t)


def _own_text(msg: EmailMessage) -> str:
    """The body's text part: the writer's words, and what they pasted under a "Forwarded message" line."""
    try:
        part = msg.get_body(preferencelist=("plain", "html"))
    except (KeyError, IndexError, AttributeError):  # structures the library trips on
        part = None
    if part is None and msg.get_content_maintype() == "text":
        part = msg
    if part is None:
        return ""
    before, pasted = forwarded_part(_part_text(part))
    return "\n\n".join(t for t in (strip_quotes(before), strip_quotes(pasted)) if t)


def _part_text(part: MIMEPart) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    text = decode_body(data, part.get_content_charset())
    return html_to_text(text) if part.get_content_subtype() == "html" else text


def _forwarded(msg: EmailMessage) -> EmailMessage | None:
    """The forwarded message: the whole mail as `message/rfc822`, or one attached."""
    parts = [msg] if msg.get_content_type() == "message/rfc822" else list(msg.walk())
    for part in parts:
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], EmailMessage):
                return payload[0]
            if isinstance(payload, str) and payload.strip():  # a forward the parser left as text
                return _message(payload.encode("utf-8", "surrogateescape"))
    return None


def _repaired(msg: EmailMessage) -> EmailMessage:
    """A `multipart` whose declared boundary is missing or not in the body, or a single part that declares
    one and holds parts: re-read with the boundary its separator lines really use."""
    declared = msg.get_param("boundary")
    broken_multipart = msg.get_content_maintype() == "multipart" and not msg.is_multipart()
    if not broken_multipart and not (declared and msg.get_content_maintype() == "text"):
        return msg
    body = msg.get_payload(decode=True)  # the body's bytes, transfer encoding undone
    if not isinstance(body, bytes):
        return msg
    found = _separator(body.decode("latin-1"))
    if found is None:
        if not broken_multipart:
            return msg
        # no parts at all: the body is the text, as a mail client shows it
        charset = re.sub(r"[^\w.:-]", "", msg.get_content_charset() or "") or "utf-8"
        head = f'Content-Type: text/plain; charset="{charset}"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'
    else:
        head = f'Content-Type: multipart/mixed; boundary="{found}"\r\n\r\n'
    return _message(head.encode("latin-1") + body)


def _separator(body: str) -> str | None:
    """The boundary of the first `--boundary` line that a part's header follows."""
    lines = body.splitlines()
    for i, line in enumerate(lines[:-1]):
        m = re.fullmatch(r"--([^\s\"]{1,70}?)(--)?\s*", line)
        if m and not m.group(2) and re.match(r"(?i)content-[a-z-]+:", lines[i + 1]):
            return m.group(1)
    return None


def _attachment(msg: EmailMessage) -> Media | None:
    for i, part in enumerate(msg.iter_attachments()):
        kind = _MEDIA.get(part.get_content_maintype())
        if kind is not None:
            name = part.get_filename() or f"part-{i}"
            return Media(kind=kind, id=name[:500], mime_type=part.get_content_type()[:200])
    return None


def _date(msg: EmailMessage) -> datetime | None:
    try:
        value = parsedate_to_datetime(header(msg, "date"))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return value if value.tzinfo else None


def _external_id(msg: EmailMessage, address: str | None, sent_at: datetime | None, text: str) -> str:
    message_id = header(msg, "message-id").strip().strip("<>").strip()
    if message_id:
        return message_id[:500]
    basis = f"{address}\0{sent_at.isoformat() if sent_at else ''}\0{' '.join(text.split())}"
    return "sha256:" + hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()
