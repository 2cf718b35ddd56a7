"""The show's air slots: "Akimat Live" goes out every Tuesday and Thursday at 20:00 Almaty time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

ALMATY = ZoneInfo("Asia/Almaty")
TUESDAY, THURSDAY = 1, 3
SLOT_DAYS = (TUESDAY, THURSDAY)
SLOT_HOUR, SLOT_MINUTE = 20, 0


def next_slots(after: datetime, count: int, days: tuple[int, ...] = SLOT_DAYS, hour: int = SLOT_HOUR,
               minute: int = SLOT_MINUTE) -> list[datetime]:
    """The next `count` slots strictly after `after` (a slot at exactly `after` is taken as passed),
    as aware datetimes in Almaty time (a naive `after` is read as Almaty time)."""
    local = (after if after.tzinfo else after.replace(tzinfo=ALMATY)).astimezone(ALMATY)
    day = local.date()
    slots: list[datetime] = []
    while len(slots) < count:
        if day.weekday() in days:
            slot = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ALMATY)
            if slot > local:
                slots.append(slot)
        day += timedelta(days=1)
    return slots


def today(now: datetime | None = None) -> str:
    """Today's date in Almaty (what "overdue" is measured against)."""
    return (now or datetime.now(ALMATY)).astimezone(ALMATY).date().isoformat()
