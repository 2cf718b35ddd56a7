"""The producer's HTTP handlers: schedule, segments, live counters, post-show log, report, follow-up board
and their exports. Routed and guarded by `server/api.py`'s `ENDPOINTS` table like every other route."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from schemas import Action, Guest, Id, Resolution

from . import exports, schedule
from .auth import Principal
from .errors import Invalid, NotFound
from .store.base import FollowUpFilter, LogFilter
from .store.producer_sql import mark_overdue
from .web import JSON, efir, int_param, path_int, read_model

RESOLUTION_FILTERS = ("resolved", "explained", "needs_time", "open")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScheduleRequest(Strict):
    title: str = Field(min_length=1, max_length=300)
    count: int = Field(default=4, ge=1, le=52)
    after: datetime | None = None
    guests: list[Guest] = Field(default_factory=list, max_length=50)


class SegmentIn(Strict):
    id: Id | None = None
    guest: str = Field(min_length=1, max_length=200)
    title: str | None = Field(default=None, max_length=300)
    planned_minutes: int | None = Field(default=None, ge=1, le=600)


class SegmentPlan(Strict):
    segments: list[SegmentIn] = Field(max_length=50)


class SegmentStart(Strict):
    segment_id: Id


class CueIn(Strict):
    text: str = Field(min_length=1, max_length=200)


class OpenCases(Strict):
    include_new: bool = False
    dry_run: bool = False  # count only: the page confirms the number before anything opens
    due: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")


class CaseUpdate(Strict):
    """A change to a follow-up case: applied as the desk's `follow_up` action (version-checked, one event)."""

    version: int
    assignee: str | None = Field(default=None, max_length=200)
    due: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    resolution: Resolution | None = None
    note: str | None = Field(default=None, max_length=2_000)


def _who(who: Principal | None) -> Principal:
    assert who is not None, "guarded endpoint reached without a principal"
    return who


async def _show(request: Request) -> dict[str, Any]:
    show_id = path_int(request, "show_id")
    show = await efir(request).store.get_show(show_id)
    if show is None:
        raise NotFound(f"show {show_id} not found")
    return show


def _fmt(request: Request) -> tuple[str, str]:
    fmt = request.path_params["fmt"]
    if fmt not in exports.FORMATS:
        raise Invalid(f"export format must be one of {', '.join(exports.FORMATS)}", field="format")
    return fmt, "text/csv; charset=utf-8" if fmt == "csv" else "application/json"


# -- schedule and segments ------------------------------------------------------------------------

async def slots(request: Request, _: Principal | None) -> Response:
    count = int_param(request.query_params.get("count"), "count", 4, lo=1, hi=52) or 4
    return JSON([s.isoformat() for s in schedule.next_slots(datetime.now(UTC), count)])


async def schedule_shows(request: Request, who: Principal | None) -> Response:
    """Create shows for the next free Tuesday/Thursday 20:00 slots (a slot that has a show is skipped)."""
    body = await read_model(request, ScheduleRequest)
    store = efir(request).store
    taken = {datetime.fromisoformat(s["starts_at"]) for s in await store.list_shows()}
    created = []
    for slot in schedule.next_slots(body.after or datetime.now(UTC), body.count):
        if slot in taken:
            continue
        created.append(await store.create_show({"title": body.title, "starts_at": slot.isoformat(),
                                                "guests": [g.model_dump() for g in body.guests]},
                                               _who(who).username))
    return JSON(created, status_code=201)


async def get_segments(request: Request, _: Principal | None) -> Response:
    show = await _show(request)
    return JSON(await efir(request).store.segments(show["id"]))


async def put_segments(request: Request, who: Principal | None) -> Response:
    show_id = path_int(request, "show_id")
    body = await read_model(request, SegmentPlan)
    plan = [s.model_dump() for s in body.segments]
    return JSON(await efir(request).store.set_segments(show_id, plan, _who(who).username))


async def start_segment(request: Request, who: Principal | None) -> Response:
    show_id = path_int(request, "show_id")
    body = await read_model(request, SegmentStart)
    return JSON(await efir(request).store.start_segment(show_id, body.segment_id, _who(who).username))


async def cue(request: Request, who: Principal | None) -> Response:
    """A cue to the host ("1 minute", "wrap up"): pushed to the show's prompters now, and kept in the log."""
    show = await _show(request)
    body = await read_model(request, CueIn)
    app = efir(request)
    actor = _who(who).username
    text = " ".join(body.text.split())
    cue_id = await app.store.record("cue", actor, {"text": text}, show["id"])  # on every prompter once committed
    return JSON({"ok": True, "text": text, "id": cue_id})


# -- live counters, log, report -------------------------------------------------------------------

