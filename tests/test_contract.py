"""What the server emits is what `schemas/` promises: questions, frames and the prompter's air view."""

from __future__ import annotations

import json

from schemas import AirQuestion, EventsFrame, PresenceFrame, PrompterRundown, Question, Show, SnapshotFrame
from tests.conftest import LiveServer, message
from tests.livekit import Desk, ingest, read_sse


async def test_every_emitted_shape_validates_against_the_schemas(live: LiveServer) -> None:
    show = live.show(guests=[{"name": "Ерлан Сәрсенов", "position": "әкім", "district": "alatau"}])
    Show.model_validate(show)
    key = live.token("prompter", show["id"])
    ids = ingest(live.url, live.token("ingest"), [message(1), message(2, channel="whatsapp")]).json()["ids"]
    mod = live.login("mod")
    desk = await Desk.open(f"{live.ws_url}/ws/desk?show={show['id']}", mod.ws_headers())
    await desk.until(lambda fs: any(f["type"] == "presence" for f in fs))
    SnapshotFrame.model_validate(desk.snapshot())
    PresenceFrame.model_validate(next(f for f in desk.frames if f["type"] == "presence"))
    q = mod.get(f"/api/questions/{ids[0]}").json()
    Question.model_validate(q)
    q = mod.act(q, "approve").json()
    mod.act(q, "follow_up", assignee="Энергетика басқармасы", note="перезвонить")
    await desk.until(lambda fs: any(e["kind"] == "follow_up" for e in desk.events()))
    for frame in desk.frames:
        if frame["type"] == "events":
            EventsFrame.model_validate(frame)
    for listed in mod.get(f"/api/shows/{show['id']}/questions").json():
        Question.model_validate(listed)
    mod.act(mod.get(f"/api/questions/{ids[1]}").json(), "approve")
    events = await read_sse(f"{live.url}/prompter/{show['id']}/events?key={key}", {}, lambda evs: len(evs) >= 1)
    rundown = PrompterRundown.model_validate(json.loads(events[0]["data"]))
    assert [q.id for q in rundown.next] == [ids[1]]
    assert set(AirQuestion.model_fields) == set(json.loads(events[0]["data"])["next"][0])
    await desk.close()
