"""The HTTP API: auth, roles, CSRF, shows, questions, actions, rundown, ingest and its bad inputs."""

from __future__ import annotations

import csv
import io

import httpx

from tests.conftest import LiveServer, message
from tests.livekit import ingest


def test_login_sets_a_session_and_wrong_password_is_refused(live: LiveServer) -> None:
    live.user("aigerim", "moderator")
    with httpx.Client(base_url=live.url) as c:
        bad = c.post("/api/auth/login", json={"username": "aigerim", "password": "nope-nope"})
        assert bad.status_code == 401 and bad.json()["error"]["code"] == "unauthorized"
        assert c.get("/api/shows").status_code == 401
    session = live.login("aigerim")
    assert session.get("/api/auth/me").json()["role"] == "moderator"
    assert session.post("/api/auth/logout").status_code == 200
    assert session.get("/api/shows").status_code == 401


def test_cookie_writes_need_the_csrf_token(live: LiveServer) -> None:
    producer = live.login("prod", "producer")
    body = {"title": "Akimat Live", "starts_at": "2026-11-24T20:00:00+06:00"}
    r = producer.client.post("/api/shows", json=body)  # no X-CSRF-Token
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf"
    assert producer.post("/api/shows", body).status_code == 201


def test_roles_are_enforced(live: LiveServer) -> None:
    show = live.show()
    qid = ingest(live.url, live.token("ingest"), [message(1)]).json()["ids"][0]
    operator = live.login("op", "operator")
    q = operator.get(f"/api/questions/{qid}").json()
    assert operator.act(q, "approve").status_code == 403
    assert operator.post("/api/shows", {"title": "x", "starts_at": "2026-11-24T20:00:00+06:00"}).status_code == 403
    assert operator.post(f"/api/shows/{show['id']}/questions", {"text": "Звонок: когда будет газ?"}).status_code == 201
    host = live.login("host", "host")
    assert host.act(q, "approve").status_code == 403
    moderator = live.login("mod", "moderator")
    q = moderator.act(q, "approve").json()
    assert host.act(q, "on_air").json()["status"] == "on_air"
    assert moderator.get(f"/api/shows/{show['id']}/log").status_code == 403


def test_show_lifecycle(live: LiveServer) -> None:
    producer = live.login("prod", "producer")
    r = producer.post("/api/shows", {"title": "Akimat Live", "starts_at": "2026-11-24T20:00:00+06:00",
                                     "guests": [{"name": "Ерлан Сәрсенов", "position": "Әкім", "district": "alatau"}]})
    assert r.status_code == 201
    show = r.json()
    assert show["status"] == "scheduled" and show["guests"][0]["name"] == "Ерлан Сәрсенов"
    live_show = producer.patch(f"/api/shows/{show['id']}", {"status": "live"}).json()
    assert live_show["status"] == "live" and live_show["started_at"]
    ended = producer.patch(f"/api/shows/{show['id']}", {"status": "ended"}).json()
    assert ended["status"] == "ended" and ended["ended_at"]
    r = producer.patch(f"/api/shows/{show['id']}", {"status": "scheduled"})
    assert r.status_code == 422
    assert producer.get("/api/shows/9999").status_code == 404


def test_messages_route_to_the_live_show_then_the_next_then_the_inbox(live: LiveServer) -> None:
    token = live.token("ingest")
    inbox_id = ingest(live.url, token, [message(1)]).json()["ids"][0]
    later = live.show("Thursday", live=False)
    next_id = ingest(live.url, token, [message(2)]).json()["ids"][0]
    now = live.show("Tuesday")
    live_id = ingest(live.url, token, [message(3)]).json()["ids"][0]
    mod = live.login("mod")
    assert mod.get(f"/api/questions/{inbox_id}").json()["show_id"] is None
    assert mod.get(f"/api/questions/{next_id}").json()["show_id"] == later["id"]
    assert mod.get(f"/api/questions/{live_id}").json()["show_id"] == now["id"]


def test_question_list_filters_and_pages(live: LiveServer) -> None:
    show = live.show()
    token = live.token("ingest")
    ingest(live.url, token, [message(i) for i in range(30)] + [message(99, channel="whatsapp")])
    mod = live.login("mod")
    url = f"/api/shows/{show['id']}/questions"
    page1 = mod.get(url, params={"limit": 10}).json()
    page2 = mod.get(url, params={"limit": 10, "after": page1[-1]["id"]}).json()
    assert len(page1) == len(page2) == 10 and page2[0]["id"] > page1[-1]["id"]
    assert [q["channel"] for q in mod.get(url, params={"channel": "whatsapp"}).json()] == ["whatsapp"]
    assert len(mod.get(url, params={"q": "Момышулы 7?"}).json()) == 1
    assert mod.get(url, params={"limit": "ten"}).status_code == 422
    assert len(mod.get(url, params={"limit": 5000}).json()) == 31  # capped at 1,000, not refused


