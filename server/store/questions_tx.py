"""The write transactions on questions (ingest, actions, rundown), run on the store's writer thread."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import orjson

from ingest.triage.dedupe import Found
from schemas import Action, Outcome

from .. import desk
from ..errors import Conflict, Invalid, NotFound
from .base import Clusterer, IngestOutcome, LiveEvent, NewQuestion, Question
from .dbapi import INTEGRITY_ERRORS, Conn
from .rows import QUESTION_COLUMNS, SHOW_COLUMNS, column_value, now_iso, question_from_row, show_from_row
from .writer import Tx

UNDOABLE_SKIP = ("received", "undone", "clustered")


def load(conn: Conn, question_id: int) -> Question | None:
    row = conn.execute(f"SELECT {QUESTION_COLUMNS} FROM questions WHERE id = ?", (question_id,)).fetchone()
    return question_from_row(row) if row else None


def append_event(tx: Tx, show_id: int | None, question_id: int | None, kind: str, actor: str, at: str,
                 payload: dict[str, Any], grp: int | None = None) -> int:
    cur = tx.conn.execute(
        "INSERT INTO events (show_id, question_id, kind, actor, at, grp, payload) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (show_id, question_id, kind, actor, at, grp, orjson.dumps(payload).decode()),
    )
    return int(cur.lastrowid or 0)


def show_by_id(conn: Conn, show_id: int | None) -> dict[str, Any] | None:
    """A show as every caller sees it, with its current segment (`segment`: id, guest, title, or None)."""
    if show_id is None:
        return None
    row = conn.execute(f"SELECT {SHOW_COLUMNS} FROM shows WHERE id = ?", (show_id,)).fetchone()
    if row is None:
        return None
    show = show_from_row(row)
    seg = conn.execute("SELECT id, guest, title FROM segments WHERE show_id = ? AND started_at IS NOT NULL "
                       "AND ended_at IS NULL ORDER BY started_at DESC LIMIT 1", (show_id,)).fetchone()
    show["segment"] = {"id": seg[0], "guest": seg[1], "title": seg[2]} if seg else None
    return show


def show_event(tx: Tx, show: dict[str, Any], kind: str, actor: str, payload: dict[str, Any],
               now: str | None = None) -> int:
    """An event about the show itself: logged, and sent live with the show's state (as replay sends it)."""
    at = now or now_iso()
    seq = append_event(tx, show["id"], None, kind, actor, at, payload)
    tx.events.append(LiveEvent(seq, show["id"], None, kind, actor, at, None, show))
    return seq


@dataclass(frozen=True, slots=True)
class IngestRequest:
    items: Sequence[NewQuestion]
    actor: str
    route: bool  # to the show `routed_show` names, at write time

    def routed(self, show_id: int | None) -> Sequence[NewQuestion]:
        return [replace(item, show_id=show_id) for item in self.items] if self.route else self.items


def routed_show(conn: Conn) -> int | None:
    """Where a message without a show goes: the show on air (the latest started), else the next scheduled."""
    row = conn.execute("SELECT id FROM shows WHERE status = 'live' ORDER BY started_at DESC, id DESC "
                       "LIMIT 1").fetchone() or conn.execute(
        "SELECT id FROM shows WHERE status = 'scheduled' ORDER BY starts_at, id LIMIT 1").fetchone()
    return int(row[0]) if row else None


def ingest(tx: Tx, items: Sequence[NewQuestion], actor: str, clusterer: Clusterer | None) -> IngestOutcome:
    ids: list[int] = []
    accepted = duplicates = 0
    now = now_iso()  # one moment for the request's messages: they arrived together
    for item in items:
        qid = _insert(tx, item, actor, clusterer, now)
        if qid is None:
            duplicates += 1
            row = tx.conn.execute("SELECT id FROM questions WHERE channel = ? AND external_id = ?",
                                  (item.channel, item.external_id)).fetchone()
            ids.append(int(row[0]))
        else:
            accepted += 1
            ids.append(qid)
    return IngestOutcome(accepted, duplicates, ids)


