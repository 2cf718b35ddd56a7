"""Viewer text stays text on every page; the phone desk and the login; screenshots in three languages."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from ingest.triage import air_text
from server import air
from tests.conftest import PASSWORD, LiveServer, message
from tests.test_pages_support import browser, contexts, ingest, open_desk, watch
from tests.test_security import XSS

__all__ = ["browser", "contexts"]

PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>", "<body onload=alert(1)>", "\"><script>alert(1)</script>",
    "'><img src=http://evil.example/x.png>", "<a href=\"javascript:alert(1)\">клик</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>", "<audio src=x onerror=alert(1)>", "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>", "<input autofocus onfocus=alert(1)>", "<marquee onstart=alert(1)>",
    "<style>body{display:none}</style>", "<link rel=stylesheet href=http://evil.example/x.css>",
    "<meta http-equiv=refresh content=0;url=http://evil.example>", "<base href=http://evil.example/>",
    "<form action=http://evil.example><button>Сұрақ</button></form>", "{{constructor.constructor('alert(1)')()}}",
    "${alert(1)}", "<scr<script>ipt>alert(1)</scr</script>ipt>", "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<div style=\"background:url(javascript:alert(1))\">", "<template><script>alert(1)</script></template>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">", "<textarea></textarea><script>alert(1)</script>",
    "Жол қашан? <b>bold</b> <i>italic</i> & \"кавычки\" 'апостроф'", "<isindex action=javascript:alert(1) type=image>",
    "</title><script>alert(1)</script>",
]
PAYLOADS = list(dict.fromkeys(PAYLOADS + XSS))  # and the security suite's 50, so every one is also seen in a browser
INJECTED = "img, iframe, svg, math, object, embed, video, audio, marquee, details, base, meta[http-equiv], template, " \
           "noscript, link:not([href^='/ui/']), style, script:not([src^='/ui/']), a[href^=javascript]"


def clean(page: Any, seen: dict[str, list[str]]) -> None:
    assert page.locator(INJECTED).count() == 0
    assert page.evaluate("() => window.__xss === undefined")
    assert seen == {"errors": [], "dialogs": [], "foreign": []}


def test_viewer_html_is_text_on_desk_prompter_and_phone(contexts: Any, live: LiveServer) -> None:
    assert len(PAYLOADS) >= 30
    show = live.show()
    phone = contexts("op1", "operator").new_page()
    phone_seen = watch(phone)
    phone.goto("/phone")
    expect(phone.locator("#show-title")).to_have_text("Akimat Live")
    for text in PAYLOADS[:10]:  # typed in by the phone desk, Enter sends
        phone.locator("#text").fill(text)
        phone.locator("#text").press("Enter")
        expect(phone.locator("#recent li").first.locator(".r-text")).to_have_text(air_text(text).strip() or text)
    ids = ingest(live, show["id"], [message(100 + i, text) for i, text in enumerate(PAYLOADS[10:])])
    clean(phone, phone_seen)

    desk = open_desk(contexts("xss", viewport={"width": 1600, "height": 90 * len(PAYLOADS)}), show["id"])
    desk_seen = watch(desk)
    s = live.login("xss-prod", "producer")
    stored = {q["id"]: q for q in s.get(f"/api/shows/{show['id']}/questions", params={"limit": 100}).json()}
    assert len(stored) == len(PAYLOADS)
    desk.evaluate("() => { const q = window.efirDesk.queue;"
                  " for (const id of q.members.keys()) q.expanded.add(id); q.rebuild(); }")
    expect(desk.locator(".row")).to_have_count(len(stored))  # clusters expanded: every payload has a row
    texts = desk.locator(".row .row-text").all_text_contents()
    assert sorted(texts) == sorted(q["text"] for q in stored.values())
    assert "<script>alert(1)</script>" in texts
    clean(desk, desk_seen)

    key = live.token("prompter", show["id"])
    prompter = contexts().new_page()
    prompter_seen = watch(prompter)
    prompter.goto(f"/prompter/{show['id']}?key={key}")
    previous: dict[str, Any] = {}
    for qid in sorted(stored):  # every payload goes on air in turn, each answering the one before
        q = s.get(f"/api/questions/{qid}").json()
        assert s.act(q, "approve").status_code == 200
        q = s.get(f"/api/questions/{qid}").json()
        r = s.act(q, "on_air", **previous)
        assert r.status_code == 200, r.text
        previous = {"previous": "answered", "previous_version": r.json()["version"]}
        expect(prompter.locator("#text")).to_have_text(air.air_text(q))  # what the prompter may show
    clean(prompter, prompter_seen)
    assert ids


def test_phone_desk_form_pickers_and_recent_status(contexts: Any, live: LiveServer) -> None:
    live.show()
    page = contexts("op2", "operator", lang="kk").new_page()
    page.goto("/phone")
    expect(page.locator("label[for=district]")).to_contain_text("Аудан")
    page.locator("#caller").fill("Сәуле Ахметова")
    page.locator("#contact").fill("+7 701 555 44 33")
    page.locator("#district").fill("Әуез")  # type-ahead: a prefix of the Kazakh name
    page.locator("#topic").fill("Жолдар")
    page.locator("#text").fill("Қашан Момышұлы көшесіндегі жол жөнделеді?")
    page.locator("#text").press("Enter")
    first = page.locator("#recent li").first
    expect(first).to_contain_text("Жаңа")
    expect(page.locator("#text")).to_have_value("")  # ready for the next caller
    expect(page.locator("#caller")).to_be_focused()
    qid = int(first.get_attribute("data-id") or 0)
    s = live.login("phone-mod")
    q = s.get(f"/api/questions/{qid}").json()
    assert (q["district"], q["topic"], q["channel"]) == ("auezov", "roads", "phone")
    assert q["author"]["contact"] == "+77015554433"  # normalised, so the desk can link the same resident
    assert s.act(q, "approve").status_code == 200
    expect(first).to_contain_text("Мақұлданды", timeout=8000)  # the operator sees the status move
    page.locator("#district").fill("Нет такого района")
    page.locator("#text").fill("Вопрос")
    page.locator("#text").press("Enter")
    expect(page.locator("#error")).to_be_visible()


def test_login_language_is_remembered(contexts: Any, live: LiveServer) -> None:
    live.user("lang-user", "moderator")
    page = contexts(lang="ru").new_page()
    page.goto("/login")
    expect(page.locator("h1")).to_have_text("Вход")
    page.get_by_role("button", name="ҚАЗ").click()
    expect(page.locator("h1")).to_have_text("Кіру")
    page.locator("#username").fill("lang-user")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_url("**/desk")
    expect(page.locator(".queue-pane h2")).to_have_text("Кезек")
    page.evaluate("localStorage.setItem('efir.lang', 'en')")  # another user changed the browser's default
    page.reload()
    expect(page.locator(".queue-pane h2")).to_have_text("Кезек")  # …this user keeps Kazakh
