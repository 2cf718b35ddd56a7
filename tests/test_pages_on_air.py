"""The question on air in Chromium: one masked air text on the desk, the prompter and the producer log; explicit
outcomes by keyboard (answered, skipped back to the rundown, to follow-up) counted apart in the report, and the
show's end clearing desk and prompter; a 1366×768 desk whose on-air controls and rundown stay on screen."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.conftest import LiveServer, message
from tests.test_pages_support import SHOTS, browser, contexts, ingest, open_desk, wait_for, watch

__all__ = ["browser", "contexts"]

PHONE = "8 701 555 12 34"
RU = f"Когда отремонтируют дорогу на Абая? Звоните {PHONE} или пишите aigerim.k@mail.kz"
KK = f"Абай көшесіндегі жол қашан жөнделеді? Нөмірім {PHONE}"
WAITING = "Waiting for the next question"


def on_air_button(desk: Page, qid: int) -> Any:
    return desk.locator(f'.rundown-item[data-id="{qid}"] button[data-action="on_air"]')


def approve_all(live: LiveServer, ids: list[int]) -> None:
    mod = live.login("seeder", "moderator")
    for qid in ids:
        q = mod.get(f"/api/questions/{qid}").json()
        assert mod.act(q, "approve").status_code == 200


def status_of(live: LiveServer, qid: int) -> str:
    return str(live.sql("SELECT status FROM questions WHERE id = ?", qid)[0][0])


def becomes(live: LiveServer, qid: int, status: str) -> None:
    wait_for(lambda: status_of(live, qid) == status, what=f"#{qid} {status}")


def prompter_page(contexts: Any, live: LiveServer, show_id: int) -> Page:
    page = contexts("host1", "host").new_page()
    page.goto(f"/prompter/{show_id}?key={live.token('prompter', show_id)}")
    expect(page.locator("#text")).to_have_text(WAITING)
    return page


def producer_tab(page: Page, tab: str) -> None:
    page.evaluate(f"location.hash = '{tab}'")
    expect(page.locator("body")).to_have_attribute("data-ready", tab, timeout=10_000)


def test_desk_prompter_and_log_show_one_masked_air_text(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    sid = show["id"]
    ru, kk = ingest(live, sid, [message(1, RU), message(2, KK)])
    desk = open_desk(contexts("aigul"), sid)
    seen = watch(desk)
    prompter = prompter_page(contexts, live, sid)
    producer = contexts("prod", "producer").new_page()
    producer.goto(f"/producer?show={sid}#log")
    approve_all(live, [ru, kk])
    rundown_row = desk.locator(f'.rundown-item[data-id="{ru}"] .rundown-text')
    expect(rundown_row).to_contain_text("[телефон]")  # the rundown reads as the host will read it

    on_air_button(desk, ru).click()
    air = desk.locator("#onair .onair-text")
    expect(prompter.locator("#text")).to_contain_text("[телефон]")
    expect(air).to_contain_text("[телефон]")
    desk_text, prompter_text = air.inner_text(), prompter.locator("#text").inner_text()
    assert desk_text == prompter_text
    assert "[e-mail]" in desk_text and not re.search(r"\d", desk_text), desk_text  # no digit of the phone
    desk.keyboard.press("v")  # the original, a key away
    expect(air).to_contain_text(PHONE)
    expect(desk.locator("#onair .onair-toggle")).to_have_attribute("aria-pressed", "true")
    desk.keyboard.press("v")
    expect(air).to_have_text(desk_text)

    prompter.keyboard.press("PageDown")  # the host's Next: answered, and the Kazakh question goes on air
    expect(prompter.locator("#text")).to_contain_text("[телефон нөмірі]")
    expect(air).to_contain_text("[телефон нөмірі]")
    kk_text = air.inner_text()
    assert kk_text == prompter.locator("#text").inner_text() and "[телефон]" not in kk_text
    becomes(live, ru, "answered")

    producer_tab(producer, "report")
    producer_tab(producer, "log")
    aired = producer.locator("#aired table tbody tr")
    expect(aired).to_have_count(2)
    assert aired.nth(0).locator("td").nth(2).inner_text() == desk_text
    assert aired.nth(1).locator("td").nth(2).inner_text() == kk_text
    expect(aired.nth(0).locator("td").nth(1)).to_contain_text(PHONE)  # the original beside it, for the producer
    assert PHONE not in prompter.content()
    assert seen == {"errors": [], "dialogs": [], "foreign": []}


def test_on_air_outcomes_by_keyboard_counted_apart_and_cleared_at_the_end(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    sid = show["id"]
    a, b, c, d, e = ingest(live, sid, [message(i, f"Вопрос {i}: когда починят улицу номер {i}?") for i in range(5)])
    approve_all(live, [a, b, c, d, e])
    desk = open_desk(contexts("aigul"), sid)
    seen = watch(desk)
    prompter = prompter_page(contexts, live, sid)
    first = desk.locator(".rundown-item").first
    desk.keyboard.press("?")  # the keys are in the help
    help_box = desk.locator("dialog.dlg-help")
    for key, what in (("b", "back to the top of the rundown"), ("f", "to follow-up"), ("v", "as read on air")):
        expect(help_box.locator("tr", has=desk.locator(f'kbd:text-is("{key}")'))).to_contain_text(what)
    desk.keyboard.press("Escape")
    expect(help_box).to_be_hidden()

    on_air_button(desk, a).click()
    expect(desk.locator("#onair")).to_contain_text(f"#{a}")
    on_air_button(desk, b).click()  # never an implied answer for the question on air
    expect(desk.locator(".toast").last).to_contain_text(f"#{a} is on air")
    expect(desk.locator("#onair")).to_contain_text(f"#{a}")
    desk.keyboard.press("b")  # skipped: back to the top of the rundown
    expect(desk.locator("#onair")).to_contain_text("Nothing on air")
    expect(first).to_have_attribute("data-id", str(a))

    on_air_button(desk, b).click()
    expect(prompter.locator("#text")).to_contain_text(f"Вопрос {b - a}")
    expect(desk.locator("#onair")).to_contain_text(f"#{b}")
    desk.keyboard.press("f")  # to follow-up
    becomes(live, b, "follow_up")
    expect(prompter.locator("#text")).to_have_text(WAITING)

    on_air_button(desk, c).click()
    expect(desk.locator("#onair")).to_contain_text(f"#{c}")
    expect(prompter.locator("#next-btn")).to_contain_text("Answered, next")  # what the host's Next does, said
    prompter.locator("#next-btn").click()
    expect(desk.locator("#onair")).to_contain_text(f"#{a}")  # the skipped one, from the top of the rundown
    becomes(live, c, "answered")
    desk.keyboard.press("b")
    expect(first).to_have_attribute("data-id", str(a))

    on_air_button(desk, e).click()
    expect(prompter.locator("#text")).to_contain_text(f"Вопрос {e - a}")
    producer = contexts("prod", "producer").new_page()
    producer.goto(f"/producer?show={sid}#live")
    expect(producer.locator("body")).to_have_attribute("data-ready", "live", timeout=10_000)
    producer.locator("#end").click()
    expect(producer.locator("#end")).to_contain_text("counts as answered")
    producer.locator("#end").click()
    expect(desk.locator("#onair")).to_contain_text("Nothing on air")  # the end closes the question on air
    expect(prompter.locator("#text")).to_have_text(WAITING)
    becomes(live, e, "answered")

    producer_tab(producer, "report")
    for total, n in (("answered_on_air", "2"), ("skipped", "1"), ("follow_up_on_air", "1"), ("not_reached", "1")):
        expect(producer.locator(f'[data-total="{total}"] .card-value')).to_have_text(n)
    producer_tab(producer, "log")
    expect(producer.locator("#timeline .kind-skipped").first).to_have_text("skipped")
    assert seen["errors"] == [] and seen["dialogs"] == []


LONG = {
    "ru": ("Уважаемый аким, обращаюсь от имени жителей микрорайона Шанырак-2: третью неделю нет горячей воды, "
           "управляющая компания не отвечает, в акимат района писали дважды, ответа нет, у нас маленькие дети и "
           "пожилые родители, мыться приходится у родственников на другом конце города, а счета за отопление "
           "и воду приходят как обычно, без перерасчёта. Когда дадут воду и будет ли перерасчёт за эти недели? "),
    "kk": ("Құрметті әкім, Шаңырақ-2 шағынауданының тұрғындары атынан жазып отырмын: үшінші апта ыстық су жоқ, "
           "басқарушы компания жауап бермейді, аудан әкімдігіне екі рет жаздық, жауап жоқ, үйде кішкентай "
           "балалар мен қарт ата-аналар бар, қаланың арғы шетіндегі туыстарымызға барып жуынамыз, ал жылу мен "
           "су үшін төлем қағаздары әдеттегідей келеді, қайта есептеусіз. Су қашан беріледі, қайта есеп бола ма? "),
}


def crowd(live: LiveServer, ids: list[int]) -> None:
    """Rows whose meta line is full: starred, asked twice (a merge), flagged PII, link and spam."""
    mod = live.login("crowder", "moderator")
    for qid in ids[:2]:
        assert mod.act(mod.get(f"/api/questions/{qid}").json(), "star").status_code == 200
    merged = mod.act(mod.get(f"/api/questions/{ids[2]}").json(), "merge", into=ids[0])
    assert merged.status_code == 200, merged.text


def inside(page: Page, selector: str) -> None:
    """Every element `selector` names is wholly inside the 1366×768 viewport."""
    boxes = page.locator(selector)
    assert boxes.count() > 0, selector
    for i in range(boxes.count()):
        box = boxes.nth(i).bounding_box()
        assert box is not None, f"{selector} #{i} is not rendered"
        assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
        assert box["x"] + box["width"] <= 1366 + 0.5 and box["y"] + box["height"] <= 768 + 0.5, (selector, box)


def test_long_on_air_question_at_1366x768_keeps_controls_and_rundown_on_screen(contexts: Any,
                                                                                live: LiveServer) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for base, lang in ((100, "ru"), (200, "kk")):
        show = live.show(title=f"Akimat Live — {lang}")
        sid = show["id"]
        flagged = {"text": LONG[lang] * 3 + "@aidos_almaty https://instagram.com/aidos 8 701 555 12 34"}
        ids = ingest(live, sid, [message(base + i, **flagged) if i == 0 else
                                 message(base + i, f"{LONG[lang][:90]} — үй {i} / дом {i}?") for i in range(6)])
        heavy = {"name": "Гульнара-Айгерим Сарсенбаевна Кожахметова", "handle": "@g"}  # a long name, many flags
        crowded = ingest(live, sid, [message(base + 10 + i, f"{LONG[lang][:60]} 8 701 555 12 3{i} t.me/aidos{i} "
                                             f"x{i}@mail.kz https://bit.ly/x{i}", author=heavy) for i in range(3)])
        crowd(live, crowded)
        approve_all(live, ids[:4])
        ctx = contexts(f"mod-{lang}", lang=lang, viewport={"width": 1366, "height": 768})
        desk = open_desk(ctx, sid)
        seen = watch(desk)
        other = open_desk(contexts(f"moderator-{lang}-second-shift", lang=lang), sid)
        other.keyboard.press("c")  # a colleague's claim on the newest crowded row: its lock takes room too
        expect(desk.locator(f'.row[data-id="{crowded[1]}"] .lock')).to_be_visible()
        on_air_button(desk, ids[0]).click()
        expect(desk.locator("#onair.live")).to_be_visible()
        expect(desk.locator(".rundown-item")).to_have_count(3)  # the rest of the rundown
        for selector in ("#onair .onair-label", "#onair .onair-toggle", "#onair .onair-actions button",
                         ".rundown-item >> nth=0", ".rundown-item >> nth=0 >> button", "#guest-first"):
            inside(desk, selector)
        text = desk.locator("#onair .onair-text")
        scroll = text.evaluate("el => [el.scrollHeight, el.clientHeight]")
        assert scroll[0] > scroll[1], scroll  # the long question scrolls inside the box
        for i in range(desk.locator(".row").count()):  # the queue rows' status badges are never cut
            badge = desk.locator(".row").nth(i).locator(".badge")
            clipped = badge.evaluate("el => { const b = el.getBoundingClientRect(), "
                                     "m = el.parentElement.getBoundingClientRect(); "
                                     "return b.right > m.right + 0.5 || b.width < el.scrollWidth; }")
            assert not clipped, (lang, i)
        desk.screenshot(path=str(SHOTS / f"desk-1366-on-air-{lang}.png"))
        desk.keyboard.press("b")  # the outcome buttons work from here: skipped, back on top
        expect(desk.locator(".rundown-item").first).to_have_attribute("data-id", str(ids[0]))
        assert seen["errors"] == [], seen
