"""The reply outbox in SQL. Replies are derived from the event log (a cursor over `answered` and resolved
`follow_up` events), so a reply is queued even if the server died right after the answer committed; the
unique `key` (question and reply kind) makes queueing idempotent, and the state machine makes sending
at-most-once:

    pending ──claim──▶ sending ──▶ sent
       ▲                  ├──▶ pending (retry after backoff: the platform refused, nothing was delivered)
       │                  ├──▶ failed  (permanent refusal, or out of attempts)
       │                  └──▶ uncertain (timed out mid-send, or the server stopped mid-send: never resent)
    skipped (withdrawn, opted out, anonymous, replies off for the show, channel without replies)
"""

from __future__ import annotations

from typing import Any

import orjson

from . import questions_tx
from .base import LiveEvent, Question
from .dbapi import Conn
from .rows import now_iso
from .writer import Tx

REPLY_COLUMNS = ("id, key, question_id, show_id, kind, channel, recipient, lang, text, state, attempts, next_at, "
                 "last_error, provider_id, created_at, sent_at")
REPLY_LANGS = ("kk", "ru")
CLOSING = ("resolved", "explained")  # follow-up resolutions the viewer hears back about
DEFAULT_TEMPLATES: dict[tuple[str, str], str] = {
    ("answered", "ru"): "Здравствуйте{name}! Ваш вопрос прозвучал в эфире «{show}». Спасибо, что вы с нами.",
    ("answered", "kk"): ("Сәлеметсіз бе{name}! Сіздің сұрағыңыз «{show}» эфирінде қойылды. "
                         "Бізбен бірге болғаныңызға рахмет."),
    ("resolved", "ru"): "Здравствуйте{name}! По вашему вопросу из эфира «{show}»: {resolution}. {note}",
    ("resolved", "kk"): "Сәлеметсіз бе{name}! «{show}» эфиріндегі сұрағыңыз бойынша: {resolution}. {note}",
}
RESOLUTION_WORDS = {("resolved", "ru"): "вопрос решён", ("explained", "ru"): "даны разъяснения",
                    ("resolved", "kk"): "мәселе шешілді", ("explained", "kk"): "түсініктеме берілді"}
NO_REPLY_CHANNELS = ("youtube", "facebook", "instagram", "sms")  # public comments, or no send API wired


def _event(t: Tx, show_id: int | None, question_id: int | None, kind: str, payload: dict[str, Any]) -> None:
    """An outbox event in the log; one about a question also goes live, so desks' replays and feeds agree."""
    now = _now()
    question_id = question_id or None  # a bot's answer to a command belongs to no question (stored as 0)
    seq = questions_tx.append_event(t, show_id, question_id, kind, "outbox", now, payload)
    question = questions_tx.load(t.conn, question_id) if question_id is not None else None
    if question is not None:
        t.events.append(LiveEvent(seq, show_id, question_id, kind, "outbox", now, question))


def _reply(r: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip([c.strip() for c in REPLY_COLUMNS.split(",")], r, strict=True))


# -- settings, opt-outs, templates ----------------------------------------------------------------

def enabled(conn: Conn, show_id: int | None) -> bool:
    row = conn.execute("SELECT enabled FROM reply_settings WHERE show_id = ?", (show_id,)).fetchone()
    return bool(row[0]) if row else True


def set_enabled(t: Tx, show_id: int, on: bool, actor: str) -> bool:
    t.conn.execute("INSERT INTO reply_settings (show_id, enabled) VALUES (?, ?) "
                   "ON CONFLICT (show_id) DO UPDATE SET enabled = excluded.enabled", (show_id, int(on)))
    questions_tx.append_event(t, show_id, None, "replies_on" if on else "replies_off", actor, _now(), {})
    return on


def opt_out(t: Tx, channel: str, address: str, actor: str) -> int:
    """The viewer asked for no replies: nothing more is sent to them; queued replies are skipped."""
    t.conn.execute("INSERT INTO reply_optouts (channel, address, at) VALUES (?, ?, ?) "
                   "ON CONFLICT (channel, address) DO NOTHING", (channel, address, _now()))
    rows = t.conn.execute("SELECT id FROM outbox WHERE channel = ? AND recipient = ? AND state = 'pending'",
                          (channel, address)).fetchall()
    for (reply_id,) in rows:
        _finish(t, reply_id, "skipped", error="opted_out")
    questions_tx.append_event(t, None, None, "reply_opt_out", actor, _now(), {"channel": channel})
    return len(rows)


def opted_out(conn: Conn, channel: str, address: str | None) -> bool:
    return address is not None and conn.execute("SELECT 1 FROM reply_optouts WHERE channel = ? AND address = ?",
                                                (channel, address)).fetchone() is not None


