"""The desk by keyboard alone (issue 16, item 5): Tab reaches every control with a visible focus ring, Enter
presses the focused button and nothing else, `/` starts a new search, Shift+A plays a question next and Shift+T
moves it to the top of the rundown, and a reload keeps the filters and the focused question."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.conftest import LiveServer, message
from tests.test_pages_desk import distinct, questions
from tests.test_pages_support import SHOTS, browser, contexts, ingest, open_desk, row, wait_for

__all__ = ["browser", "contexts"]

GUESTS = [{"name": "Ерлан Сәрсенов", "position": "әкім", "district": "alatau"}]
FOCUSED = re.compile(r"\bfocused\b")

# what the focused element is, and whether a focus ring can be seen on it (an outline, or the list's own ring)
DESCRIBE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const name = el.id ? `#${el.id}` : el.dataset.action ? `action:${el.dataset.action}`
    : el.dataset.lang ? `lang:${el.dataset.lang}` : el.dataset.page ? `page:${el.dataset.page}`
    : `${el.tagName.toLowerCase()}:${el.textContent.trim().slice(0, 20)}`;
  return { name, ring };
}"""


def approved(live: LiveServer, show_id: int, texts: list[int]) -> list[int]:
    ids = ingest(live, show_id, [distinct(i) for i in texts])
    s = live.login("prod", "producer")
    for qid in ids:
        assert s.act(s.get(f"/api/questions/{qid}").json(), "approve").status_code == 200
    return ids


def rundown_order(live: LiveServer, show_id: int) -> list[int]:
    return [q["id"] for q in sorted(questions(live, show_id, status="approved"), key=lambda q: q["rundown_pos"])]


def tab_through(page: Page, limit: int = 120) -> list[dict[str, Any]]:
    """Every stop of Tab from the top of the page until focus comes round again."""
    page.locator("body").evaluate("b => { document.activeElement && document.activeElement.blur(); }")
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(DESCRIBE)
        if stop is None:
            continue
        if stops and stop["name"] == stops[0]["name"]:
            break
        stops.append(stop)
    return stops


def test_tab_reaches_every_control_of_the_desk_with_a_visible_ring(contexts: Any, live: LiveServer) -> None:
    show = live.show(guests=GUESTS)
    first, second = approved(live, show["id"], [1, 2])
    s = live.login("prod", "producer")
    s.act(s.get(f"/api/questions/{first}").json(), "on_air")
    ingest(live, show["id"], [distinct(3)])
    ctx = contexts("tabber")
    ctx.add_init_script("""window.__mouse = 0;
      for (const type of ['mousedown', 'mouseup', 'click'])
        addEventListener(type, (e) => { if (e.isTrusted) window.__mouse++; }, true);""")
    desk = open_desk(ctx, show["id"])
    expect(desk.locator(".rundown-item")).to_have_count(1)
    stops = tab_through(desk)
    names = [s["name"] for s in stops]
    expected = {"lang:kk", "lang:ru", "lang:en", "page:/phone", "page:/prompter", "#logout", "#f-status", "#f-channel",
                "#f-topic", "#f-district", "#f-lang", "#f-flag", "#search", "#clear", "#help-btn", "#queue-scroll",
                "action:approve", "action:reject", "action:edit", "action:merge", "action:tag", "action:star",
                "action:claim", "action:answered", "#guest", "#guest-first", "action:on_air", "#rundown"}
    assert expected <= set(names), f"not reached by Tab: {expected - set(names)}; stops: {names}"
    assert len(names) == len(set(names)), names  # no trap: each control once a round
    assert [s["name"] for s in stops if not s["ring"]] == []  # every stop shows where the keyboard is
    assert desk.evaluate("window.__mouse") == 0
    while desk.evaluate(DESCRIBE)["name"] != "#guest-first":
        desk.keyboard.press("Tab")
    SHOTS.mkdir(parents=True, exist_ok=True)
    desk.screenshot(path=str(SHOTS / "desk-keyboard-en.png"))

    # the controls Tab reached work from the keyboard: the rundown list takes j/k and o like the queue
    desk.locator("#rundown").focus()
    expect(desk.locator(f'.rundown-item[data-id="{second}"]')).to_have_class(FOCUSED)
    desk.keyboard.press("d")  # the question on air answered, then the focused rundown question on air
    expect(desk.locator("#onair")).not_to_contain_text(f"#{first}")
    desk.keyboard.press("o")
    expect(desk.locator("#onair")).to_contain_text(f"#{second}")


