"""The producer log speaks the producer's language (issue 16, item 9): it showed raw keys
(`producer.kind.token_created`) and untranslated field names (`merged_into: 12`). Every event kind and field
the log shows has a kk/ru/en translation; one without any reads as words, never as the key."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.test_pages_support import browser, contexts
from tests.test_producer_pages import goto
from tests.test_producer_support import GUESTS, act, scripted_show, sql

__all__ = ["browser", "contexts"]

I18N = Path(__file__).parent.parent / "moderator_ui" / "i18n"
RAW = re.compile(r"producer\.kind\.|^[a-z_]+\.[a-z_]+$")
RAW_FIELD = re.compile(r"(^|· )[a-z]+_[a-z_]+:")  # a snake_case field name ("merged_into: 12")


def varied_show(live: LiveServer) -> int:
    """The scripted evening plus the rest of what a show's log can hold: a key issued, a segment, a cue, a star,
    an export, the show ended, cases opened, and a kind no language knows."""
    show = scripted_show(live)
    sid = show.show_id
    prod = live.login("aigerim", "producer")
    live.token("prompter", sid)
    planned = prod.put(f"/api/shows/{sid}/segments", {"segments": [{"guest": GUESTS[0]["name"], "title": "Алатау"}]})
    segment = planned.json()[0]["id"]
    prod.post(f"/api/shows/{sid}/segment", {"segment_id": segment})
    prod.post(f"/api/shows/{sid}/cue", {"text": "Заканчиваем"})
    act(prod, show.ids[9], "star", starred=True)
    assert prod.get(f"/api/shows/{sid}/log/export.csv").status_code == 200
    prod.patch(f"/api/shows/{sid}", {"status": "ended"})
    prod.post(f"/api/shows/{sid}/followups", {"include_new": True})
    # a kind no language knows yet (added after this page was written): shown as words
    sql(live, "INSERT INTO events (show_id, question_id, kind, actor, at, payload) "
        "VALUES (?, NULL, 'future_kind', 'cli', '2026-11-24T15:00:00+00:00', '{}')", (sid,))
    return sid


def test_every_kind_the_log_can_show_is_translated() -> None:
    langs = {lang: json.loads((I18N / f"{lang}.json").read_text()) for lang in ("en", "ru", "kk")}
    kinds = {k for k in langs["en"] if k.startswith(("producer.kind.", "producer.field."))}
    for lang, words in langs.items():
        assert kinds <= set(words), (lang, sorted(kinds - set(words)))


def test_the_log_shows_no_raw_keys(contexts: Any, live: LiveServer) -> None:
    sid = varied_show(live)
    kinds = {r[0] for r in live.sql("SELECT DISTINCT kind FROM events WHERE show_id = ?", sid)}
    assert {"token_created", "segment_started", "cue", "exported", "follow_up", "merged", "edited",
            "show_ended", "future_kind"} <= kinds
    langs = {lang: json.loads((I18N / f"{lang}.json").read_text()) for lang in ("en", "ru", "kk")}
    for lang, words in langs.items():
        assert not [k for k in kinds - {"future_kind"} if f"producer.kind.{k}" not in words], lang
    page = contexts("aigerim", "producer", lang="en").new_page()
    page.goto(f"/producer?show={sid}#log")
    goto(page, "log")
    for lang in ("en", "ru", "kk"):
        page.locator(f'.lang-btn[data-lang="{lang}"]').click()
        goto(page, "log")
        page.locator("#log-view").select_option("all")
        expect(page.locator("#timeline li.ev-future_kind")).to_have_count(1)
        cells = page.locator("#timeline li > span, #timeline li .ev-detail .muted").all_inner_texts()
        assert len(cells) > 100
        raw = [c for c in cells if RAW.search(c.strip()) or RAW_FIELD.search(c.strip())]
        assert raw == [], (lang, raw)
        expect(page.locator("#timeline li.ev-future_kind .badge")).to_have_text("future kind")
        token_label = {"en": "key issued", "ru": "ключ выдан", "kk": "кілт берілді"}[lang]
        expect(page.locator("#timeline li.ev-token_created .badge").first).to_have_text(token_label)
    merged = page.locator("#timeline li.ev-merged .ev-detail").first.inner_text()
    assert "біріктірілді" in merged, merged
