"""The prompter's view of a question: only what may be read on air, PII masked whole."""

from __future__ import annotations

from typing import Any

from ingest.triage import air_text

from .store.base import AirState, Question


def first_name(name: str | None) -> str | None:
    if not name:
        return None
    first = name.strip().split()[0] if name.strip() else ""
    # a handle or a number is not a name to read on air
    if not first or first.startswith("@") or any(ch.isdigit() for ch in first):
        return None
    return air_text(first)


def air_question(q: Question) -> dict[str, Any]:
    return {
        "id": q["id"],
        "text": air_text(q["text"]),
        "author": first_name(q["author"].get("name")),
        "channel": q["channel"],
        "district": q["district"],
        "addressee": q["addressee"],
        "asked_count": q["asked_count"],
    }


def rundown_view(state: AirState) -> dict[str, object]:
    return {
        "on_air": air_question(state.on_air) if state.on_air else None,
        "next": [air_question(q) for q in state.next],
    }
