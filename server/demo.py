"""`efir serve --demo`: a live "Akimat Live" show, demo users, a prompter link and a synthetic
multi-channel feed of Kazakh and Russian questions, entering through the same intake as real ones."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemas import Author, Message

from .auth import hash_password, new_secret, token_hash, verify_password

if TYPE_CHECKING:
    from .app import Efir

DEMO_ROLES = ("moderator", "producer", "host", "operator", "admin")

GUESTS = [
    {"name": "Ерлан Сәрсенов", "position": "Алатау ауданының әкімі", "district": "alatau"},
    {"name": "Марат Жақыпов", "position": "Руководитель управления энергетики и водоснабжения",
     "department": "energy"},
]

NAMES = ["Айгерим", "Нұрлан", "Светлана", "Ержан", "Гүлнар", "Дмитрий", "Асель", "Бауыржан", "Ольга",
         "Жанар", "Руслан", "Мадина", "Сергей", "Әсем", "Тимур", "Сәуле", "Наталья", "Қайрат"]
STREETS = ["Момышұлы", "Саина", "Абая", "Рыскулова", "Толе би", "Жубанова", "Райымбека", "Шаляпина"]
MICRO = ["Шанырак-2", "Айгерим-1", "Аксай-4", "Орбита-3", "Жетысу-2", "Калкаман", "Самал-2", "Кок-Тобе"]
DISTRICTS_KK = ["Алатау", "Наурызбай", "Әуезов", "Бостандық", "Түрксіб", "Медеу", "Жетісу", "Алмалы"]
DISTRICTS_RU = ["Алатауском", "Наурызбайском", "Ауэзовском", "Бостандыкском", "Турксибском", "Медеуском",
                "Жетысуском", "Алмалинском"]

TEMPLATES = [
    "{d_kk} ауданы, {m} шағынауданында жол қашан жөнделеді? Көктемнен бері шұңқыр толы.",
    "Когда отремонтируют дорогу по улице {s} в {d_ru} районе? Ямы огромные, машины ломаются.",
    "Сәлеметсіз бе! {m} ыстық су үш күннен бері жоқ. Қашан береді?",
    "Почему в {m} уже неделю нет горячей воды? Дети болеют.",
    "Мектепке орын жетпейді, {d_kk} ауданында жаңа мектеп салына ма?",
    "Когда построят детский сад в {m}? Очередь три года.",
    "Автобус 92 маршруты өте сирек жүреді, {s} көшесінде 40 минут күтеміз.",
    "Батареи холодные в доме по {s} 15, куда обращаться? Звонил в КСК, никто не отвечает.",
    "{m} аулада балалар алаңы сынған, жөндейтін кім?",
    "Газ когда проведут в {m}? Обещали ещё в прошлом году.",
    "Жер телімі бойынша кезекте 10 жыл тұрмын, {d_kk} ауданы. Не істеу керек?",
    "Светофор на перекрёстке {s} и Абая не работает второй день, опасно!",
    "Аким, вопрос по освещению: на {s} темно, фонари не горят, страшно ходить вечером.",
    "Мусор не вывозят уже неделю в {m}, всё переполнено.",
    "{d_kk} ауданында су қысымы әлсіз, 5-қабатқа су жетпейді.",
    "Пособие на ребёнка не пришло за октябрь, куда обращаться в {d_ru} районе?",
    "Жол жөндеу қашан бітеді? {s} көшесі жабық, кептеліс көп. Rahmet!",
    "Qashan {s} koshesinde jol jondeledi? Aýdan akimine surak.",
]

EXTRAS = [
    "Мой номер +7 701 234 56 78, перезвоните пожалуйста.",
    "Хабарласыңыз: 8 (727) 345-67-89",
    "почта aigerim.k@mail.kz",
    "Это бл@ть издевательство какое-то!",
    "Заработок от 50000 в день, пишите в директ http://bit.ly/xxx",
]

CHANNELS = ["whatsapp", "whatsapp", "whatsapp", "telegram", "telegram", "youtube", "facebook", "instagram",
            "sms", "email", "web"]


def _question(rng: random.Random) -> str:
    i = rng.randrange(len(DISTRICTS_KK))
    text = rng.choice(TEMPLATES).format(d_kk=DISTRICTS_KK[i], d_ru=DISTRICTS_RU[i], s=rng.choice(STREETS),
                                        m=rng.choice(MICRO))
    if rng.random() < 0.12:
        text += " " + rng.choice(EXTRAS)
    if rng.random() < 0.04:  # a message that went through a cp1251/latin-1 mix-up on the way
        text = text.encode("utf-8").decode("latin-1", "replace")
    if rng.random() < 0.1:
        text += " " + rng.choice(["🙏", "😡", "!!!", "??", "👍"])
    return text


def message(rng: random.Random, n: int) -> Message:
    channel = rng.choice(CHANNELS)
    name = rng.choice(NAMES)
    handle = f"@{name.lower()}{rng.randrange(100, 999)}" if channel in ("telegram", "instagram") else None
    contact = f"+7 70{rng.randrange(0, 9)} {rng.randrange(100, 999)} {rng.randrange(10, 99)} " \
              f"{rng.randrange(10, 99)}" if channel in ("whatsapp", "sms") else None
    return Message(channel=channel, external_id=f"demo-{secrets.token_hex(6)}-{n}",
                   author=Author(name=name, handle=handle, contact=contact), text=_question(rng),
                   sent_at=datetime.now(UTC))


def logins_file(db: str) -> Path:
    """Where the demo keeps its logins and prompter key: beside its SQLite file (`efir-demo.db.logins.json`),
    or in the working directory for a PostgreSQL database."""
    if db.startswith(("postgres://", "postgresql://")):
        return Path("efir-demo.logins.json")
    return Path(db.removeprefix("sqlite:///") + ".logins.json")


def _saved(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(path: Path, data: dict[str, Any]) -> None:
    """Written owner-only: the file holds working passwords."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)


