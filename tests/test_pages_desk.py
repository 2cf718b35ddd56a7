"""The moderator desk and the prompter in real Chromium: what a moderator and a host notice."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.conftest import LiveServer, message
from tests.test_pages_support import browser, contexts, drop_desk_sockets, ingest, open_desk, row, wait_for, watch

__all__ = ["browser", "contexts"]

TOPICS = ["дорогу", "горячую воду", "свет", "газ", "автобус 92", "школу", "детский сад", "мусор", "лифт", "парк"]


def distinct(i: int, **extra: Any) -> dict[str, Any]:
    """A question unlike every other one (no duplicate clustering)."""
    street = ["Абая", "Саина", "Толе би", "Рыскулова", "Жубанова"][i % 5]
    return message(i, text=f"Когда сделают {TOPICS[i % 10]} — {street} {i * 37 % 997}, вопрос номер {i}?", **extra)


def questions(live: LiveServer, show_id: int, **params: str) -> list[dict[str, Any]]:
    s = live.login("checker", "producer")
    return list(s.get(f"/api/shows/{show_id}/questions", params={"limit": "1000", **params}).json())


def test_ingest_approve_prompter_next_answered(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    desk = open_desk(contexts("aigul"), show["id"])
    seen = watch(desk)
    key = live.token("prompter", show["id"])
    host_ctx = contexts("host1", "host")
    prompter = host_ctx.new_page()
    prompter.goto(f"/prompter/{show['id']}?key={key}")
    expect(prompter.locator("#text")).to_have_text("Waiting for the next question")

    [qid] = ingest(live, show["id"], [message(1, "Когда починят дорогу на Абая? Мой номер +7 701 234 56 78")])
    expect(row(desk, qid)).to_be_visible(timeout=1000)  # within a second of the ingest
    expect(row(desk, qid)).to_have_class(__import__("re").compile(r"\bfocused\b"))
    desk.keyboard.press("a")
    expect(desk.locator(f'.rundown-item[data-id="{qid}"]')).to_be_visible()

    expect(prompter.locator("#next li")).to_have_count(1)
    expect(prompter.locator("#next li").first).to_contain_text("Когда починят дорогу на Абая?")
    prompter.keyboard.press("PageDown")  # the host's clicker: next
    expect(prompter.locator("#text")).to_contain_text("Когда починят дорогу на Абая?")
    expect(prompter.locator("#meta")).to_contain_text("Айгерим")
    expect(desk.locator("#onair")).to_contain_text("Когда починят дорогу")
    assert "234 56 78" not in prompter.content()  # never a phone number on air, nor a part of one
    assert "@viewer1" not in prompter.content()

    prompter.keyboard.press("PageDown")  # nothing further: the on-air question is answered
    expect(row(desk, qid)).to_have_attribute("data-status", "answered")
    expect(desk.locator("#onair")).to_contain_text("Nothing on air")
    expect(prompter.locator("#text")).to_have_text("Waiting for the next question")
    assert seen == {"errors": [], "dialogs": [], "foreign": []}


def test_two_moderators_see_claims_and_conflicts(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    [qid] = ingest(live, show["id"], [distinct(1)])
    a = open_desk(contexts("mod-a"), show["id"])
    b = open_desk(contexts("mod-b"), show["id"])
    expect(row(b, qid)).to_be_visible()

    a.keyboard.press("c")  # mod-a claims the focused question
    expect(row(b, qid).locator(".lock")).to_contain_text("mod-a")
    expect(b.locator('.who-chip[data-user="mod-a"] .claims')).to_have_text(f"#{qid}")
    b.keyboard.press("a")  # not actionable for mod-b while claimed
    expect(b.locator(".toast")).to_contain_text("mod-a")
    expect(row(b, qid)).to_have_attribute("data-status", "new")
    a.keyboard.press("c")  # released
    expect(row(b, qid).locator(".lock")).to_have_count(0)

    b.keyboard.press("e")  # mod-b starts editing the version both of them see
    b_area = b.locator("dialog textarea")
    expect(b_area).to_be_focused()
    a.keyboard.press("e")
    a.locator("dialog textarea").fill("Когда отремонтируют дорогу на Абая? (редакция A)")
    a.keyboard.press("Enter")
    expect(row(b, qid)).to_contain_text("редакция A")  # the change reaches mod-b's list live
    b_area.fill("Редакция B, не должна затереть A")
    b.keyboard.press("Enter")
    conflict = b.locator("dialog.dlg-conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("mod-a")
    expect(conflict.locator(".conflict-now")).to_contain_text("редакция A")
    expect(conflict.locator(".conflict-mine")).to_contain_text("Редакция B")
    b.keyboard.press("Escape")
    [q] = [q for q in questions(live, show["id"]) if q["id"] == qid]
    assert q["text"] == "Когда отремонтируют дорогу на Абая? (редакция A)"


def test_keyboard_only_triage_of_fifty(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    ids = ingest(live, show["id"], [distinct(i) for i in range(50)])
    ctx = contexts("keyboard")
    ctx.add_init_script("""window.__mouse = 0;
      for (const type of ['mousedown', 'mouseup', 'click', 'dblclick', 'contextmenu', 'wheel'])
        addEventListener(type, (e) => { if (e.isTrusted) window.__mouse++; }, true);""")
    desk = open_desk(ctx, show["id"])
    expect(desk.locator("#shown")).to_have_text("50 shown")
    top = max(ids)  # newest first
    expect(row(desk, top)).to_have_class(__import__("re").compile(r"\bfocused\b"))

    plan: list[str] = []
    for i in range(50):
        plan.append(["a", "r2", "sa", "a", "r1", "ta", "a", "ea", "a", "a"][i % 10])
    for step in plan:
        if step == "a":
            desk.keyboard.press("a")
        elif step.startswith("r"):
            desk.keyboard.press("r")
            expect(desk.locator("dialog.dlg-reject")).to_be_visible()
            desk.keyboard.press(step[1])
        elif step == "sa":
            desk.keyboard.press("s")
            desk.keyboard.press("a")
        elif step == "ta":
            desk.keyboard.press("t")
            expect(desk.locator("dialog.dlg-tag select[name=topic]")).to_be_focused()
            desk.keyboard.type("r")  # type-ahead in the topic picker: Roads
            desk.keyboard.press("Tab")
            desk.keyboard.type("a")  # district: Alatau
            desk.keyboard.press("Enter")
            expect(desk.locator("dialog")).to_have_count(0)
            desk.keyboard.press("a")
        elif step == "ea":
            desk.keyboard.press("e")
            expect(desk.locator("dialog textarea")).to_be_focused()
            desk.keyboard.type(" (для эфира)")
            desk.keyboard.press("Enter")
            expect(desk.locator("dialog")).to_have_count(0)
            desk.keyboard.press("a")

    def statuses() -> dict[str, int]:
        out: dict[str, int] = {}
        for q in questions(live, show["id"]):
            out[q["status"]] = out.get(q["status"], 0) + 1
        return out

    wait_for(lambda: statuses() == {"approved": 40, "rejected": 10}, what="all 50 triaged")
    qs = questions(live, show["id"])
    assert sum(q["starred"] for q in qs) == 5
    assert sum(q["topic"] == "roads" and q["district"] == "alatau" for q in qs) == 5
    assert sum(q["text"].endswith("(для эфира)") for q in qs) == 5
    assert {q["reason"] for q in qs if q["status"] == "rejected"} == {"offensive", "spam"}
    expect(desk.locator(".rundown-item")).to_have_count(40)
    assert desk.evaluate("window.__mouse") == 0

    desk.keyboard.press("u")  # undo my last action: the last approve
    wait_for(lambda: statuses() == {"approved": 39, "rejected": 10, "new": 1}, what="undo")


def test_merge_and_duplicate_cluster(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    same = "Когда в Шанырак-2 дадут горячую воду? Неделю нет!"
    ids = ingest(live, show["id"], [message(1, same), message(2, same + "!"), message(3, same + "??"),
                                    distinct(10), distinct(11)])
    qs = {q["id"]: q for q in questions(live, show["id"])}
    head = qs[ids[0]]
    assert all(qs[i]["cluster_id"] == head["id"] for i in ids[:3]), "the server clusters these"
    desk = open_desk(contexts("merger"), show["id"])
    expect(desk.locator("#shown")).to_have_text("3 shown")  # one head for three questions
    head_row = row(desk, head["id"])
    expect(head_row.locator(".asked")).to_contain_text("×3")
    expect(row(desk, ids[1])).to_have_count(0)
    while "focused" not in (head_row.get_attribute("class") or ""):
        desk.keyboard.press("j")
    desk.keyboard.press("x")  # expand the cluster
    expect(desk.locator(".row.member")).to_have_count(2)
    desk.keyboard.press("x")
    expect(desk.locator(".row.member")).to_have_count(0)

    desk.keyboard.press("k")  # up to a distinct question, merge it into the head by typing its id
    expect(head_row).not_to_have_class(re.compile(r"\bfocused\b"))  # the focus has moved before it is read
    focused = int(desk.locator(".row.focused").get_attribute("data-id") or 0)
    assert focused != head["id"]
    desk.keyboard.press("m")
    desk.keyboard.type(f"#{head['id']}")
    expect(desk.locator("dialog .choice")).to_have_count(1)
    desk.keyboard.press("Enter")
    expect(row(desk, focused)).to_have_attribute("data-status", "merged")
    expect(head_row.locator(".asked")).to_contain_text("×4")


def test_rundown_reorder_by_drag_and_keyboard(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    ids = ingest(live, show["id"], [distinct(i) for i in range(3)])
    s = live.login("prod", "producer")
    for qid in ids:
        q = s.get(f"/api/questions/{qid}").json()
        assert s.act(q, "approve").status_code == 200

    def order() -> list[int]:
        approved = questions(live, show["id"], status="approved")
        return [q["id"] for q in sorted(approved, key=lambda q: q["rundown_pos"])]

    assert order() == ids
    desk = open_desk(contexts("dragger"), show["id"])
    items = desk.locator(".rundown-item")
    expect(items).to_have_count(3)
    items.nth(2).drag_to(items.nth(0), target_position={"x": 40, "y": 4})
    wait_for(lambda: order() == [ids[2], ids[0], ids[1]], what="drag to the top")
    expect(items.first).to_have_attribute("data-id", str(ids[2]))

    desk.keyboard.press("ArrowRight")  # keyboard: into the rundown, move the first one down
    expect(desk.locator(".rundown-item.focused")).to_have_attribute("data-id", str(ids[2]))
    desk.keyboard.press("Shift+J")
    wait_for(lambda: order() == [ids[0], ids[2], ids[1]], what="Shift+J")
    desk.keyboard.press("o")  # the focused rundown question goes on air
    expect(desk.locator("#onair")).to_contain_text(f"#{ids[2]}")
    desk.keyboard.press("d")
    expect(desk.locator("#onair")).to_contain_text("Nothing on air")


def test_reconnect_resumes_without_duplicates(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    first = ingest(live, show["id"], [distinct(i) for i in range(5)])
    desk = open_desk(contexts("resumer"), show["id"])
    expect(desk.locator("#shown")).to_have_text("5 shown")
    assert drop_desk_sockets(live) == 1
    later = ingest(live, show["id"], [distinct(i) for i in range(5, 12)])
    expect(desk.locator("#conn")).to_have_attribute("data-state", "offline")
    expect(desk.locator("#conn")).to_have_attribute("data-state", "live", timeout=5000)
    expect(desk.locator("#new-bar")).to_have_text("7 new — show  (n)")
    urls = desk.evaluate("window.efirDesk.socket.urls")
    assert "after=" in urls[-1], urls
    desk.keyboard.press("n")
    expect(desk.locator("#shown")).to_have_text("12 shown")
    shown = desk.evaluate("window.efirDesk.queue.entries.map(e => e.id)")
    assert sorted(shown) == sorted(first + later)
    expect(desk.locator(".row")).to_have_count(12)  # drawn on the next animation frame
    dom = [int(x) for x in desk.locator(".row").evaluate_all("rows => rows.map(r => r.dataset.id)")]
    assert len(dom) == len(set(dom)) == 12


def test_twenty_thousand_questions_render_a_window(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    n = 20_000
    ingest(live, show["id"], [message(i, text=f"{TOPICS[i % 10]} {i} ул. {i * 7919 % 100003} кв {i % 97}")
                              for i in range(n)])
    desk = open_desk(contexts("bulk"), show["id"])
    snapshot = live.call(live.efir.store.snapshot(show["id"]))
    heads = sum(1 for q in snapshot.questions if q["cluster_id"] == q["id"])  # near-duplicates fold under a head
    assert len(snapshot.questions) == n and heads > n * 0.99
    expect(desk.locator("#shown")).to_have_text(f"{heads:,} shown", timeout=15000)
    rows = desk.locator(".row")
    assert 5 < rows.count() < 60
    for _ in range(30):
        desk.keyboard.press("j")
    assert rows.count() < 60
    desk.locator("#queue-scroll").evaluate("el => { el.scrollTop = el.scrollHeight; }")
    expect(desk.locator('.row[data-id="1"]')).to_be_visible()
    assert rows.count() < 60
    desk.keyboard.press("/")
    desk.keyboard.type("#12345")
    expect(desk.locator("#shown")).to_have_text("1 shown")
    expect(rows).to_have_count(1)


def test_a_dialog_decision_carries_the_version_it_was_made_on(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    [qid] = ingest(live, show["id"], [distinct(1)])
    a = open_desk(contexts("dlg-a"), show["id"])
    expect(row(a, qid)).to_be_visible()
    a.keyboard.press("r")  # mod-a opens the reject dialog on the question as it is now …
    expect(a.locator("dialog.dlg-reject")).to_be_visible()
    other = live.login("dlg-b", "moderator")  # … while mod-b approves it
    assert other.act(other.get(f"/api/questions/{qid}").json(), "approve").status_code == 200
    expect(row(a, qid)).to_have_attribute("data-status", "approved")
    a.keyboard.press("1")  # mod-a's reject was decided on the version before the approval
    conflict = a.locator("dialog.dlg-conflict")
    expect(conflict).to_be_visible()  # told, not silently overriding the approval
    expect(conflict).to_contain_text("dlg-b")
    a.keyboard.press("Escape")
    [q] = [q for q in questions(live, show["id"]) if q["id"] == qid]
    assert q["status"] == "approved"