def _insert(tx: Tx, item: NewQuestion, actor: str, clusterer: Clusterer | None, now: str) -> int | None:
    placed = place(tx.conn, item, clusterer)
    head = placed.head
    media = orjson.dumps(item.media).decode() if item.media else None
    row = tx.conn.execute(
        "INSERT INTO questions (show_id, channel, external_id, author_name, author_handle, author_contact, "
        "text_original, text, lang, flags, topic, district, addressee, priority, media, raw, received_at, "
        "sent_at, updated_at, transitions, cluster_id, cluster_reason, suggested) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (channel, external_id) DO NOTHING RETURNING id",
        (item.show_id, item.channel, item.external_id, item.author_name, item.author_handle,
         item.author_contact, item.text_original, item.text, item.lang, ",".join(item.flags), item.topic,
         item.district, item.addressee, item.priority, media, item.raw, now, item.sent_at, now,
         orjson.dumps({"new": now}).decode(), head["id"] if head else None, *placed.columns()),
    ).fetchone()
    if row is None:
        return None
    qid = int(row[0])
    cluster_id = qid if head is None else int(head["id"])
    question = new_question(item, qid, cluster_id, now, placed)
    seq = append_event(tx, item.show_id, qid, "received", actor, now, {"channel": item.channel})
    tx.events.append(LiveEvent(seq, item.show_id, qid, "received", actor, now, question))
    if clusterer is not None and clusterable(item.flags):
        clusterer.add(item.show_id, qid, item.text, cluster_id, item.signature)
        tx.undo.append(lambda: clusterer.forget(qid))
    if head is not None:
        _grow_cluster(tx, head, qid, actor, now)
    return qid


def new_question(item: NewQuestion, qid: int, cluster_id: int, now: str, placed: Placed | None = None) -> Question:
    """A question as it is the moment it is stored (what the insert writes)."""
    return {
        "id": qid, "show_id": item.show_id, "channel": item.channel, "external_id": item.external_id,
        "author": {"name": item.author_name, "handle": item.author_handle, "contact": item.author_contact},
        "text_original": item.text_original, "text": item.text, "lang": item.lang, "flags": list(item.flags),
        "topic": item.topic, "district": item.district, "addressee": item.addressee, "cluster_id": cluster_id,
        "asked_count": 1, "priority": item.priority, "status": "new", "reason": None, "merged_into": None,
        "starred": False, "rundown_pos": None, "follow_up": None, "media": item.media, "version": 1,
        "received_at": now, "sent_at": item.sent_at, "updated_at": now, "transitions": {"new": now},
        "on_air_offset": None, "cluster_reason": placed.reason if placed else None,
        "suggested": list(placed.suggested) if placed else [], "dismissed": [], "air_text": None,
    }


def joinable(head: Question | None, item: NewQuestion) -> bool:
    """A near-duplicate joins the head's cluster only within the show, not a merged or rejected one, and only
    while it heads its cluster."""
    return (head is not None and head["show_id"] == item.show_id and head["status"] not in ("merged", "rejected")
            and head["cluster_id"] == head["id"])


@dataclass(frozen=True, slots=True)
class Placed:
    """Where the near-duplicate index puts a new question: the head of the cluster it joins (None: its own),
    why it joined, and the other clusters' heads to suggest to the desk ({id, score, reason}, best first)."""

    head: Question | None = None
    reason: dict[str, Any] | None = None
    suggested: tuple[dict[str, Any], ...] = ()

    def columns(self) -> tuple[str | None, str | None]:
        """`cluster_reason` and `suggested` as stored (JSON text; NULL when there is nothing)."""
        return (orjson.dumps(self.reason).decode() if self.reason else None,
                orjson.dumps(self.suggested).decode() if self.suggested else None)


ALONE = Placed()


def clusterable(flags: Sequence[str] | str | None) -> bool:
    """Whether a question takes part in near-duplicate clusters: spam never joins nor heads one (a copy-paste
    campaign must not look like a question many residents ask, nor swell a real question's count)."""
    return "spam" not in (flags or ())


def place(conn: Conn, item: NewQuestion, clusterer: Clusterer | None) -> Placed:
    """Ask the index (`find`), then check the heads it names in one query: only heads still open count."""
    if clusterer is None or not clusterable(item.flags):
        return ALONE
    found = clusterer.find(item.show_id, item.text, item.signature)
    wanted = [s.cluster for s in found.suggestions]
    if found.cluster is not None:
        wanted.append(found.cluster)
    if not wanted:
        return ALONE
    return placed(found, head_rows(conn, wanted), item)


def placed(found: Found, heads: Mapping[int, Question | None], item: NewQuestion) -> Placed:
    """`found` checked against the heads it names (`heads`: id -> the head as stored, or None). A suggestion
    names a head still open in the same show, never the cluster the question joins."""
    head = heads.get(found.cluster) if found.cluster is not None else None
    head = head if joinable(head, item) else None
    own = head["id"] if head is not None else None
    suggested = tuple({"id": s.cluster, "score": s.score, "reason": s.reason} for s in found.suggestions
                      if s.cluster != own and joinable(heads.get(s.cluster), item))
    return Placed(head, found.reason if head is not None else None, suggested)


