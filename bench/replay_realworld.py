"""Replay real platforms' payloads (`../shared/realworld`, read at run time, never copied) through the real
routes and workers against a real server (`efir serve` as a subprocess on loopback), and count what a desk
would suffer:

    blank cards        questions with nothing to read and no media to open
    stalled channels   a channel whose canary (one more good message sent after the replay) never arrived,
                       a worker that stopped, or a webhook the platform would have to re-send (non-2xx)
    5xx                server errors on any route a webhook or worker used
    texts not as sent  a stored question whose text is not the text the viewer sent
    non-questions      statuses, reactions, service notices, commands, digests … that made a card

Usage (from the repository root): `python -m bench.replay_realworld [--realworld ../shared/realworld]`.
Webhooks get each sample serialised and signed as the platform does (Meta: compact, non-ASCII as lowercase
`\\uXXXX`, `/` as `\\/`); placeholder ids that samples share become distinct ones. The e-mail worker reads a
real Dovecot (tests/dovecot.py); YouTube and Facebook workers read loopback stand-ins serving the samples.
"""

from __future__ import annotations

import argparse
import asyncio
import email
import hashlib
import hmac
import json
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from email import policy
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
SECRET = "replay-app-secret"
TG_SECRET = "replay-telegram-secret"
BOT = "123456:REPLAY-bot-token"
MEDIA_TG = ("photo", "voice", "audio", "video", "video_note", "document", "sticker", "animation")
MEDIA_WA = ("image", "video", "document", "sticker", "audio")


@dataclass
class Expect:
    """What a sample should become, worked out here from the payload alone (not by the adapters)."""

    channel: str
    sample: str
    questions: dict[str, str] = field(default_factory=dict)  # external id → the text the viewer sent
    not_questions: set[str] = field(default_factory=set)  # external ids that must never make a card


@dataclass
class Tally:
    payloads: int = 0
    non_2xx: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    stalled: list[str] = field(default_factory=list)
    expects: list[Expect] = field(default_factory=list)
    mail_views: dict[str, str] = field(default_factory=dict)  # Message-ID → what a mail client shows
    mail_not_questions: set[str] = field(default_factory=set)


# -- the server -----------------------------------------------------------------------------------------

