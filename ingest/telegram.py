"""Telegram Bot API updates → messages (CHANNELS.md §2).

`external_id` is `chat_id:message_id` (message ids are unique only inside a chat). An edit becomes
a new question `chat_id:message_id:e<edit_date>` that replaces the original one. Service messages
(pinned, migrated, joined), story shares, dice, polls, contacts, bare locations and empty messages make
no card (`batch.is_question`); a venue counts by its title and address. A bot command (`/start`,
`/help@our_bot`, a `/report` reply) is never a question: it is handed over as a `Command`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schemas import Author, Media, Message

from .batch import Batch, Command, Withdrawal, clip, from_unix
from .quarantine import guarded

ALLOWED_UPDATES = ("message", "edited_message", "channel_post", "edited_channel_post",
                   "business_message", "edited_business_message", "deleted_business_messages")
_NEW = ("message", "channel_post", "business_message")
_EDITED = ("edited_message", "edited_channel_post", "edited_business_message")
_MEDIA = (("voice", "voice"), ("audio", "audio"), ("video", "video"), ("video_note", "video"),
          ("document", "document"), ("sticker", "sticker"), ("animation", "video"))


def parse_update(update: Any, known: Mapping[str, str] | None = None) -> Batch:
    """One Update. `known` maps external ids to texts already seen, to drop edits that change no text.
    An update that cannot be read comes back as a dead letter."""
    out = Batch()
    if isinstance(update, dict):
        guarded(out, "telegram", update, lambda: _read_update(update, out, known))
    return out


def _read_update(update: dict[str, Any], out: Batch, known: Mapping[str, str] | None) -> None:
    for key in _NEW:
        if isinstance(update.get(key), dict):
            _read(update[key], out, edited=False, known=known)
    for key in _EDITED:
        if isinstance(update.get(key), dict):
            _read(update[key], out, edited=True, known=known)
    deleted = update.get("deleted_business_messages")
    if isinstance(deleted, dict):
        chat_id = (deleted.get("chat") or {}).get("id")
        for message_id in deleted.get("message_ids") or []:
            out.withdrawals.append(Withdrawal("telegram", f"{chat_id}:{message_id}", "deleted"))


def parse_updates(updates: list[Any], known: Mapping[str, str] | None = None) -> Batch:
    out = Batch()
    for update in updates:
        out.extend(parse_update(update, known))
    return out


def message_key(message: Mapping[str, Any]) -> str:
    return f"{(message.get('chat') or {}).get('id')}:{message.get('message_id')}"


def _read(message: dict[str, Any], out: Batch, *, edited: bool, known: Mapping[str, str] | None) -> None:
    sender = message.get("from") if isinstance(message.get("from"), dict) else None
    if not message.get("message_id") or (sender and sender.get("is_bot")):
        return  # id 0 is a scheduled message, not a real one; bots (our own included) ask nothing
    key = message_key(message)
    text = str(message.get("text") or message.get("caption") or _venue(message))
    command = _command(message)
    if command is not None:
        if not edited:
            chat = str((message.get("chat") or {}).get("id"))
            out.commands.append(Command("telegram", key, chat, command))
        return
    if edited:
        if known is not None and known.get(key) == text:
            return  # an "edit" of a field we do not show
        original, key = key, f"{key}:e{message.get('edit_date') or 0}"
    added = out.add(Message(channel="telegram", external_id=key, author=_author(message), text=clip(text),
                            sent_at=from_unix(message.get("edit_date") if edited else message.get("date")),
                            media=_media(message)), message)
    if edited and added:  # a live location's moves are edits too, and never a question
        out.withdrawals.append(Withdrawal("telegram", original, "edited"))


def _command(message: dict[str, Any]) -> str | None:
    """`start` for `/start` or `/start@efir_bot payload`: a bot command at the start of the text."""
    text = message.get("text")
    if not isinstance(text, str) or not text.startswith("/"):
        return None
    word = text[1:].split(maxsplit=1)[0] if len(text) > 1 and not text[1].isspace() else ""
    name = word.split("@", 1)[0].lower()
    entities = message["entities"] if isinstance(message.get("entities"), list) else []
    marked = any(isinstance(e, dict) and e.get("type") == "bot_command" and e.get("offset") == 0 for e in entities)
    if marked or (name and len(name) <= 32 and all(ch.isascii() and (ch.isalnum() or ch == "_") for ch in name)):
        return name or None
    return None


def _venue(message: dict[str, Any]) -> str:
    venue = message.get("venue")
    if not isinstance(venue, dict):
        return ""
    return ", ".join(str(venue[k]) for k in ("title", "address") if venue.get(k))


def _author(message: dict[str, Any]) -> Author:
    sender = message.get("from")
    if isinstance(sender, dict) and not isinstance(message.get("sender_chat"), dict):
        name = " ".join(str(sender[k]) for k in ("first_name", "last_name") if sender.get(k)) or None
        username = sender.get("username")
        return Author(name=name, handle=f"@{username}" if username else f"tg:{sender.get('id')}")
    chat = message.get("sender_chat") or message.get("chat") or {}
    username = chat.get("username")
    return Author(name=chat.get("title"), handle=f"@{username}" if username else f"tg:{chat.get('id')}")


def _media(message: dict[str, Any]) -> Media | None:
    photo = message.get("photo")
    if isinstance(photo, list) and photo and isinstance(photo[-1], dict):
        return Media(kind="image", id=str(photo[-1].get("file_id") or ""), mime_type="image/jpeg")
    for key, kind in _MEDIA:
        body = message.get(key)
        if isinstance(body, dict) and body.get("file_id"):
            return Media(kind=kind, id=str(body["file_id"]), mime_type=body.get("mime_type"))
    return None
