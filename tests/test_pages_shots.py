"""Screenshots of every page in kk, ru and en (looked at by a person before a page is called done)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.conftest import LiveServer, message
from tests.test_pages_support import SHOTS, browser, contexts, ingest, open_desk

__all__ = ["browser", "contexts"]

TEXTS = ["Сәлеметсіз бе! Шаңырақ-2 шағынауданында үш күннен бері ыстық су жоқ. Қашан береді? Өтініш, көмектесіңіз!",
         "Когда отремонтируют дорогу по улице Момышулы в Алатауском районе? Ямы огромные.",
         "Мектепке орын жетпейді, Алатау ауданында жаңа мектеп салына ма?",
         "Автобус 92 ходит раз в сорок минут, можно ли добавить машины на маршрут?",
         "Ауладағы балалар алаңы сынған, кім жөндейді? Әкімдікке хат жаздық, жауап жоқ.",
         "Газ когда проведут в Калкаман? Обещали ещё в прошлом году."]


def relang(page: Page, lang: str, user: str | None = None) -> None:
    page.evaluate(f"localStorage.setItem('efir.lang', '{lang}')")
    if user:
        page.evaluate(f"localStorage.setItem('efir.lang.{user}', '{lang}')")
    page.reload()


def test_screenshots_in_three_languages(contexts: Any, live: LiveServer) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    show = live.show("Akimat Live — Алатау ауданы", guests=[
        {"name": "Ерлан Сәрсенов", "position": "Алатау ауданының әкімі", "district": "alatau"}])
    ids = ingest(live, show["id"], [message(i, text, channel=["whatsapp", "telegram", "youtube", "sms"][i % 4])
                                    for i, text in enumerate(TEXTS * 3)])
    s = live.login("shots-prod", "producer")
    for qid in ids[:3]:
        s.act(s.get(f"/api/questions/{qid}").json(), "approve")
    s.act(s.get(f"/api/questions/{ids[0]}").json(), "on_air")
    key = live.token("prompter", show["id"])
    login = contexts().new_page()
    login.goto("/login")
    desk = open_desk(contexts("moder"), show["id"])
    prompter = contexts(viewport={"width": 1280, "height": 800}).new_page()
    prompter.goto(f"/prompter/{show['id']}?key={key}")
    phone = contexts("oper", "operator", viewport={"width": 1400, "height": 800}).new_page()
    phone.goto("/phone")
    expect(phone.locator("#show-title")).to_have_text(show["title"], timeout=15_000)  # the form is wired by then
    phone.locator("#caller").fill("Әсем Қайратқызы")
    phone.locator("#district").fill("Медеу")
    phone.locator("#text").fill("Көктөбе жолында жарық жанбайды, қашан жөндейді?")
    phone.locator("#text").press("Enter")
    expect(phone.locator("#recent li")).to_have_count(1, timeout=15_000)  # slow on a loaded CI machine
    for lang, heading in (("kk", "Кіру"), ("ru", "Вход"), ("en", "Sign in")):
        relang(login, lang)
        expect(login.locator("h1")).to_have_text(heading)
        login.screenshot(path=str(SHOTS / f"login-{lang}.png"))

        relang(desk, lang, "moder")
        expect(desk.locator("#conn")).to_have_attribute("data-state", "live")
        expect(desk.locator(".row").first).to_be_visible()
        desk.keyboard.press("j")
        desk.screenshot(path=str(SHOTS / f"desk-{lang}.png"))

        relang(prompter, lang)
        expect(prompter.locator("#text")).to_contain_text("Шаңырақ-2")
        prompter.screenshot(path=str(SHOTS / f"prompter-{lang}.png"))
        prompter.keyboard.press("m")
        expect(prompter.locator("body")).to_have_class(__import__("re").compile(r"\bmirror\b"))
        prompter.screenshot(path=str(SHOTS / f"prompter-{lang}-mirrored.png"))
        prompter.keyboard.press("m")

        relang(phone, lang, "oper")
        expect(phone.locator("#recent li")).to_have_count(1)
        phone.locator("#caller").fill("Ұлжан")
        phone.screenshot(path=str(SHOTS / f"phone-{lang}.png"))
    assert len(list(SHOTS.glob("*-??.png")) + list(SHOTS.glob("*-mirrored.png"))) >= 15


def test_a_long_question_shrinks_to_fit_the_prompter(contexts: Any, live: LiveServer) -> None:
    show = live.show()
    long_text = ("Сәлеметсіз бе! Шаңырақ-2 шағынауданында үш күннен бері ыстық су жоқ, балалар ауырып жатыр, "
                 "КСК телефон көтермейді, әкімдікке хат жаздық, жауап жоқ. ") * 4
    [qid] = ingest(live, show["id"], [message(1, long_text, author={"name": "Айгерим Садыкова"})])
    s = live.login("fit-prod", "producer")
    s.act(s.act(s.get(f"/api/questions/{qid}").json(), "approve").json(), "on_air")
    key = live.token("prompter", show["id"])
    page = contexts(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(f"/prompter/{show['id']}?key={key}")
    expect(page.locator("#meta")).to_contain_text("Айгерим")
    box = page.locator("#current").bounding_box()
    meta = page.locator("#meta").bounding_box()
    assert box and meta and meta["y"] + meta["height"] <= box["y"] + box["height"] + 1  # the meta line is whole
    size = float(page.evaluate("getComputedStyle(document.body).getPropertyValue('--p-size')").strip("px "))
    chosen = float(page.evaluate("JSON.parse(localStorage.getItem('efir.prompter')).size"))
    assert chosen / 2 <= size < chosen  # shrunk to fit, but not below half the host's chosen size
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "prompter-long.png"))