def templates(conn: Conn) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for (kind, lang), text in DEFAULT_TEMPLATES.items():
        out.setdefault(kind, {})[lang] = text
    for kind, lang, text in conn.execute("SELECT kind, lang, text FROM reply_templates"):
        out.setdefault(kind, {})[lang] = text
    return out


def set_template(t: Tx, kind: str, lang: str, text: str, actor: str) -> dict[str, dict[str, str]]:
    t.conn.execute("INSERT INTO reply_templates (kind, lang, text) VALUES (?, ?, ?) "
                   "ON CONFLICT (kind, lang) DO UPDATE SET text = excluded.text", (kind, lang, text))
    questions_tx.append_event(t, None, None, "reply_template_saved", actor, _now(), {"kind": kind, "lang": lang})
    return templates(t.conn)


# -- queueing from the event log ------------------------------------------------------------------

def enqueue(t: Tx, now: str, channels: tuple[str, ...], limit: int = 500) -> int:
    """Queue replies for events after the cursor; the cursor moves in the same transaction. Replies on a
    channel with no sender configured (`channels` lists those that have one) are not queued at all."""
    cursor = int(t.conn.execute("SELECT seq FROM reply_cursor WHERE id = 1").fetchone()[0])
    rows = t.conn.execute("SELECT seq, question_id, kind, payload FROM events WHERE seq > ? "
                          "AND question_id IS NOT NULL AND kind IN ('answered', 'follow_up') ORDER BY seq LIMIT ?",
                          (cursor, limit)).fetchall()
    queued = 0
    for _, qid, kind, payload in rows:
        reply_kind = _reply_kind(kind, orjson.loads(payload))
        q = questions_tx.load(t.conn, qid) if reply_kind else None
        if q is not None and reply_kind is not None:
            queued += _enqueue_one(t, q, reply_kind, now, channels)
    upto = rows[-1][0] if len(rows) == limit else int(t.conn.execute("SELECT coalesce(max(seq), 0) FROM events")
                                                            .fetchone()[0])
    if upto > cursor:
        t.conn.execute("UPDATE reply_cursor SET seq = ? WHERE id = 1", (upto,))
    return queued


def _reply_kind(kind: str, payload: dict[str, Any]) -> str | None:
    if kind == "answered" and "undoes" not in payload:
        return "answered"
    if kind == "follow_up":
        before = ((payload.get("before") or {}).get("follow_up") or {}).get("resolution")
        after = ((payload.get("after") or {}).get("follow_up") or {}).get("resolution")
        if after in CLOSING and before not in CLOSING:
            return "resolved"
    return None


def address(q: Question) -> tuple[str, str | None, str | None]:
    """(channel to reply on, recipient, reason not to) for a question."""
    channel, contact = q["channel"], (q["author"].get("contact") or "").strip() or None
    if "withdrawn" in q["flags"]:
        return channel, None, "withdrawn"
    if channel == "telegram":
        return channel, q["external_id"].split(":")[0] or None, None
    if channel == "email":
        return (channel, contact, None) if contact and "@" in contact else (channel, None, "anonymous")
    if channel == "whatsapp" or (channel in ("phone", "web") and contact and "@" not in contact):
        # a phone-desk or web question is answered only when the viewer left a number: on WhatsApp
        return ("whatsapp", contact, None) if contact else ("whatsapp", None, "anonymous")
    if channel in ("phone", "web") and contact and "@" in contact:
        return "email", contact, None
    if channel in ("phone", "web"):
        return "whatsapp", None, "anonymous"  # no number left: nobody to answer
    if channel in NO_REPLY_CHANNELS:
        return channel, None, "no_reply_channel"
    return channel, None, "anonymous"


def _enqueue_one(t: Tx, q: Question, kind: str, now: str, channels: tuple[str, ...]) -> int:
    channel, recipient, reason = address(q)
    if channel not in channels:
        return 0
    if reason is None and not enabled(t.conn, q["show_id"]):
        reason = "replies_off"
    if reason is None and opted_out(t.conn, channel, recipient):
        reason = "opted_out"
    lang = q["lang"] if q["lang"] in REPLY_LANGS else "ru"
    row = t.conn.execute(
        "INSERT INTO outbox (key, question_id, show_id, kind, channel, recipient, lang, text, state, next_at, "
        "last_error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (key) DO NOTHING RETURNING id",
        (f"{q['id']}:{kind}", q["id"], q["show_id"], kind, channel, recipient, lang, _render(t.conn, q, kind, lang),
         "skipped" if reason else "pending", now, reason, now)).fetchone()
    if row is None:
        return 0  # already queued once: never a second reply of this kind for this question
    payload = {"reply": row[0], "kind": kind, "channel": channel, **({"reason": reason} if reason else {})}
    _event(t, q["show_id"], q["id"], "reply_skipped" if reason else "reply_queued", payload)
    return 0 if reason else 1