def head_rows(conn: Conn, ids: Sequence[int]) -> dict[int, Question | None]:
    """What `placed` needs of the heads `ids` (id, show, status, cluster), in one query."""
    unique = list(dict.fromkeys(ids))
    rows = conn.execute(f"SELECT id, show_id, status, cluster_id FROM questions WHERE id IN "
                        f"({', '.join('?' * len(unique))})", unique).fetchall()
    found: dict[int, Question | None] = dict.fromkeys(unique)
    for qid, show_id, status, cluster_id in rows:
        found[int(qid)] = {"id": int(qid), "show_id": show_id, "status": status,
                           "cluster_id": int(cluster_id) if cluster_id is not None else int(qid)}
    return found


def _grow_cluster(tx: Tx, head: Question, member: int, actor: str, now: str) -> None:
    tx.conn.execute("UPDATE questions SET asked_count = asked_count + 1, version = version + 1, updated_at = ? "
                    "WHERE id = ?", (now, head["id"]))
    grown = load(tx.conn, head["id"])
    assert grown is not None
    seq = append_event(tx, head["show_id"], head["id"], "clustered", actor, now, {"member": member})
    tx.events.append(LiveEvent(seq, head["show_id"], head["id"], "clustered", actor, now, grown))


def act(tx: Tx, question_id: int, action: Action, actor: str, conn_id: str | None,
        clusterer: Clusterer | None = None) -> Question:
    q = load(tx.conn, question_id)
    if q is None:
        raise NotFound(f"question {question_id} not found")
    ctx = _context(tx.conn, q, action, actor)
    changes = desk.decide(action, ctx)
    if action.action in ("claim", "release"):
        _claim(tx, q, action.action, actor, conn_id)
        return q
    moved = {c.question_id: int(c.fields["cluster_id"]) for c in changes if "cluster_id" in c.fields}
    was: dict[int, int] = {}  # their clusters before (what a rolled-back transaction gives back to the index)
    for qid in moved if clusterer is not None else ():
        if (before := load(tx.conn, qid)) is not None:
            was[qid] = int(before["cluster_id"])
    try:
        result = apply(tx, changes, q, action.action, actor, ctx.now, ctx.undo_group)
    except INTEGRITY_ERRORS:  # the database's own rules (one on-air question per show) said no
        raise Conflict(f"cannot {action.action} question {q['id']} now", code="invalid_transition",
                       question=q) from None
    if clusterer is not None and moved:
        _recluster(tx, clusterer, moved, was)
    return result


def _recluster(tx: Tx, clusterer: Clusterer, moved: dict[int, int], was: dict[int, int]) -> None:
    """The index follows a question into another cluster (split, a head's members in a merge, their undo), so
    the next arrival like it joins where the desk put it. A merged or rejected question keeps its place (the
    index is rebuilt without those at the next start anyway)."""
    for qid, cluster in moved.items():
        q = load(tx.conn, qid)
        if q is None or q["status"] in ("merged", "rejected") or was.get(qid) == cluster:
            continue
        _reindex(clusterer, q, cluster)
        before = was.get(qid)
        if before is not None:
            tx.undo.append(functools.partial(_reindex, clusterer, q, before))


def _reindex(clusterer: Clusterer, q: Question, cluster: int) -> None:
    clusterer.forget(int(q["id"]))
    clusterer.add(q["show_id"], int(q["id"]), q["text"], cluster)


def _context(conn: Conn, q: Question, action: Action, actor: str) -> desk.Context:
    show_id = q["show_id"]
    ctx = desk.Context(question=q, actor=actor, now=now_iso())
    ctx.show = show_by_id(conn, show_id)
    claim = conn.execute("SELECT username FROM claims WHERE question_id = ?", (q["id"],)).fetchone()
    ctx.claimed_by = claim[0] if claim else None
    ctx.rundown = rundown(conn, show_id)
    if action.action == "approve" and ctx.show and ctx.show.get("segment"):
        ctx.guest = next((g for g in ctx.show["guests"] if g["name"] == ctx.show["segment"]["guest"]), None)
        if ctx.guest is not None:  # how many of the rundown's first questions are already the guest's
            fields = {int(r[0]): {"addressee": r[1], "district": r[2]} for r in conn.execute(
                "SELECT id, addressee, district FROM questions WHERE show_id = ? AND rundown_pos IS NOT NULL",
                (show_id,))}
            ctx.guest_lead = next((i for i, qid in enumerate(ctx.rundown)
                                   if not desk.is_guests(fields.get(qid, {}), ctx.guest)), len(ctx.rundown))
    if action.action == "merge" and action.into is not None:
        ctx.target = load(conn, action.into)
        if q["cluster_id"] == q["id"]:
            ctx.members = [int(r[0]) for r in conn.execute(
                "SELECT id FROM questions WHERE cluster_id = ? AND id != ?", (q["id"], q["id"]))]
    if q["cluster_id"] != q["id"]:
        ctx.cluster_head = load(conn, q["cluster_id"])
    if action.action == "on_air":
        row = conn.execute(f"SELECT {QUESTION_COLUMNS} FROM questions WHERE show_id IS ? AND status = 'on_air' "
                           "AND id != ?", (show_id, q["id"])).fetchone()
        ctx.on_air = question_from_row(row) if row else None
    if action.action == "undo":
        ctx.undo_group, ctx.undo = _undo_steps(conn, q["id"], actor)
        if ctx.undo_group is not None:
            ctx.undo_overtaken = _acted_since(conn, q["id"], ctx.undo_group, actor)
    return ctx