def test_ingest_rejects_bad_input_and_stores_nothing_of_it(live: LiveServer) -> None:
    show = live.show()
    token = live.token("ingest")
    auth = {"Authorization": f"Bearer {token}"}
    post = lambda content, **h: httpx.post(live.url + "/api/ingest", content=content,  # noqa: E731
                                           headers={**auth, "content-type": "application/json", **h})
    assert httpx.post(live.url + "/api/ingest", json={"messages": [message(1)]}).status_code == 401
    wrong = {"Authorization": "Bearer " + live.token("prompter", show["id"])}
    assert httpx.post(live.url + "/api/ingest", json={"messages": [message(1)]}, headers=wrong).status_code == 401
    r = post(b'{"messages": [')
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_json"
    r = post(b'{"messages": [{"channel": "telegram", "external_id": "x", "text": "\xff\xfe"}]}')
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_encoding"
    r = ingest(live.url, token, [message(1), {"channel": "telegram", "text": 5}])
    assert r.status_code == 422 and r.json()["error"]["field"].startswith("messages.1")
    r = ingest(live.url, token, [message(2, channel="pigeon")])
    assert r.status_code == 422
    r = ingest(live.url, token, [message(i) for i in range(1001)])
    assert r.status_code == 422
    r = post(b"[" * 100_000 + b"]" * 100_000)
    assert r.status_code in (400, 413)
    r = post(b'{"messages": [' + b"0" * (9 * 1024 * 1024) + b"]}")
    assert r.status_code == 413
    mod = live.login("mod")
    assert mod.get(f"/api/shows/{show['id']}/questions").json() == []


def test_actions_over_http(live: LiveServer) -> None:
    show = live.show()
    ids = ingest(live.url, live.token("ingest"), [message(i) for i in range(3)]).json()["ids"]
    mod = live.login("mod")
    qs = [mod.get(f"/api/questions/{i}").json() for i in ids]
    approved = [mod.act(q, "approve").json() for q in qs[:2]]
    assert [q["rundown_pos"] for q in approved] == [0, 1]
    r = mod.put(f"/api/shows/{show['id']}/rundown", {"order": [ids[1], ids[0]]})
    assert r.json()["order"] == [ids[1], ids[0]]
    edited = mod.act(approved[0], "edit", text="Когда починят дорогу на Момышулы?").json()
    assert edited["text"] == "Когда починят дорогу на Момышулы?" and edited["text_original"] == qs[0]["text_original"]
    tagged = mod.act(edited, "tag", topic="roads", district="alatau").json()
    assert (tagged["topic"], tagged["district"]) == ("roads", "alatau")
    merged = mod.act(qs[2], "merge", into=ids[0]).json()
    assert merged["status"] == "merged" and mod.get(f"/api/questions/{ids[0]}").json()["asked_count"] == 2
    r = mod.post(f"/api/questions/{ids[0]}/actions", {"action": "explode", "version": 1})
    assert r.status_code == 422
    r = mod.post("/api/questions/424242/actions", {"action": "approve", "version": 1})
    assert r.status_code == 404
    follow = mod.act(mod.get(f"/api/questions/{ids[1]}").json(), "follow_up", assignee="Алатау ауданы әкімдігі",
                     due="2026-12-01").json()
    assert follow["status"] == "follow_up" and follow["follow_up"]["assignee"] == "Алатау ауданы әкімдігі"
    log = live.login("prod", "producer").get(f"/api/shows/{show['id']}/log").json()
    assert [e["kind"] for e in log].count("received") == 3 and "merged" in [e["kind"] for e in log]


def test_phone_desk_entry_goes_through_triage(live: LiveServer) -> None:
    show = live.show()
    operator = live.login("op", "operator")
    r = operator.post(f"/api/shows/{show['id']}/questions", {
        "text": "Звонок: в Шаныраке нет воды, перезвоните +7 701 111 22 33",
        "author": {"name": "Гүлнар", "contact": "+77011112233"}, "district": "alatau", "topic": "water"})
    assert r.status_code == 201
    q = r.json()
    assert q["channel"] == "phone" and q["district"] == "alatau" and q["topic"] == "water"
    assert "pii" in q["flags"]
    assert operator.post(f"/api/shows/{show['id']}/questions", {"text": ""}).status_code == 422


def test_exports_stream_csv_with_bom_and_json(live: LiveServer) -> None:
    show = live.show()
    ingest(live.url, live.token("ingest"), [message(i) for i in range(5)])
    producer = live.login("prod", "producer")
    exported = producer.get(f"/api/shows/{show['id']}/export.csv")
    assert exported.status_code == 200 and exported.content.startswith("\ufeff".encode())
    assert len(exported.text.strip().splitlines()) == 6 and "Момышулы" in exported.text
    data = producer.get(f"/api/shows/{show['id']}/export.json").json()
    assert len(data["questions"]) == 5 and "contact" not in data["questions"][0]["author"]
    assert producer.get(f"/api/shows/{show['id']}/export.xml").status_code == 422