async def counters(request: Request, _: Principal | None) -> Response:
    show = await _show(request)
    minutes = int_param(request.query_params.get("minutes"), "minutes", 15, lo=1, hi=240) or 15
    since = (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat(timespec="milliseconds")
    return JSON(await efir(request).store.counters(show["id"], since))


def _csv_param(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())[:50]


async def timeline(request: Request, _: Principal | None) -> Response:
    """The post-show log: events with actor, wall time and on-air offset; and what went on air, as edited."""
    show = await _show(request)
    p = request.query_params
    flt = LogFilter(kinds=_csv_param(p.get("kinds")), skip=_csv_param(p.get("skip")), actor=p.get("actor") or None,
                    question_id=int_param(p.get("question"), "question"),
                    after=int_param(p.get("after"), "after", 0) or 0,
                    limit=int_param(p.get("limit"), "limit", 1000, lo=1, hi=5000) or 1000)
    store = efir(request).store
    entries = await store.show_log(show["id"], flt)
    return JSON({"show": show, "entries": entries, "aired": await store.aired(show["id"])})


async def report(request: Request, _: Principal | None) -> Response:
    show = await _show(request)
    return JSON(await efir(request).store.report(show["id"]))


async def export_log(request: Request, who: Principal | None) -> Response:
    show = await _show(request)
    fmt, media = _fmt(request)
    app = efir(request)
    await app.store.record("exported", _who(who).username, {"format": fmt, "what": "log"}, show["id"])
    return StreamingResponse(exports.stream_log(app.store, show["id"], fmt), media_type=media, headers={
        "content-disposition": f'attachment; filename="efir-show-{show["id"]}-log.{fmt}"'})


# -- follow-up board ------------------------------------------------------------------------------

def _case_filter(request: Request) -> tuple[FollowUpFilter, str]:
    p = request.query_params
    resolution = p.get("resolution") or None
    if resolution is not None and resolution not in RESOLUTION_FILTERS:
        raise Invalid(f"resolution must be one of {', '.join(RESOLUTION_FILTERS)}", field="resolution")
    today = p.get("today") or schedule.today()
    try:
        datetime.fromisoformat(today)
    except ValueError:
        raise Invalid("today must be a date, YYYY-MM-DD", field="today") from None
    flt = FollowUpFilter(show_id=int_param(p.get("show"), "show"), assignee=p.get("assignee") or None,
                         resolution=resolution, topic=p.get("topic") or None, district=p.get("district") or None,
                         overdue_on=today if p.get("overdue") in ("1", "true") else None,
                         after=int_param(p.get("after"), "after", 0) or 0,
                         limit=int_param(p.get("limit"), "limit", 500, lo=1, hi=2000) or 500)
    return flt, today


async def list_cases(request: Request, _: Principal | None) -> Response:
    flt, today = _case_filter(request)
    store = efir(request).store
    cases = mark_overdue(await store.followups(flt), today)
    for case in cases:
        case["author"] = {k: v for k, v in case["author"].items() if k != "contact"}
    # the board is cut at `limit`: `total` is how many match, so the page can say "500 of 2,066"
    total = len(cases) if len(cases) < flt.limit else await store.count_followups(flt)
    return JSON({"today": today, "cases": cases, "total": total})


async def open_cases(request: Request, who: Principal | None) -> Response:
    """The show's questions that were not answered on air become follow-up cases."""
    show = await _show(request)
    body = await read_model(request, OpenCases)
    if body.dry_run:
        return JSON({"would_open": await efir(request).store.count_unreached(show["id"], body.include_new)})
    ids = await efir(request).store.open_followups(show["id"], body.include_new, body.due, _who(who).username)
    return JSON({"opened": ids}, status_code=201)


async def update_case(request: Request, who: Principal | None) -> Response:
    body = await read_model(request, CaseUpdate)
    action = Action(action="follow_up", version=body.version, assignee=body.assignee, due=body.due,
                    resolution=body.resolution, note=body.note)
    return JSON(await efir(request).perform(_who(who), path_int(request, "question_id"), action, None))


async def case_history(request: Request, _: Principal | None) -> Response:
    qid = path_int(request, "question_id")
    store = efir(request).store
    question = await store.get_question(qid)
    if question is None or question["show_id"] is None:
        raise NotFound(f"question {qid} not found")
    return JSON(await store.show_log(question["show_id"], LogFilter(question_id=qid, limit=5000)))


async def export_cases(request: Request, who: Principal | None) -> Response:
    fmt, media = _fmt(request)
    flt, today = _case_filter(request)
    app = efir(request)
    await app.store.record("exported", _who(who).username, {"format": fmt, "what": "followups"}, flt.show_id)
    return StreamingResponse(exports.stream_followups(app.store, flt, fmt, today), media_type=media, headers={
        "content-disposition": f'attachment; filename="efir-followups.{fmt}"'})
