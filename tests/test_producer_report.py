"""The post-show log (offsets, who edited what) and the report's numbers, against a scripted show."""

from __future__ import annotations

from datetime import datetime, timedelta

from server.air import rundown_view
from server.store.producer_sql import offset_text
from tests.conftest import LiveServer
from tests.test_producer_support import act, iso, new_question, q, scripted_show, seed, sql, started_ago


def test_log_has_on_air_offsets_actors_and_edits_side_by_side(live: LiveServer) -> None:
    prod = live.login("prod", "producer")
    show = live.show()
    sid = show["id"]
    ids = seed(live, [new_question(sid, i, text=f"Когда починят дорогу на Момышулы {i}? мой номер +77011234567")
                      for i in range(3)])
    started_ago(live, sid, 14 * 60 + 32.2)  # the show went on air 14:32 ago
    mod = live.login("dana", "moderator")
    act(mod, ids[0], "approve")
    act(mod, ids[0], "edit", text="Когда починят дорогу на Момышулы?")
    act(prod, ids[0], "on_air")
    act(mod, ids[1], "reject", reason="off_topic")
    log = prod.get(f"/api/shows/{sid}/timeline?skip=received").json()
    entries = {e["kind"]: e for e in log["entries"]}
    on_air = entries["on_air"]
    assert on_air["actor"] == "prod" and 872 <= on_air["offset_seconds"] < 880  # 14:32 and the seconds the test took
    assert on_air["offset"] == offset_text(on_air["offset_seconds"]) and on_air["offset"].startswith("00:14:3")
    assert offset_text(872.9) == "00:14:32" and offset_text(3 * 3600 + 5) == "03:00:05"
    assert offset_text(-61) == "-00:01:01" and offset_text(-0.4) == "00:00:00"
    assert entries["edited"]["actor"] == "dana"
    assert entries["edited"]["text_before"].endswith("+77011234567") and entries["edited"]["text_after"].endswith("ы?")
    assert entries["rejected"]["changes"]["reason"] == "off_topic"
    assert "received" not in entries
    assert [a["id"] for a in log["aired"]] == [ids[0]]
    aired = log["aired"][0]
    assert aired["offset"] == on_air["offset"] and aired["edited"] and aired["edited_by"] == ["dana"]
    assert aired["text_original"].endswith("+77011234567") and aired["text"] == "Когда починят дорогу на Момышулы?"
    only_dana = prod.get(f"/api/shows/{sid}/timeline?actor=dana").json()["entries"]
    assert {e["kind"] for e in only_dana} == {"approved", "edited", "rejected"}
    only_q = prod.get(f"/api/shows/{sid}/timeline?question={ids[0]}&kinds=edited,on_air").json()["entries"]
    assert [e["kind"] for e in only_q] == ["edited", "on_air"]
    paged = prod.get(f"/api/shows/{sid}/timeline?limit=2").json()["entries"]
    rest = prod.get(f"/api/shows/{sid}/timeline?after={paged[-1]['seq']}").json()["entries"]
    assert len(paged) == 2 and rest[0]["seq"] > paged[-1]["seq"]
    assert mod.get(f"/api/shows/{sid}/timeline").status_code == 403


def test_report_numbers_of_a_scripted_show(live: LiveServer) -> None:
    show = scripted_show(live)
    prod = live.login("aigerim", "producer")
    # arrival → air: 1, 2, 3, 4, 5 and 10 minutes for the six aired questions
    for qid, minutes in zip(show.aired, (1, 2, 3, 4, 5, 10), strict=True):
        on_air_at = datetime.fromisoformat(q(prod, qid)["transitions"]["on_air"])
        received = iso(on_air_at - timedelta(minutes=minutes))
        sql(live, "UPDATE questions SET received_at = ? WHERE id = ?", (received, qid))
    r = prod.get(f"/api/shows/{show.show_id}/report").json()
    assert r["by_channel"] == {"whatsapp": 8, "telegram": 6, "sms": 4, "phone": 2}
    assert r["by_topic"] == {"roads": 7, "water": 5, "": 4, "heating": 4}
    assert r["by_district"] == {"alatau": 9, "medeu": 6, "auezov": 5}
    assert r["by_lang"] == {"ru": 12, "kk": 6, "mixed": 2}
    assert r["by_status"] == {"answered": 6, "new": 5, "follow_up": 3, "rejected": 3, "merged": 2, "approved": 1}
    assert r["totals"] == {"questions": 20, "asked": 20, "answered_on_air": 6, "skipped": 0, "follow_up_on_air": 0,
                           "follow_up": 3, "rejected": 3, "merged": 2, "not_reached": 6}
    assert r["resolutions"] == {"open": 3}
    assert r["time_to_air"] == {"count": 6, "median_seconds": 210.0, "p90_seconds": 600.0}
    throughput = {m["actor"]: m for m in r["moderators"]}
    assert [m["actor"] for m in r["moderators"]] == ["dana", "timur", "aigerim"]
    assert (throughput["dana"]["actions"], throughput["dana"]["approved"], throughput["dana"]["edited"]) == (12, 10, 2)
    assert (throughput["timur"]["actions"], throughput["timur"]["rejected"], throughput["timur"]["merged"],
            throughput["timur"]["follow_up"]) == (8, 3, 2, 3)
    assert (throughput["aigerim"]["actions"], throughput["aigerim"]["on_air"]) == (7, 6)
    assert "seed" not in throughput


def test_report_of_an_empty_show_has_zeroes_not_errors(live: LiveServer) -> None:
    prod = live.login("prod", "producer")
    sid = live.show()["id"]
    r = prod.get(f"/api/shows/{sid}/report").json()
    assert r["totals"]["questions"] == 0 and r["time_to_air"] == {"count": 0, "median_seconds": None,
                                                                  "p90_seconds": None}
    assert prod.get("/api/shows/999/report").status_code == 404


def test_the_logs_air_column_is_what_the_prompter_showed(live: LiveServer) -> None:
    prod = live.login("prod", "producer")
    sid = live.show()["id"]
    [qid] = seed(live, [new_question(sid, 1, lang="kk", text="Жол қашан жөнделеді? Нөмірім 8 701 555 12 34")])
    mod = live.login("dana", "moderator")
    act(mod, qid, "approve")
    act(prod, qid, "on_air")
    shown = rundown_view(live.call(live.efir.store.air_state(sid)))["on_air"]
    assert isinstance(shown, dict) and shown["text"] == "Жол қашан жөнделеді? Нөмірім [телефон нөмірі]"
    assert q(mod, qid)["air_text"] == shown["text"]  # the desk's on-air box
    act(prod, qid, "answered")
    act(mod, qid, "edit", text="Жол қашан жөнделеді? (after the show) 8 701 555 12 34")
    [aired] = prod.get(f"/api/shows/{sid}/timeline").json()["aired"]
    assert aired["air_text"] == shown["text"]  # an edit after it left the air is not what was read