def close_on_air(tx: Tx, show_id: int, how: Outcome, actor: str) -> None:
    """The show ends: its question on air leaves with outcome `how` (one event, as if the actor had chosen it
    on the desk), so neither the desk nor the prompter keeps showing it."""
    row = tx.conn.execute(f"SELECT {QUESTION_COLUMNS} FROM questions WHERE show_id = ? AND status = 'on_air'",
                          (show_id,)).fetchone()
    if row is None:
        return
    q = question_from_row(row)
    ctx = desk.Context(question=q, actor=actor, now=now_iso(), rundown=rundown(tx.conn, show_id))
    apply(tx, desk.decide(Action(action=how, version=q["version"]), ctx), q, how, actor, ctx.now)


def rundown(conn: Conn, show_id: int | None) -> list[int]:
    rows = conn.execute("SELECT id FROM questions WHERE show_id IS ? AND rundown_pos IS NOT NULL "
                        "ORDER BY rundown_pos, id", (show_id,)).fetchall()
    return [int(r[0]) for r in rows]


def _undo_steps(conn: Conn, question_id: int, actor: str) -> tuple[int | None, list[desk.UndoStep] | None]:
    """The newest change `actor` made that this question started (its first event is about this question)
    and that is not yet undone: undo only ever takes back the presser's own work."""
    row = conn.execute(
        "SELECT grp FROM events WHERE question_id = ? AND seq = grp AND actor = ? AND kind NOT IN (?, ?, ?) "
        "AND grp NOT IN (SELECT CAST(json_extract(payload, '$.undoes') AS INTEGER) FROM events "
        "                WHERE question_id = ? AND kind = 'undone') "
        "ORDER BY seq DESC LIMIT 1", (question_id, actor, *UNDOABLE_SKIP, question_id)).fetchone()
    if row is None:
        return None, None
    grp = int(row[0])
    steps: list[desk.UndoStep] = []
    for qid, payload in conn.execute("SELECT question_id, payload FROM events WHERE grp = ? ORDER BY seq", (grp,)):
        current = load(conn, qid)
        if current is not None:
            data = orjson.loads(payload)
            steps.append(desk.UndoStep(data.get("before", {}), data.get("after", {}), current))
    return grp, steps


def _acted_since(conn: Conn, question_id: int, grp: int, actor: str) -> tuple[str, str] | None:
    """The newest change a colleague made to this question after group `grp` (who, and the event's kind), or
    None. Its place in the rundown moving and its ask count growing are not a colleague's decision on it."""
    rows = conn.execute("SELECT actor, kind, payload FROM events WHERE question_id = ? AND seq > ? AND actor != ? "
                        "AND kind NOT IN (?, ?, ?) ORDER BY seq DESC", (question_id, grp, actor, *UNDOABLE_SKIP))
    for who, kind, payload in rows:
        if set(orjson.loads(payload).get("after", {})) - {"rundown_pos", "asked_count"}:
            return str(who), str(kind)
    return None


def apply(tx: Tx, changes: list[desk.Change], subject: Question, action: str, actor: str, now: str,
          undoes: int | None = None) -> Question:
    """Write each change, one event each, all in one group (`grp`: the seq of the subject's own event) that
    `undo` reverts as a whole."""
    result = subject
    written: list[int] = []
    subject_seq: int | None = None
    for change in changes:
        event_seq, updated = _write_change(tx, change, action, actor, now, None, undoes)
        written.append(event_seq)
        if updated["id"] == subject["id"]:
            result = updated
            subject_seq = subject_seq or event_seq
    if written:
        grp = subject_seq or written[0]
        tx.conn.execute(f"UPDATE events SET grp = ? WHERE seq IN ({', '.join('?' * len(written))})", (grp, *written))
    return result


