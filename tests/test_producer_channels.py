"""The channel strip on the producer's live page in Chromium: green, amber, red chips with each channel's
last message, lag, errors and dead letters; screenshots to $EFIR_SHOTS (producer-channels.png, the strip;
producer-live-channels.png, the page, as in docs/screenshots/producer-channels.png)."""

from __future__ import annotations

import time
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.test_channel_health import _now, backdate_heartbeat, beat, live, whatsapp
from tests.test_pages_support import SHOTS, browser, contexts, watch
from tests.webhook_payloads import wa_message

__all__ = ["browser", "contexts", "live"]


def test_the_producer_sees_the_channel_strip(contexts: Any, live: LiveServer) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    show = live.show("Akimat Live — Алатау")
    token = live.token("ingest")
    whatsapp(live, wa_message(1, "Когда починят дорогу на Момышулы?", timestamp=str(int(time.time()) - 4)))
    beat(live, token, "youtube:Cg0KC0FCQ2RlZkdISUpL", polls=120, accepted=48, lag=3.2,
         last_message_at=_now())
    beat(live, token, "email:desk@akimat.kz@imap.akimat.kz/INBOX", polls=30, accepted=7, dead=1, lag=41.0,
         last_message_at=_now())
    httpx.post(f"{live.url}/api/ingest/dead-letters", headers={"Authorization": f"Bearer {token}"}, json={
        "dead_letters": [{"channel": "email", "reason": "not an e-mail: no header lines", "raw": "eHl6"}]})
    beat(live, token, "facebook:911936075671494", polls=10, accepted=3)
    backdate_heartbeat(live, "facebook:911936075671494", 900)
    page = contexts("aigerim", "producer", lang="ru").new_page()
    seen = watch(page)
    page.goto(f"/producer?show={show['id']}#live")
    expect(page.locator("body")).to_have_attribute("data-ready", "live", timeout=10_000)
    chips = page.locator("#channels .channel-chip")
    expect(chips).to_have_count(6)
    state = {chip.get_attribute("data-channel"): chip.get_attribute("data-state") for chip in chips.all()}
    assert state == {"webhook:whatsapp": "green", "webhook:instagram": "amber", "webhook:telegram": "amber",
                     "email:desk@akimat.kz@imap.akimat.kz/INBOX": "red", "facebook:911936075671494": "red",
                     "youtube:Cg0KC0FCQ2RlZkdISUpL": "green"}
    expect(page.locator('[data-channel="webhook:instagram"] .ch-why')).to_have_text("нет сообщений 5 мин")
    expect(page.locator('[data-channel="facebook:911936075671494"] .ch-why')).to_have_text("сборщик молчит")
    expect(page.locator('[data-channel="email:desk@akimat.kz@imap.akimat.kz/INBOX"] .ch-facts')).to_contain_text(
        "нечитаемые: 1")
    page.locator(".channels-panel").screenshot(path=str(SHOTS / "producer-channels.png"))
    page.screenshot(path=str(SHOTS / "producer-live-channels.png"))  # docs/screenshots/producer-channels.png
    assert seen == {"errors": [], "dialogs": [], "foreign": []}