class Server:
    def __init__(self, workdir: Path, api_base: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "EFIR_DB": str(workdir / "replay.db"), "EFIR_WHATSAPP_APP_SECRET": SECRET,
                    "EFIR_TELEGRAM_WEBHOOK_SECRET": TG_SECRET, "EFIR_TELEGRAM_BOT_TOKEN": BOT,
                    "EFIR_TELEGRAM_API_BASE": api_base, "EFIR_TRIAGE_WORKERS": "0", "EFIR_REPLY_POLL_SECONDS": "0.2"}
        self.log = open(workdir / "server.log", "wb")  # noqa: SIM115 — closed in stop()
        self.proc: subprocess.Popen[bytes] | None = None

    def efir(self, *args: str, stdin: str | None = None) -> str:
        return subprocess.run([str(ROOT / ".venv/bin/efir"), *args], input=stdin, capture_output=True, text=True,
                              env=self.env, check=True, timeout=60).stdout.strip().splitlines()[-1]

    def start(self) -> None:
        self.proc = subprocess.Popen([str(ROOT / ".venv/bin/efir"), "serve", "--port", str(self.port)],
                                     env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise SystemExit("efir serve did not start; see server.log")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(15)
        self.log.close()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- WhatsApp and Instagram (webhook) -------------------------------------------------------------------

def meta_wire(payload: Any) -> bytes:
    """As Meta's sender writes it: compact, non-ASCII as lowercase \\uXXXX escapes, `/` escaped."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/").encode()


def wa_expect(item: dict[str, Any]) -> str | None:
    kind = item.get("type")
    body = item.get(kind) if isinstance(item.get(kind), dict) else {}
    if kind == "edit":
        inner = (item.get("edit") or {}).get("message") or {}
        return wa_expect({**inner, "id": item.get("id")}) if isinstance(inner, dict) else None
    if kind == "text":
        return str(body.get("body") or "").strip() or None
    if kind in MEDIA_WA:
        return str(body.get("caption") or "")
    if kind == "button":
        return str(body.get("text") or "") or None
    if kind == "interactive":
        reply = body.get("button_reply") or body.get("list_reply")
        return str(reply.get("title") or "") or None if isinstance(reply, dict) else None
    if kind == "location":
        return ", ".join(str(body[k]) for k in ("name", "address") if body.get(k)) or None
    return None


class Renamer:
    """Placeholder ids shared by many samples (`wamid.xyzxyz`, `wamid.ID`) become distinct per sample."""

    PLACEHOLDERS = ("wamid.xyzxyz", "wamid.zyzxyz", "wamid.ID")

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, payload: Any) -> Any:
        text = json.dumps(payload, ensure_ascii=False)
        for p in self.PLACEHOLDERS:
            while f'"{p}"' in text:  # every occurrence: two messages of one sample may share the placeholder
                self.n += 1
                text = text.replace(f'"{p}"', f'"{p}.{self.n}"', 1)
        return json.loads(text)


def whatsapp_samples(realworld: Path) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for path in sorted((realworld / "whatsapp").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        named = data.items() if "object" not in data else [("", data)]
        out += [(f"{path.parent.name}/{path.stem}{'/' + k if k else ''}", v) for k, v in named]
    return out


def replay_meta(client: httpx.Client, realworld: Path, tally: Tally) -> None:
    rename = Renamer()
    samples = whatsapp_samples(realworld)
    text_sample = next(p for n, p in samples if n == "pywa/message/text")
    for name, payload in samples:
        payload = rename(payload)
        before: list[Any] = []
        for entry in payload.get("entry", []):
            for change in entry.get("changes", []):
                for item in change.get("value", {}).get("messages", []) or []:
                    original = (item.get("revoke") or item.get("edit") or {}).get("original_message_id")
                    if original:  # the message withdrawn or edited arrives first, as it would have
                        first = rename(text_sample)
                        first["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = original
                        before.append(first)
        for extra in before:
            post_meta(client, extra, f"whatsapp {name} (original)", tally, count=False)
        post_meta(client, payload, f"whatsapp {name}", tally)
        expect = Expect("whatsapp", name)
        for entry in payload.get("entry", []):
            for change in entry.get("changes", []):
                for item in change.get("value", {}).get("messages", []) or []:
                    text = wa_expect(item)
                    if text is None:
                        expect.not_questions.add(str(item.get("id")))
                    else:
                        expect.questions[str(item.get("id"))] = text
        tally.expects.append(expect)
    sample = json.loads((realworld / "instagram/meta_live_comments_sample.json").read_text(encoding="utf-8"))
    shapes = [{"object": "instagram", "entry": [{"id": "1784", "time": 1764000000, "changes": [sample]}]},
              {"object": "instagram", "entry": [{"id": "1784", "time": 1764000000, **json.loads(
                  json.dumps(sample).replace(sample["value"]["id"], sample["value"]["id"] + "2"))}]}]
    for i, payload in enumerate(shapes):
        post_meta(client, payload, f"instagram shape {i + 1}", tally)
        value = (payload["entry"][0].get("changes") or [payload["entry"][0]])[0]["value"]
        tally.expects.append(Expect("instagram", f"shape {i + 1}", {str(value["id"]): str(value["text"])}))


def post_meta(client: httpx.Client, payload: Any, name: str, tally: Tally, count: bool = True) -> None:
    wire = meta_wire(payload)
    signature = "sha256=" + hmac.new(SECRET.encode(), wire, hashlib.sha256).hexdigest()
    r = client.post("/webhooks/whatsapp", content=wire,
                    headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature})
    _answered(r, name, tally)
    tally.payloads += count


def _answered(r: httpx.Response, name: str, tally: Tally) -> None:
    if r.status_code >= 500:
        tally.server_errors.append(f"{name}: {r.status_code}")
    elif r.status_code >= 300:
        tally.non_2xx.append(f"{name}: {r.status_code} {r.text[:120]}")


# -- Telegram (webhook) ---------------------------------------------------------------------------------

def tg_expect(update: dict[str, Any]) -> tuple[dict[str, str], set[str]]:
    questions: dict[str, str] = {}
    others: set[str] = set()
    for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
        m = update.get(key)
        if not isinstance(m, dict):
            continue
        ext = f"{(m.get('chat') or {}).get('id')}:{m.get('message_id')}"
        if key.startswith("edited"):
            ext += f":e{m.get('edit_date') or 0}"
        text = m.get("text") or m.get("caption") or ""
        venue = m.get("venue") or {}
        if not text and venue:
            text = ", ".join(str(venue[k]) for k in ("title", "address") if venue.get(k))
        is_command = isinstance(m.get("text"), str) and re.match(r"/\w", m["text"]) is not None
        bot = (m.get("from") or {}).get("is_bot")
        if not is_command and not bot and (text.strip() or any(k in m for k in MEDIA_TG)):
            questions[ext] = text
        else:
            others.add(ext)
    return questions, others


def replay_telegram(client: httpx.Client, realworld: Path, tally: Tally) -> None:
    used: dict[tuple[Any, Any], int] = {}
    update_id = 500_000
    for path in sorted((realworld / "telegram").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        update = data if "update_id" in data else {"update_id": 0, "message": data}
        update_id += 1
        update["update_id"] = update_id
        for key in ("message", "channel_post"):  # a message id used by an earlier sample gets a fresh one
            m = update.get(key)
            if isinstance(m, dict) and "message_id" in m:
                chat = (m.get("chat") or {}).get("id")
                if (chat, m["message_id"]) in used:
                    m["message_id"] = 900_000 + update_id
                used[(chat, m["message_id"])] = 1
        name = f"telegram {path.parent.name}/{path.name}"
        r = client.post("/webhooks/telegram", content=json.dumps(update, ensure_ascii=False).encode(),
                        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TG_SECRET})
        _answered(r, name, tally)
        tally.payloads += 1
        questions, others = tg_expect(update)
        tally.expects.append(Expect("telegram", name, questions, others))


# -- YouTube and Facebook (workers against stand-ins) ---------------------------------------------------

def js_object(text: str) -> Any:
    """The Coding Train page is a JS object literal: quote its keys, drop trailing commas."""
    body = text[text.index("{"):text.rindex("}") + 1]
    body = re.sub(r"^(\s*)([A-Za-z_]\w*):", r'\1"\2":', body, flags=re.MULTILINE)
    body = re.sub(r",(\s*[}\]])", r"\1", body)
    return json.loads(body)


def youtube_pages(realworld: Path) -> list[list[dict[str, Any]]]:
    folder = realworld / "youtube"
    pages = [json.loads((folder / "justinlove_liveChatMessageListResponse.json").read_text(encoding="utf-8"))["items"],
             js_object((folder / "codingtrain_CHAT_DATA.js").read_text(encoding="utf-8"))["items"]]
    fragment = json.loads("{" + (folder / "brianlough_superChatEvent_fragment.txt").read_text(encoding="utf-8") + "}")
    pages.append([{"kind": "youtube#liveChatMessage", "etag": "replay", "id": "replay-superchat-1", **fragment}])
    return pages


def yt_expect(items: list[dict[str, Any]], name: str) -> Expect:
    expect = Expect("youtube", name)
    for item in items:
        s = item.get("snippet") or {}
        text = ((s.get("textMessageDetails") or {}).get("messageText") if s.get("type") == "textMessageEvent"
                else (s.get("superChatDetails") or {}).get("userComment"))
        if text and any(ch.isprintable() and not ch.isspace() for ch in text):
            expect.questions[str(item["id"])] = text
        else:
            expect.not_questions.add(str(item.get("id")))
    return expect


async def replay_workers(server: Server, token: str, realworld: Path, workdir: Path, tally: Tally) -> None:
    sys.path.insert(0, str(ROOT))
    from ingest.delivery import Delivery
    from ingest.sources.facebook import FacebookSource
    from ingest.sources.youtube import YouTubeSource
    from ingest.worker import Backoff, StateFile, Worker
    from tests.standins.graph import TOKEN as FB_TOKEN
    from tests.standins.graph import VIDEO, GraphStandIn
    from tests.standins.youtube import CHAT_ID, YouTubeStandIn

    async def sleep(_: float) -> None:
        await asyncio.sleep(0)

    async def run(source: Any, state: Path, polls: int, name: str) -> int:
        async with httpx.AsyncClient() as client:
            w = Worker(source, Delivery(server.url, token, client, base_wait=0.05, sleep=sleep), StateFile(state),
                       backoff=Backoff(base=0.05, cap=0.5), sleep=sleep, report_every=1e9, report=lambda _: None)
            code = await w.run(max_polls=polls)
        if code != 0:
            tally.stalled.append(f"{name}: worker stopped ({w.stats.last_error})")
        return code

    yt = YouTubeStandIn(interval_ms=10)
    pages = youtube_pages(realworld)
    yt.pages = [*pages]
    with yt.running():
        async with httpx.AsyncClient() as client:
            source = YouTubeSource(CHAT_ID, client, api_base=yt.url, api_key="k", min_interval=0)
            await run(source, workdir / "yt.json", len(pages) + 1, "youtube")
    for i, (items, label) in enumerate(zip(pages, ("justinlove", "codingtrain", "brianlough"), strict=True)):
        tally.expects.append(yt_expect(items, f"youtube page {i + 1} ({label})"))
        tally.payloads += 1

    fb = GraphStandIn(page_size=100)
    expect = Expect("facebook", "comments")
    for path in sorted((realworld / "facebook").glob("*.json")):
        for c in json.loads(path.read_text(encoding="utf-8")).get("data", []):
            c = {**c, "id": f"{VIDEO}_{c['id'].split('_')[-1]}"}
            fb.comments.append(c)
            if (c.get("message") or "").strip():
                expect.questions[c["id"]] = c["message"]
            elif not c.get("attachment"):
                expect.not_questions.add(c["id"])
        tally.payloads += 1
    tally.expects.append(expect)
    with fb.running():
        async with httpx.AsyncClient() as client:
            await run(FacebookSource(VIDEO, FB_TOKEN, client, api_base=fb.url, interval=0), workdir / "fb.json", 3,
                      "facebook")


# -- e-mail (worker against Dovecot) --------------------------------------------------------------------

def client_view(raw: bytes) -> str:
    """The text a mail client shows of a mail: each text part decoded by its declared charset; the subject
    when the mail has no text part at all (a question written in the subject line)."""
    sys.path.insert(0, str(ROOT))
    from ingest.mailtext import html_to_text

    msg = email.message_from_bytes(raw, policy=policy.compat32)
    shown = []
    for part in msg.walk():
        if part.get_content_maintype() not in ("text", "multipart"):
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            charset = part.get_content_charset() or "utf-8"
            try:
                text = payload.decode(charset, "replace")
            except LookupError:
                text = payload.decode("utf-8", "replace")
            shown.append(html_to_text(text) if part.get_content_subtype() == "html" else text)
    if not "".join(shown).strip():
        shown.append(str(email.message_from_bytes(raw, policy=policy.default).get("subject", "")))
    return " ".join(" ".join(shown).split())


def mail_is_robot(raw: bytes) -> bool:
    """List mail, digests, bounces and auto-replies, by their markers (RFC 3834, 2369, 3462)."""
    msg = email.message_from_bytes(raw, policy=policy.compat32)
    markers = ("list-id", "list-unsubscribe", "list-post", "x-mailman-version", "auto-submitted")
    if any(msg.get(h) for h in markers) or str(msg.get("precedence", "")).lower() in ("bulk", "list", "junk"):
        return True
    return any(p.get_content_type() in ("multipart/digest", "multipart/report") for p in msg.walk())


async def replay_mail(server: Server, token: str, realworld: Path, workdir: Path, tally: Tally) -> None:
    sys.path.insert(0, str(ROOT))
    from ingest.delivery import Delivery
    from ingest.sources.imap import ImapSource
    from ingest.worker import Backoff, StateFile, Worker
    from tests import dovecot

    files = sorted(p for p in (realworld / "email").rglob("*") if p.is_file())
    canary = (b"From: Canary <canary@mail.kz>\r\nSubject: canary\r\nMessage-ID: <canary@replay>\r\n"
              b"Content-Type: text/plain; charset=utf-8\r\n\r\nCanary question: is the mailbox still read?\r\n")

    async def sleep(_: float) -> None:
        await asyncio.sleep(0)

    with dovecot.running() as imap:
        for path in files:
            raw = path.read_bytes()
            if path.name == "msg_14.txt":  # shares msg_01's Message-ID in the fixtures
                raw = raw.replace(b"Message-ID: <", b"Message-ID: <rw14.", 1)
            imap.append(raw)
            tally.payloads += 1
            message_id = email.message_from_bytes(raw, policy=policy.compat32).get("message-id")
            key = str(message_id or "").strip().strip("<>") or f"file:{path.name}"
            tally.mail_views[key] = client_view(raw)
            if mail_is_robot(raw):
                tally.mail_not_questions.add(key)
        state = workdir / "mail.json"
        for round_ in range(2):  # the replay, then one more mail: it must arrive
            async with httpx.AsyncClient() as client:
                src = ImapSource(imap.host, imap.port, imap.user, imap.password, tls=False, interval=0, idle=0,
                                 batch=100)
                w = Worker(src, Delivery(server.url, token, client, base_wait=0.05, sleep=sleep), StateFile(state),
                           backoff=Backoff(base=0.05, cap=0.5), sleep=sleep, report_every=1e9, report=lambda _: None)
                try:
                    await w.run(max_polls=2)
                finally:
                    await src.aclose()
            if round_ == 0:
                imap.append(canary)


# -- checks ---------------------------------------------------------------------------------------------

def stored_questions(server: Server, producer: httpx.Client, show_id: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    after = 0
    while True:
        page = producer.get(f"/api/shows/{show_id}/questions", params={"limit": 1000, "after": after}).json()
        out += page
        if len(page) < 1000:
            return out
        after = page[-1]["id"]


def canaries(client: httpx.Client, tally: Tally) -> dict[str, str]:
    """One more good message per webhook channel after the replay: each must be stored."""
    wa = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "contacts": [{"profile": {"name": "Canary"}, "wa_id": "77010000001"}],
        "messages": [{"from": "77010000001", "id": "wamid.canary", "timestamp": "1764000000", "type": "text",
                      "text": {"body": "Canary question on WhatsApp"}}]}}]}]}
    post_meta(client, wa, "whatsapp canary", tally, count=False)
    tg = {"update_id": 999_999, "message": {"message_id": 1, "date": 1764000000, "text": "Canary question on Telegram",
                                            "from": {"id": 7, "is_bot": False, "first_name": "Canary"},
                                            "chat": {"id": 7, "type": "private"}}}
    r = client.post("/webhooks/telegram", content=json.dumps(tg).encode(),
                    headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TG_SECRET})
    _answered(r, "telegram canary", tally)
    return {"whatsapp": "wamid.canary", "telegram": "7:1", "email": "canary@replay"}


def report(tally: Tally, stored: list[dict[str, Any]], canary_ids: dict[str, str]) -> int:
    by_key = {(q["channel"], q["external_id"]): q for q in stored}
    blank = [q for q in stored if not q["text_original"].strip() and not q.get("media")]
    wrong: list[str] = []
    non_questions: list[str] = []
    missing: list[str] = []
    for expect in tally.expects:
        for ext, text in expect.questions.items():
            q = by_key.get((expect.channel, ext))
            if q is None:
                missing.append(f"{expect.sample} {ext}")
            elif q["text_original"] != text[:8000]:
                wrong.append(f"{expect.sample} {ext}: stored {q['text_original'][:60]!r}, sent {text[:60]!r}")
        non_questions += [f"{expect.sample} {ext}" for ext in expect.not_questions if (expect.channel, ext) in by_key]
    for q in stored:
        if q["channel"] != "email" or q["external_id"] == canary_ids["email"]:
            continue
        key = q["external_id"]
        if key in tally.mail_not_questions:
            non_questions.append(f"email {key}")
        view = tally.mail_views.get(key) or " ".join(tally.mail_views.values())
        if " ".join(q["text_original"].split()) not in view:
            wrong.append(f"email {key}: stored {q['text_original'][:60]!r} is not in the mail's text")
    for channel, ext in canary_ids.items():
        if (channel, ext) not in by_key:
            tally.stalled.append(f"{channel}: the message sent after the replay never arrived")
    stalled_channels = sorted({s.split(":")[0].split(" ")[0] for s in tally.stalled + tally.non_2xx})
    counts = Counter(q["channel"] for q in stored)
    print(f"replayed {tally.payloads} real payloads; {len(stored)} questions stored ({dict(sorted(counts.items()))})")
    rows = [("blank cards", [f"{q['channel']} {q['external_id']}" for q in blank]),
            ("stalled channels", stalled_channels),
            ("5xx", tally.server_errors),
            ("texts stored not as sent", wrong),
            ("non-question events that made a card", non_questions)]
    for label, items in rows:
        print(f"  {label:40} {len(items)}")
        for item in items[:10]:
            print(f"      {item}")
    if tally.non_2xx or tally.stalled:
        print("  details of stalled channels:", *(tally.stalled + tally.non_2xx)[:10], sep="\n      ")
    if missing:
        print(f"  (questions expected but not stored: {len(missing)})", *missing[:10], sep="\n      ")
    return 1 if any(items for _, items in rows) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--realworld", default=str(ROOT.parent / "shared" / "realworld"))
    args = parser.parse_args()
    realworld = Path(args.realworld)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    errors_5xx: list[str] = []

    class FiveXX(logging.Handler):  # a worker's delivery retried after a 5xx
        def emit(self, record: logging.LogRecord) -> None:
            if "server answered 5" in record.getMessage():
                errors_5xx.append(record.getMessage())

    logging.getLogger("efir.ingest").addHandler(FiveXX())
    sys.path.insert(0, str(ROOT))
    from tests.standins import Reply, Request, StandIn

    class BotApi(StandIn):  # the bot's answers to /start and /help go here
        def handle(self, request: Request) -> Reply:
            return Reply(200, b'{"ok":true,"result":{"message_id":1}}')

    bot = BotApi()
    with tempfile.TemporaryDirectory(prefix="efir-replay-") as tmp, bot.running():
        workdir = Path(tmp)
        server = Server(workdir, bot.url)
        server.efir("user", "add", "replay", "--role", "producer", "--password-stdin", stdin="Studio-pass-2026!\n")
        token = server.efir("token", "create", "--kind", "ingest", "--label", "replay")
        server.start()
        try:
            producer = httpx.Client(base_url=server.url, timeout=30)
            login = producer.post("/api/auth/login", json={"username": "replay", "password": "Studio-pass-2026!"})
            headers = {"X-CSRF-Token": login.json()["csrf_token"], "Origin": server.url}
            show = producer.post("/api/shows", json={"title": "Replay", "starts_at": "2026-11-24T20:00:00+05:00"},
                                 headers=headers).json()
            producer.patch(f"/api/shows/{show['id']}", json={"status": "live"}, headers=headers)
            tally = Tally()
            with httpx.Client(base_url=server.url, timeout=30) as client:
                replay_meta(client, realworld, tally)
                replay_telegram(client, realworld, tally)
                asyncio.run(replay_workers(server, token, realworld, workdir, tally))
                asyncio.run(replay_mail(server, token, realworld, workdir, tally))
                canary_ids = canaries(client, tally)
            tally.server_errors += errors_5xx
            listed = producer.get("/api/dead-letters")
            dead = listed.json() if listed.status_code == 200 else []
            code = report(tally, stored_questions(server, producer, show["id"]), canary_ids)
            print(f"  dead letters kept: {len(dead)}", *[f"{d['channel']}: {d['reason']}" for d in dead[:10]],
                  sep="\n      ")
            return code
        finally:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