def _write_change(tx: Tx, change: desk.Change, action: str, actor: str, now: str, grp: int | None,
                  undoes: int | None) -> tuple[int, Question]:
    current = load(tx.conn, change.question_id)
    if current is None:
        raise NotFound(f"question {change.question_id} not found")
    fields = {k: v for k, v in change.fields.items() if k in _COLUMNS_OK}
    if len(fields) != len(change.fields):
        raise Invalid(f"unknown field in change: {sorted(set(change.fields) - _COLUMNS_OK)}")
    before = {k: current[k] for k in fields}
    sets = [f"{k} = ?" for k in fields]
    values = [column_value(k, v) for k, v in fields.items()]
    if "status" in fields and fields["status"] != current["status"]:
        transitions = {**current["transitions"], str(fields["status"]): now}
        sets.append("transitions = ?")
        values.append(orjson.dumps(transitions).decode())
    if change.bump:
        sets += ["version = version + 1", "updated_at = ?"]
        values.append(now)
    tx.conn.execute(f"UPDATE questions SET {', '.join(sets)} WHERE id = ?", (*values, change.question_id))
    updated = load(tx.conn, change.question_id)
    assert updated is not None
    payload: dict[str, Any] = {"action": action, "before": before, "after": fields}
    if undoes is not None:
        payload["undoes"] = undoes
    if updated["status"] == "on_air" and ("text" in fields or "status" in fields):
        payload["air_text"] = updated["air_text"]  # what the prompter shows from now on: the log's air column
    seq = append_event(tx, updated["show_id"], updated["id"], change.kind, actor, now, payload, grp)
    tx.events.append(LiveEvent(seq, updated["show_id"], updated["id"], change.kind, actor, now, updated))
    return seq, updated


_COLUMNS_OK = frozenset({
    "flags", "text", "topic", "district", "addressee", "cluster_id", "asked_count", "priority", "status", "reason",
    "merged_into", "starred", "rundown_pos", "follow_up", "on_air_offset", "cluster_reason", "suggested", "dismissed",
})


def withdraw(tx: Tx, channel: str, external_id: str, reason: str, actor: str,
             show_id: int | None = None) -> Question | None:
    """`show_id` set: a show-scoped ingest token may only withdraw that show's questions."""
    row = tx.conn.execute("SELECT id, show_id FROM questions WHERE channel = ? AND external_id = ?",
                          (channel, external_id)).fetchone()
    q = load(tx.conn, int(row[0])) if row and (show_id is None or row[1] == show_id) else None
    if q is None:  # never arrived (or not yet): nothing to withdraw
        return None
    ctx = desk.Context(question=q, actor=actor, now=now_iso(), rundown=rundown(tx.conn, q["show_id"]))
    return apply(tx, desk.withdraw(ctx, reason), q, f"withdraw:{reason}", actor, ctx.now)


def _claim(tx: Tx, q: Question, kind: str, actor: str, conn_id: str | None) -> None:
    if kind == "claim":
        if not conn_id:  # a claim lives as long as the desk connection that made it: HTTP has none
            raise Invalid("claim from the desk (WebSocket): a claim ends when its desk disconnects", field="action")
        tx.conn.execute("INSERT INTO claims (question_id, show_id, username, conn_id, at) VALUES (?, ?, ?, ?, ?) "
                        "ON CONFLICT (question_id) DO UPDATE SET conn_id = excluded.conn_id, at = excluded.at "
                        "WHERE claims.username = excluded.username",
                        (q["id"], q["show_id"], actor, conn_id, now_iso()))
    else:
        tx.conn.execute("DELETE FROM claims WHERE question_id = ? AND username = ?", (q["id"], actor))


def set_rundown(tx: Tx, show_id: int, order: list[int], actor: str) -> list[int]:
    if tx.conn.execute("SELECT 1 FROM shows WHERE id = ?", (show_id,)).fetchone() is None:
        raise NotFound(f"show {show_id} not found")
    current = rundown(tx.conn, show_id)
    unknown = [qid for qid in order if qid not in current]
    if unknown:
        raise Invalid(f"not approved questions of show {show_id}: {unknown[:10]}", field="order")
    listed = list(dict.fromkeys(order))
    new_order = listed + [qid for qid in current if qid not in listed]
    placeholder = load(tx.conn, new_order[0]) if new_order else None
    ctx = desk.Context(question=placeholder or {}, actor=actor, now=now_iso(), rundown=current)
    changes = desk.reorder(ctx, new_order)
    if placeholder is not None and changes:
        apply(tx, changes, placeholder, "rundown", actor, ctx.now)
    return new_order
