"""`efir` as operators run it: users, tokens, export, backup; clear one-line errors, non-zero exits."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from server.auth import token_hash
from server.store import open_store
from server.store.base import NewQuestion
from tests.pg import rows

ROOT = Path(__file__).resolve().parents[1]


def efir(*args: str, db: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EFIR_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "server.cli", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=60)


@pytest.fixture
def db(db_url: str) -> str:
    return db_url


def test_user_add_reads_the_password_from_stdin_and_lists(db: str) -> None:
    r = efir("user", "add", "aigerim", "--role", "moderator", "--password-stdin", db=db, stdin="Long-pass-2026\n")
    assert r.returncode == 0, r.stderr
    listed = efir("user", "list", db=db).stdout
    assert "aigerim\tmoderator\tactive" in listed
    stored = rows(db, "SELECT password_hash FROM users")[0][0]
    assert stored.startswith("$argon2id$") and "Long-pass-2026" not in stored


def test_bad_input_is_one_clear_line_and_a_non_zero_exit(db: str) -> None:
    short = efir("user", "add", "x", "--role", "moderator", "--password-stdin", db=db, stdin="short\n")
    assert short.returncode != 0 and short.stderr.strip().count("\n") == 0 and "at least 8" in short.stderr
    role = efir("user", "add", "x", "--role", "king", "--password-stdin", db=db, stdin="Long-pass-2026\n")
    assert role.returncode != 0 and "invalid choice" in role.stderr
    missing = efir("token", "create", "--kind", "prompter", "--show", "42", db=db)
    assert missing.returncode != 0 and missing.stderr.strip() == "efir: show 42 not found"
    export = efir("export", "7", "--format", "csv", db=db)
    assert export.returncode != 0 and "show 7 not found" in export.stderr


def test_token_create_prints_the_secret_last_and_stores_only_its_hash(db: str) -> None:
    r = efir("token", "create", "--kind", "ingest", "--label", "telegram-worker", db=db)
    assert r.returncode == 0
    secret = r.stdout.strip().splitlines()[-1]
    assert len(secret) >= 32
    ((stored,),) = rows(db, "SELECT hash FROM tokens")
    assert stored == token_hash(secret) and secret not in stored
    listed = efir("token", "list", db=db).stdout
    assert "ingest" in listed and "telegram-worker" in listed and secret not in listed
    assert efir("token", "revoke", "1", db=db).returncode == 0
    assert "revoked" in efir("token", "list", db=db).stdout
    assert efir("token", "revoke", "1", db=db).returncode != 0


def seed(db: str, n: int) -> int:
    async def run() -> int:
        store = open_store(db)
        await store.open()
        show = await store.create_show({"title": "Akimat Live", "starts_at": "2026-11-22T20:00:00+06:00"}, "t")
        await store.ingest([NewQuestion(show["id"], "sms", f"s{i}", "Сәуле", None, "+77011234567",
                                        f"Сұрақ {i}: жол қашан?", f"Сұрақ {i}: жол қашан?", "kk", (), "roads",
                                        "alatau", 1.0) for i in range(n)], "t")
        await store.close()
        return int(show["id"])

    return asyncio.run(run())


def test_export_csv_and_json_with_all_questions(db: str, tmp_path: Path) -> None:
    show_id = seed(db, 4500)  # more than one page of the streaming export
    out = tmp_path / "show.csv"
    r = efir("export", str(show_id), "--format", "csv", "-o", str(out), db=db)
    assert r.returncode == 0, r.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 4501 and "Сұрақ 4499: жол қашан?" in lines[-1]
    r = efir("export", str(show_id), "--format", "json", db=db)
    doc = json.loads(r.stdout)
    assert len(doc["questions"]) == 4500 and "+77011234567" not in r.stdout


def test_backup_is_a_working_copy(db: str, tmp_path: Path) -> None:
    seed(db, 10)
    target = tmp_path / "backup.db"
    r = efir("backup", str(target), db=db)
    if db.startswith("postgresql://"):  # a PostgreSQL database is backed up with its own tools
        assert r.returncode != 0 and r.stderr.strip() == "efir: `efir backup` copies a SQLite file; back up " \
            "PostgreSQL with pg_dump" and not target.exists()
        return
    assert r.returncode == 0, r.stderr
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT count(*) FROM questions").fetchone()[0] == 10
    conn.close()
    again = efir("backup", str(target), db=db)
    assert again.returncode != 0 and "exists" in again.stderr


def test_eval_triage_scores_a_labelled_file_per_stage(tmp_path: Path) -> None:
    labelled = (ROOT / "tests/data/triage_eval.jsonl").read_text("utf-8").splitlines()
    small = tmp_path / "set.jsonl"
    small.write_text("\n".join(labelled[:80]) + "\n", "utf-8")
    r = subprocess.run([sys.executable, "-m", "server.cli", "eval-triage", str(small), "--json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    figures = json.loads(r.stdout)
    assert figures["rows"] == 80
    for stage in ("lang_accuracy", "pii_recall", "pii_precision", "topic_macro_f1", "district_accuracy",
                  "dup_pair_f1", "profanity_f1", "spam_f1", "garbled_recall"):
        assert 0.0 <= figures[stage] <= 1.0, stage
    missing = subprocess.run([sys.executable, "-m", "server.cli", "eval-triage", str(tmp_path / "none.jsonl")],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and missing.stderr.strip().endswith("none.jsonl: no such file")


def test_eval_triage_scores_one_half_of_a_set_by_its_half_field(tmp_path: Path) -> None:
    rows = [
        {"id": "x1", "text": "Шанырак-2: воды нет третий день", "lang": "ru", "variety": "ru", "topic": "water",
         "district": "alatau", "pii": [], "profanity": False, "spam": False, "dup_group": "g1", "author": "a",
         "half": "A"},
        {"id": "x2", "text": "Shanyraq-2 de su joq 3 kun", "lang": "kk", "variety": "kk_latin", "topic": "water",
         "district": "alatau", "pii": [], "profanity": False, "spam": False, "dup_group": "g1", "author": "b",
         "half": "A"},
        {"id": "x3", "text": "Аксай-4: лифт не работает", "lang": "ru", "variety": "ru", "topic": "housing",
         "district": "auezov", "pii": [], "profanity": False, "spam": False, "dup_group": None, "author": "c",
         "half": "B"},
    ]
    labelled = tmp_path / "blind.jsonl"
    labelled.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    r = subprocess.run([sys.executable, "-m", "server.cli", "eval-triage", str(labelled), "--half", "A", "--json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    figures = json.loads(r.stdout)
    assert figures["rows"] == 2
    assert figures["dup_cross_recall"] == 1.0  # the ru and Latin-kk rows of one group were clustered
    assert figures["dup_pair_f1"] == 1.0