def _render(conn: Conn, q: Question, kind: str, lang: str) -> str:
    show = conn.execute("SELECT title FROM shows WHERE id = ?", (q["show_id"],)).fetchone()
    name = (q["author"].get("name") or "").strip().split(" ")[0]
    follow = q.get("follow_up") or {}
    text = templates(conn)[kind][lang].format_map({
        "show": show[0] if show else "Akimat Live", "name": f", {name}" if name else "",
        "resolution": RESOLUTION_WORDS.get((follow.get("resolution") or "", lang), ""),
        "note": follow.get("note") or ""})
    return " ".join(text.split())


def queue_bot_reply(t: Tx, channel: str, external_id: str, chat: str, text: str, actor: str) -> bool:
    """The bot's answer to a viewer's command (`/start`, `/help`): one outbox row per command message (the
    key), so a webhook re-delivered or a worker re-reading its batch after a restart answers it once."""
    now = _now()
    row = t.conn.execute(
        "INSERT INTO outbox (key, question_id, show_id, kind, channel, recipient, lang, text, state, next_at, "
        "created_at) VALUES (?, 0, NULL, 'bot_help', ?, ?, 'kk', ?, 'pending', ?, ?) "
        "ON CONFLICT (key) DO NOTHING RETURNING id",
        (f"command:{channel}:{external_id}", channel, chat, text, now, now)).fetchone()
    if row is not None:
        questions_tx.append_event(t, None, None, "reply_queued", actor, now,
                                  {"reply": row[0], "kind": "bot_help", "channel": channel})
    return row is not None


# -- sending --------------------------------------------------------------------------------------

def due(conn: Conn, now: str, limit: int) -> list[dict[str, Any]]:
    return [_reply(r) for r in conn.execute(f"SELECT {REPLY_COLUMNS} FROM outbox WHERE state = 'pending' "
                                            "AND next_at <= ? ORDER BY next_at, id LIMIT ?", (now, limit))]


def claim(t: Tx, reply_id: int, now: str) -> dict[str, Any] | None:
    """pending → sending, counting the attempt (an event), or None if it is no longer to be sent."""
    row = t.conn.execute(f"SELECT {REPLY_COLUMNS} FROM outbox WHERE id = ? AND state = 'pending'",
                         (reply_id,)).fetchone()
    if row is None:
        return None
    reply = _reply(row)
    reason = ("replies_off" if not enabled(t.conn, reply["show_id"])
              else "opted_out" if opted_out(t.conn, reply["channel"], reply["recipient"]) else None)
    if reason:
        _finish(t, reply_id, "skipped", error=reason)
        return None
    t.conn.execute("UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ?", (reply_id,))
    reply["attempts"] += 1
    _event(t, reply["show_id"], reply["question_id"], "reply_attempt",
           {"reply": reply_id, "attempt": reply["attempts"], "channel": reply["channel"]})
    last = t.conn.execute("SELECT max(received_at) FROM questions WHERE channel = 'whatsapp' AND author_contact = ?",
                          (reply["recipient"],)).fetchone()
    reply["last_inbound"] = last[0] if last else None
    return reply


def finish(t: Tx, reply_id: int, state: str, *, error: str | None = None, next_at: str | None = None,
           provider_id: str | None = None) -> None:
    _finish(t, reply_id, state, error=error, next_at=next_at, provider_id=provider_id)


def _finish(t: Tx, reply_id: int, state: str, *, error: str | None = None, next_at: str | None = None,
            provider_id: str | None = None) -> None:
    now = _now()
    to_state = "pending" if state == "retry" else state
    t.conn.execute("UPDATE outbox SET state = ?, last_error = ?, next_at = coalesce(?, next_at), "
                   "provider_id = coalesce(?, provider_id), sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END "
                   "WHERE id = ?", (to_state, error, next_at, provider_id, state, now, reply_id))
    row = t.conn.execute("SELECT show_id, question_id, attempts FROM outbox WHERE id = ?", (reply_id,)).fetchone()
    payload: dict[str, Any] = {"reply": reply_id, "attempt": row[2]}
    payload.update({k: v for k, v in (("error", error), ("next_at", next_at), ("provider_id", provider_id)) if v})
    _event(t, row[0], row[1], f"reply_{state}", payload)


def recover(t: Tx) -> int:
    """After a restart: a reply caught mid-send may have been delivered, so it is never sent again."""
    rows = t.conn.execute("SELECT id FROM outbox WHERE state = 'sending'").fetchall()
    for (reply_id,) in rows:
        _finish(t, reply_id, "uncertain", error="the server stopped while sending")
    return len(rows)


def replies(conn: Conn, show_id: int) -> list[dict[str, Any]]:
    return [_reply(r) for r in conn.execute(f"SELECT {REPLY_COLUMNS} FROM outbox WHERE show_id = ? ORDER BY id",
                                            (show_id,))]


def _now() -> str:
    return now_iso()