def test_enter_on_a_focused_button_presses_that_button_only(contexts: Any, live: LiveServer) -> None:
    show = live.show(guests=GUESTS)
    same = "Когда в Шанырак-2 дадут горячую воду? Неделю нет!"
    head, *_ = ingest(live, show["id"], [message(1, same), message(2, same + "!!")])
    desk = open_desk(contexts("enterer"), show["id"])
    expect(row(desk, head)).to_have_class(FOCUSED)
    desk.locator('#detail button[data-action="star"]').focus()
    desk.keyboard.press("Enter")
    wait_for(lambda: next(q for q in questions(live, show["id"]) if q["id"] == head)["starred"], what="starred")
    expect(row(desk, head).locator(".star")).to_be_visible()
    expect(desk.locator(".row.member")).to_have_count(0)  # Enter did not also expand the cluster (the old `x`)
    desk.locator('#lang button[data-lang="ru"]').focus()
    desk.keyboard.press("Enter")
    expect(desk.locator("html")).to_have_attribute("lang", "ru")
    expect(desk.locator(".row.member")).to_have_count(0)
    desk.locator("#queue-scroll").focus()  # on the list itself Enter still opens the cluster
    desk.keyboard.press("Enter")
    expect(desk.locator(".row.member")).to_have_count(1)


def test_slash_selects_the_old_search_so_typing_replaces_it(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    ingest(live, show["id"], [distinct(i) for i in range(10)])
    desk = open_desk(contexts("searcher"), show["id"])
    desk.keyboard.press("/")
    desk.keyboard.type("Абая")
    expect(desk.locator("#shown")).to_have_text("2 shown")
    desk.keyboard.press("Enter")  # back to the list
    expect(desk.locator("#queue-scroll")).to_be_focused()
    desk.keyboard.press("/")
    desk.keyboard.type("Саина")
    expect(desk.locator("#search")).to_have_value("Саина")
    expect(desk.locator("#shown")).to_have_text("2 shown")


def test_play_next_and_move_to_the_top_of_the_rundown(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    queued = approved(live, show["id"], [1, 2, 3])
    [fresh] = ingest(live, show["id"], [distinct(4)])
    desk = open_desk(contexts("planner"), show["id"])
    expect(row(desk, fresh)).to_have_class(FOCUSED)
    desk.keyboard.press("Shift+A")  # approve it to go on air next: the top of the rundown, not the end
    wait_for(lambda: rundown_order(live, show["id"]) == [fresh, *queued], what="played next")
    expect(desk.locator(".rundown-item").first).to_have_attribute("data-id", str(fresh))

    desk.keyboard.press("ArrowRight")  # into the rundown, down to the last one, and up to the top with it
    expect(desk.locator("#rundown")).to_be_focused()
    for _ in range(3):
        desk.keyboard.press("j")
    expect(desk.locator(".rundown-item.focused")).to_have_attribute("data-id", str(queued[2]))
    desk.keyboard.press("Shift+T")
    wait_for(lambda: rundown_order(live, show["id"]) == [queued[2], fresh, queued[0], queued[1]], what="to the top")
    expect(desk.locator(".rundown-item").first).to_have_attribute("data-id", str(queued[2]))
    desk.keyboard.press("ArrowLeft")
    expect(desk.locator("#queue-scroll")).to_be_focused()


def test_a_reload_keeps_the_filters_and_the_focused_question(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    ingest(live, show["id"], [distinct(i, channel="whatsapp" if i % 2 else "telegram") for i in range(8)])
    desk = open_desk(contexts("reloader"), show["id"])
    desk.locator("#f-channel").select_option("whatsapp")
    desk.locator("#f-status").select_option("")
    desk.locator("#queue-scroll").focus()
    expect(desk.locator("#shown")).to_have_text("4 shown")
    desk.keyboard.press("j")
    desk.keyboard.press("j")
    focused = desk.locator(".row.focused").get_attribute("data-id")
    desk.reload()
    desk.wait_for_selector("#conn[data-state=live]")
    expect(desk.locator("#f-channel")).to_have_value("whatsapp")
    expect(desk.locator("#f-status")).to_have_value("")
    expect(desk.locator("#shown")).to_have_text("4 shown")
    expect(desk.locator(".row.focused")).to_have_attribute("data-id", str(focused))
    expect(desk.locator("#queue-scroll")).to_be_focused()
    desk.keyboard.press("j")  # and the keyboard carries on from there
    expect(desk.locator(".row.focused")).not_to_have_attribute("data-id", str(focused))