def test_service_endpoints(live: LiveServer) -> None:
    assert httpx.get(live.url + "/healthz").json() == {"ok": True}
    ingest(live.url, live.token("ingest"), [message(1)])
    metrics = httpx.get(live.url + "/metrics").text
    assert 'efir_ingest_messages_total{channel="telegram",result="received"} 1.0' in metrics
    assert "efir_commit_seconds_bucket" in metrics
    spec = httpx.get(live.url + "/openapi.json").json()
    assert "/api/questions/{question_id}/actions" in spec["paths"]
    assert "Question" in spec["components"]["schemas"]
    r = httpx.get(live.url + "/nowhere")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert "content-security-policy" in httpx.get(live.url + "/healthz").headers


def test_a_nul_character_is_taken_out_and_never_a_server_error(live: LiveServer) -> None:
    # found by schemathesis on PostgreSQL, whose text cannot hold U+0000; both databases store the same text
    show = live.show()
    r = ingest(live.url, live.token("ingest"), [message(1, text="Су\u0000 қашан болады?")])
    assert r.status_code == 200, r.text
    mod = live.login("mod", "moderator")
    q = mod.get(f"/api/questions/{r.json()['ids'][0]}").json()
    assert q["text_original"] == "Су қашан болады?" and q["show_id"] == show["id"]
    search = mod.get(f"/api/shows/{show['id']}/questions", params={"q": "Су\u0000"})
    assert search.status_code in (200, 422) and search.status_code < 500


def test_suggested_duplicates_over_http(live: LiveServer) -> None:
    live.show()
    texts = ["В Шанырак-2 третий день нет горячей воды, когда дадут?",
             "Шанырак-2: нет горячей воды уже три дня, помогите",
             "В Шанырак-2 во дворе не вывозят мусор, когда уберут?",
             "Мусор не вывозят уже неделю, контейнеры во дворе переполнены"]
    ids = ingest(live.url, live.token("ingest"), [message(i, t) for i, t in enumerate(texts)]).json()["ids"]
    mod = live.login("mod")
    hot, hot_again, garbage, near = [mod.get(f"/api/questions/{i}").json() for i in ids]
    assert hot_again["cluster_reason"]["place"] and near["suggested"][0]["id"] == garbage["id"]
    r = mod.act(hot, "split")
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_clustered"
    r = mod.act(near, "dismiss")
    assert r.status_code == 422 and r.json()["error"]["field"] == "into"
    r = mod.act({**near, "version": near["version"] - 1}, "dismiss", into=garbage["id"])
    assert r.status_code == 409 and r.json()["question"]["version"] == near["version"]
    assert mod.act(near, "dismiss", into=garbage["id"]).json()["dismissed"] == [garbage["id"]]
    split = mod.act(hot_again, "split").json()
    assert split["cluster_id"] == split["id"] and mod.get(f"/api/questions/{hot['id']}").json()["asked_count"] == 1
    listed = {q["id"]: q for q in mod.get(f"/api/shows/{hot['show_id']}/questions").json()}
    assert listed[near["id"]]["suggested"] == [] and listed[near["id"]]["dismissed"] == [garbage["id"]]
    prod = live.login("prod", "producer")
    rows = list(csv.DictReader(io.StringIO(prod.get(f"/api/shows/{hot['show_id']}/export.csv").text.lstrip("\ufeff"))))
    assert rows[1]["cluster_reason"] == "" and rows[3]["suggested"] == ""  # split, dismissed
    exported = {q["id"]: q for q in prod.get(f"/api/shows/{hot['show_id']}/export.json").json()["questions"]}
    assert exported[near["id"]]["dismissed"] == [garbage["id"]]


def test_csv_export_says_why_a_question_joined_its_cluster(live: LiveServer) -> None:
    show = live.show()
    texts = ["В Шанырак-2 третий день нет горячей воды, когда дадут?",
             "Шанырак-2: нет горячей воды уже три дня, помогите",
             "В Шанырак-2 во дворе не вывозят мусор, когда уберут?",
             "Мусор не вывозят уже неделю, контейнеры во дворе переполнены"]
    ids = ingest(live.url, live.token("ingest"), [message(i, t) for i, t in enumerate(texts)]).json()["ids"]
    prod = live.login("prod", "producer")
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(
        prod.get(f"/api/shows/{show['id']}/export.csv").text.lstrip("\ufeff")))}
    assert rows[ids[1]]["cluster_reason"] == "place: Шанырак 2; problem: no_hot_water"
    assert rows[ids[3]]["suggested"] == str(ids[2]) and rows[ids[0]]["cluster_reason"] == ""
