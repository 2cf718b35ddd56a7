"""Synthetic viewer messages (kk/ru, as a city call-in show gets them), stamped with their send time.

The send time rides in the external_id (`<prefix>-<n>-<microseconds since the epoch>`), so a desk
can measure the whole way from the load generator to its screen on the same host clock. Every
text carries a number of its own (a house, a bus route), so near-duplicate clustering sees
realistic, mostly distinct questions; about one in thirty repeats an earlier text exactly.
"""

from __future__ import annotations

import random
import time
from typing import Any

import orjson

CHANNELS = ("whatsapp", "telegram", "youtube", "instagram", "facebook", "sms", "web")
NAMES = ("Айгерим", "Нурлан", "Асель", "Дмитрий", "Гульнара", "Ерлан", "Светлана", "Данияр", "Мадина", "Олег")
TEMPLATES = (
    "Здравствуйте! Когда починят дорогу на улице Момышулы, дом {n}? Ямы уже год.",
    "Сәлеметсіз бе! Алатау ауданында {n} үйдің жанындағы жарық қашан жанады?",
    "Почему автобус {n} ходит раз в сорок минут по вечерам? Люди мёрзнут на остановке.",
    "Аким, в школе №{n} не хватает мест в первом классе, что делать родителям?",
    "Қашан {n} мектептің спорт залы жөнделеді? Балалар далада жүр.",
    "Когда дадут горячую воду в микрорайоне Аксай-{n}? Третью неделю без воды.",
    "Добрый вечер, будет ли ремонт подъезда в доме {n} по Абая? Спасибо за эфир.",
    "Поликлиника {n}: запись к терапевту на месяц вперёд, это нормально?",
    "Неге {n} аялдамасында павильон жоқ? Жаңбырда тұрамыз.",
    "Куда жаловаться на шум стройки по ночам возле дома {n} на Розыбакиева?",
    "Что будет с парком у ТЦ {n}? Говорят, там строят парковку.",
    "Ауладағы ойын алаңы {n} қашан салынады? Былтыр уәде берген.",
)


class Feed:
    def __init__(self, prefix: str, seed: int = 7) -> None:
        self.prefix = prefix
        self.n = 0
        self.rng = random.Random(seed)
        self.recent: list[str] = []

    def message(self) -> dict[str, Any]:
        self.n += 1
        rng = self.rng
        if self.recent and rng.random() < 1 / 30:
            text = rng.choice(self.recent)
        else:
            text = rng.choice(TEMPLATES).format(n=rng.randrange(1, 100_000))
            if len(self.recent) < 200:
                self.recent.append(text)
            else:
                self.recent[rng.randrange(200)] = text
        who = rng.randrange(50_000)
        return {
            "channel": CHANNELS[who % len(CHANNELS)],
            "external_id": f"{self.prefix}-{self.n}-{time.time_ns() // 1000}",
            "author": {"name": f"{NAMES[who % len(NAMES)]} {who}", "handle": f"@viewer{who}"},
            "text": text,
            "sent_at": "2026-11-22T20:00:00+06:00",
        }

    def batch(self, size: int) -> bytes:
        return orjson.dumps({"messages": [self.message() for _ in range(size)]})


def sent_at(external_id: str) -> float | None:
    """The send time (seconds since the epoch) stamped into a benchmark external_id."""
    _, _, stamp = external_id.rpartition("-")
    return int(stamp) / 1e6 if stamp.isdigit() else None