async def _login(app: Efir, role: str, saved: object) -> str:
    """The demo user `role`'s password: the saved one while it still signs in (its sessions live on), else new."""
    user = await app.store.get_user(role)
    if isinstance(saved, str) and user and user.role == role and not user.disabled and \
            await asyncio.to_thread(verify_password, user.password_hash, saved):
        return saved
    password = f"{role}-{secrets.token_hex(3)}"
    await app.store.add_user(role, role, hash_password(password))
    return password


async def _prompter_key(app: Efir, show_id: int, saved: object) -> str:
    if isinstance(saved, str) and saved:
        token = await app.store.find_token(token_hash(saved))
        if token and token.kind == "prompter" and token.show_id == show_id:
            return saved
    key = new_secret()
    await app.store.create_token("prompter", token_hash(key), show_id, "demo")
    return key


async def start(app: Efir) -> None:
    """Seed the demo and start the feed; prints the URL and the logins. A restart on the same database keeps
    the logins, the prompter link and every open desk's session (they are kept in `logins_file`)."""
    shows = await app.store.list_shows()
    show = next((s for s in shows if s["status"] == "live"), None)
    if show is None:
        show = await app.store.create_show({"title": "Akimat Live — Алатау ауданы",
                                            "starts_at": datetime.now(UTC).isoformat(), "guests": GUESTS}, "demo")
        show = await app.store.update_show(show["id"], {"status": "live"}, "demo")
    path = logins_file(app.settings.db)
    saved = _saved(path)
    passwords: dict[str, Any] = saved["passwords"] if isinstance(saved.get("passwords"), dict) else {}
    logins = [(role, await _login(app, role, passwords.get(role))) for role in DEMO_ROLES]
    key = await _prompter_key(app, show["id"], saved.get("prompter_key"))
    with contextlib.suppress(OSError):  # a read-only directory: the demo still runs, with new logins next time
        _save(path, {"passwords": dict(logins), "prompter_key": key})
    base = f"http://{app.settings.host}:{app.settings.port}"
    lines = [f"Efir demo: {base}/login  (show {show['id']}: {show['title']})"]
    lines += [f"  {role:<10} password {password}" for role, password in logins]
    lines.append(f"  prompter   {base}/prompter/{show['id']}?key={key}")
    lines.append(f"  (kept in {path}: the same logins after a restart on this database)")
    print("\n".join(lines), flush=True)
    app.background.append(asyncio.create_task(feed(app, app.settings.demo_rate)))


async def feed(app: Efir, rate: float) -> None:
    rng = random.Random()
    n = 0
    recent: list[Message] = []
    while True:
        await asyncio.sleep(rng.expovariate(rate) if rate > 0 else 1.0)
        n += 1
        m = message(rng, n)
        if recent and rng.random() < 0.15:  # the same question again, from someone else
            twin = rng.choice(recent)
            m = m.model_copy(update={"text": twin.text.rstrip("?!. ") + ("??" if rng.random() < 0.5 else "")})
        recent = [*recent[-30:], m]
        with contextlib.suppress(Exception):
            await app.intake.accept([m], "demo-feed")
