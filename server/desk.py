"""The moderation rules: which action may move a question where, and what else moves with it.

`decide` is pure: the store loads a `Context` inside its write transaction, calls `decide`, and
writes the `Change`s it returns (bumping versions, stamping transitions, appending one event per
change). A question's state changes nowhere else.

Status machine (SPEC "Domain"):

    new ──approve──▶ approved ──on_air──▶ on_air ──answered──▶ answered
     │                 │  ▲                  │ ──follow_up──▶ follow_up
     │                 │  └──────skip────────┘ (back to the top of the rundown)
     ├──reject──▶ rejected (reason)
     ├──merge───▶ merged (into another question, whose asked_count grows)
     └──follow_up (from new|approved) ──▶ follow_up (assignee, due, resolution)

Near-duplicates besides the status: `split` takes a question out of the cluster it joined on arrival (it
heads its own; the old head counts one ask fewer), `dismiss` drops one of the clusters the index suggested
(`suggested`) and remembers it (`dismissed`); merging a suggestion is `merge` into the suggested head.

An on-air question leaves the air only by an explicit outcome: `answered`, `skip` or `follow_up` on it, or
`on_air` of the next question naming how the current one ended (`previous`, with the version of it the actor
saw); `on_air` without it while a question is on air is a 409 `on_air_busy`, never an implied answer.

Every change can be undone by the one who made it (`undo` restores the fields the actor's last not-yet-undone
change of the question wrote, for every question that change touched); a colleague's change to the question
since then makes it a 409 `undo_overtaken` naming theirs, never a silent revert.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from schemas import Action

from .errors import Conflict, Invalid, NotFound

Question = dict[str, Any]

ALLOWED_FROM: dict[str, frozenset[str]] = {
    "approve": frozenset({"new", "rejected", "follow_up"}),
    "reject": frozenset({"new", "approved"}),
    "merge": frozenset({"new", "approved"}),
    "on_air": frozenset({"approved"}),
    "answered": frozenset({"on_air", "approved"}),
    "follow_up": frozenset({"new", "approved", "on_air", "answered", "follow_up"}),
    "skip": frozenset({"on_air"}),
    "queue": frozenset({"approved"}),
    "edit": frozenset({"new", "approved", "on_air", "rejected", "follow_up", "answered"}),
    "tag": frozenset({"new", "approved", "on_air", "rejected", "follow_up", "answered"}),
    "star": frozenset({"new", "approved", "on_air", "rejected", "follow_up", "answered"}),
    "dismiss": frozenset({"new", "approved", "on_air", "rejected", "follow_up", "answered"}),
    "split": frozenset({"new", "approved", "on_air", "rejected", "follow_up", "answered"}),
}
# actions that do not change the question itself and so carry no version check
NO_VERSION = frozenset({"claim", "release"})


@dataclass(frozen=True, slots=True)
class Change:
    question_id: int
    fields: dict[str, Any]
    kind: str
    bump: bool = True  # a rundown renumbering of other questions is not a change to them


@dataclass(frozen=True, slots=True)
class UndoStep:
    """One question's part of the change being undone: what it was before, what the change made it,
    and what it is now."""

    before: dict[str, Any]
    after: dict[str, Any]
    current: Question


@dataclass(slots=True)
class Context:
    question: Question
    actor: str
    now: str
    show: dict[str, Any] | None = None
    target: Question | None = None  # merge target
    members: list[int] = field(default_factory=list)  # the question's cluster members, when it is a head
    cluster_head: Question | None = None  # head of the question's cluster, when not itself
    on_air: Question | None = None  # the show's on-air question, when not this one
    rundown: list[int] = field(default_factory=list)  # approved questions in air order
    guest: dict[str, Any] | None = None  # the current segment's guest (questions for them go first)
    guest_lead: int = 0  # how many questions at the head of the rundown are already the guest's
    undo: list[UndoStep] | None = None
    undo_group: int | None = None
    undo_overtaken: tuple[str, str] | None = None  # a colleague's later change to the question: (who, event kind)
    claimed_by: str | None = None


def check(action: Action, ctx: Context) -> None:
    """Refuse a stale or conflicting action before anything is decided."""
    q = ctx.question
    if ctx.claimed_by and ctx.claimed_by != ctx.actor and action.action != "release":
        raise Conflict(f"question {q['id']} is claimed by {ctx.claimed_by}", code="claimed",
                       question=q, claimed_by=ctx.claimed_by)
    if action.action not in NO_VERSION and action.version != q["version"]:
        raise Conflict(f"question {q['id']} changed: version {q['version']}, not {action.version}",
                       question=q)
    allowed = ALLOWED_FROM.get(action.action)
    if allowed is not None and q["status"] not in allowed:
        raise Conflict(f"cannot {action.action} a question that is {q['status']}",
                       code="invalid_transition", question=q)


def decide(action: Action, ctx: Context) -> list[Change]:
    check(action, ctx)
    rule = _RULES.get(action.action)
    if rule is None:  # claim / release touch no question field
        return []
    return rule(action, ctx)


def _status(ctx: Context, status: str, kind: str, **fields: Any) -> Change:
    return Change(ctx.question["id"], {"status": status, **fields}, kind)


def _approve(action: Action, ctx: Context) -> list[Change]:
    """Into the rundown at the end — or, during a guest's segment, after the guest's questions at its head."""
    q = ctx.question
    if ctx.guest is None or not is_guests(q, ctx.guest):
        return [_status(ctx, "approved", "approved", rundown_pos=len(ctx.rundown), reason=None)]
    order = [*ctx.rundown[:ctx.guest_lead], q["id"], *ctx.rundown[ctx.guest_lead:]]
    moved = [c for c in _renumber(ctx, order) if c.question_id != q["id"]]
    return [_status(ctx, "approved", "approved", rundown_pos=ctx.guest_lead, reason=None), *moved]


def is_guests(q: dict[str, Any], guest: dict[str, Any]) -> bool:
    """A question is the guest's when addressed to them, or unaddressed and from the guest's district."""
    addressee = (q.get("addressee") or "").strip().casefold()
    if addressee:
        return addressee == str(guest["name"]).strip().casefold()
    return bool(guest.get("district")) and bool(q.get("district") == guest.get("district"))


def _reject(action: Action, ctx: Context) -> list[Change]:
    if action.reason is None:
        raise Invalid("reject needs a reason: spam, offensive, off_topic, duplicate or other", field="reason")
    changes = [_status(ctx, "rejected", "rejected", reason=action.reason, rundown_pos=None)]
    return changes + _renumber(ctx, [i for i in ctx.rundown if i != ctx.question["id"]])


def _merge(action: Action, ctx: Context) -> list[Change]:
    q, target = ctx.question, ctx.target
    if action.into is None:
        raise Invalid("merge needs `into`: the question this one duplicates", field="into")
    if target is None:
        raise NotFound(f"question {action.into} not found")
    if (target["id"] == q["id"] or target["show_id"] != q["show_id"]
            or target["status"] in ("merged", "rejected")):
        raise Conflict("cannot merge into that question", code="invalid_transition", question=q)
    # a member of the target's own cluster is already in the target head's count
    counted = q["cluster_id"] == target["cluster_id"] and target["id"] == target["cluster_id"]
    changes = [_status(ctx, "merged", "merged", merged_into=target["id"], cluster_id=target["cluster_id"],
                       rundown_pos=None)]
    # a head takes its members along: they now count with the target
    changes += [Change(m, {"cluster_id": target["cluster_id"]}, "clustered", bump=False) for m in ctx.members]
    if not counted:
        changes.append(Change(target["id"], {"asked_count": target["asked_count"] + q["asked_count"]}, "asked"))
        head = ctx.cluster_head
        if head is not None and head["id"] != target["id"]:
            changes.append(Change(head["id"], {"asked_count": max(1, head["asked_count"] - 1)}, "asked"))
    return changes + _renumber(ctx, [i for i in ctx.rundown if i != q["id"]])


def _on_air(action: Action, ctx: Context) -> list[Change]:
    """On air; the question on air before it leaves first, with the outcome the actor chose for it."""
    q, previous = ctx.question, ctx.on_air
    closing = _close_previous(action, previous)
    changes = [*closing, _status(ctx, "on_air", "on_air", rundown_pos=None, on_air_offset=_offset(ctx))]
    order = [i for i in ctx.rundown if i != q["id"]]
    if previous is not None and action.previous == "skip":
        order.insert(0, previous["id"])
    return changes + [c for c in _renumber(ctx, order) if previous is None or c.question_id != previous["id"]]


def _close_previous(action: Action, previous: Question | None) -> list[Change]:
    """The outcome of the question on air when the next one is put there: only the one the actor named."""
    if previous is None:
        return []
    if action.previous is None:
        raise Conflict(f"question {previous['id']} is on air: say how it ended (previous: answered, skip or "
                       "follow_up)", code="on_air_busy", question=previous)
    if action.previous_version != previous["version"]:
        raise Conflict(f"question {previous['id']} changed: version {previous['version']}, "
                       f"not {action.previous_version}", question=previous)
    return [outcome(previous, action.previous)]


def outcome(q: Question, how: str) -> Change:
    """The change that takes question `q` off air: answered, skipped to the rundown's top, or to follow-up."""
    if how == "skip":
        return Change(q["id"], {"status": "approved", "rundown_pos": 0}, "skipped")
    if how == "follow_up":
        return Change(q["id"], {"status": "follow_up", "follow_up": _follow_fields(q, None)}, "follow_up")
    return Change(q["id"], {"status": "answered", "rundown_pos": None}, "answered")


def _offset(ctx: Context) -> float | None:
    started = (ctx.show or {}).get("started_at")
    if not started:
        return None
    return round((datetime.fromisoformat(ctx.now) - datetime.fromisoformat(started)).total_seconds(), 3)


def _answered(action: Action, ctx: Context) -> list[Change]:
    changes = [_status(ctx, "answered", "answered", rundown_pos=None)]
    return changes + _renumber(ctx, [i for i in ctx.rundown if i != ctx.question["id"]])


def _skip(action: Action, ctx: Context) -> list[Change]:
    """Off air, back to the top of the rundown: the host reads it again when the desk puts it on air."""
    q = ctx.question
    order = [q["id"], *(i for i in ctx.rundown if i != q["id"])]
    return [outcome(q, "skip"), *(c for c in _renumber(ctx, order) if c.question_id != q["id"])]


def _follow_up(action: Action, ctx: Context) -> list[Change]:
    follow = _follow_fields(ctx.question, action)
    changes = [_status(ctx, "follow_up", "follow_up", follow_up=follow, rundown_pos=None)]
    return changes + _renumber(ctx, [i for i in ctx.rundown if i != ctx.question["id"]])


def _follow_fields(q: Question, action: Action | None) -> dict[str, Any]:
    """The follow-up case: what the action sets, the rest as the question had it."""
    current = q.get("follow_up") or {}
    given = {name: getattr(action, name) if action is not None else None
             for name in ("assignee", "due", "resolution", "note")}
    return {name: value if value is not None else current.get(name) for name, value in given.items()}


def _edit(action: Action, ctx: Context) -> list[Change]:
    text = (action.text or "").strip()
    if not text:
        raise Invalid("edit needs the new `text`", field="text")
    return [Change(ctx.question["id"], {"text": text}, "edited")]


def _tag(action: Action, ctx: Context) -> list[Change]:
    fields = {name: (value or None) for name in ("topic", "district", "addressee")
              if (value := getattr(action, name)) is not None}
    if not fields:
        raise Invalid("tag needs topic, district or addressee", field="topic")
    return [Change(ctx.question["id"], fields, "tagged")]


def _star(action: Action, ctx: Context) -> list[Change]:
    starred = (not ctx.question["starred"]) if action.starred is None else action.starred
    return [Change(ctx.question["id"], {"starred": starred}, "starred")]


def _queue(action: Action, ctx: Context) -> list[Change]:
    if action.position is None:
        raise Invalid("queue needs `position` in the rundown (0 is next)", field="position")
    order = [i for i in ctx.rundown if i != ctx.question["id"]]
    order.insert(min(action.position, len(order)), ctx.question["id"])
    moved = [c for c in _renumber(ctx, order) if c.question_id == ctx.question["id"]]
    if not moved:  # already there: still a change the desk should see
        moved = [Change(ctx.question["id"], {"rundown_pos": order.index(ctx.question["id"])}, "queued")]
    others = [c for c in _renumber(ctx, order) if c.question_id != ctx.question["id"]]
    return [Change(ctx.question["id"], moved[0].fields, "queued"), *others]


def _renumber(ctx: Context, order: list[int]) -> list[Change]:
    """Positions 0..n-1 for `order`; a change only for questions whose position moved."""
    current = {qid: i for i, qid in enumerate(ctx.rundown)}
    return [Change(qid, {"rundown_pos": pos}, "queued", bump=False)
            for pos, qid in enumerate(order) if current.get(qid) != pos]


def _dismiss(action: Action, ctx: Context) -> list[Change]:
    """Not the same question: the suggestion of head `into` goes, and is remembered so it never comes back."""
    q = ctx.question
    if action.into is None:
        raise Invalid("dismiss needs `into`: the suggested question that is not the same", field="into")
    suggested = q.get("suggested") or []
    if not any(s["id"] == action.into for s in suggested):
        raise Invalid(f"question {action.into} is not suggested for question {q['id']}", field="into")
    dismissed = [*(q.get("dismissed") or []), action.into]
    return [Change(q["id"], {"suggested": [s for s in suggested if s["id"] != action.into],
                             "dismissed": sorted(set(dismissed))}, "dismissed")]


def _split(action: Action, ctx: Context) -> list[Change]:
    """Out of the cluster it joined: the question heads its own, the old head counts one ask fewer; the
    cluster's other members stay where they are. The old head is remembered as dismissed."""
    q, head = ctx.question, ctx.cluster_head
    if q["cluster_id"] == q["id"]:
        raise Conflict(f"question {q['id']} heads its own cluster: nothing to split", code="not_clustered",
                       question=q)
    dismissed = sorted({*(q.get("dismissed") or []), int(q["cluster_id"])})
    changes = [Change(q["id"], {"cluster_id": q["id"], "cluster_reason": None, "dismissed": dismissed}, "split")]
    if head is not None and head["id"] != q["id"]:
        changes.append(Change(head["id"], {"asked_count": max(1, head["asked_count"] - 1)}, "asked"))
    return changes


def _undo(action: Action, ctx: Context) -> list[Change]:
    """Revert the last change this question started, for every question it touched — unless one of them
    has changed since (then the moderator sees a conflict, never a silent overwrite of someone's work)."""
    if not ctx.undo:
        raise Conflict("nothing of yours to undo on this question", code="nothing_to_undo", question=ctx.question)
    if ctx.undo_overtaken is not None:  # undoing now would silently take back (or build on) their decision
        who, kind = ctx.undo_overtaken
        raise Conflict(f"{who} changed question {ctx.question['id']} since ({kind}); your change was not undone",
                       code="undo_overtaken", question=ctx.question, by=who, kind=kind)
    subject = ctx.question["id"]
    changes = []
    for step in ctx.undo:
        current = step.current
        if current["id"] != subject and set(step.before) <= {"rundown_pos"}:
            continue  # others' places in the rundown have moved on with later approvals: leave them
        stale = [k for k, v in step.after.items()
                 if k not in ("asked_count", "rundown_pos") and current.get(k) != v]
        if stale:
            raise Conflict(f"question {current['id']} has changed since ({', '.join(stale)}); undo it by hand",
                           code="stale_undo", question=ctx.question)
        restored = dict(step.before)
        if "asked_count" in restored and "asked_count" in step.after:  # a counter: undo the difference
            delta = int(step.after["asked_count"]) - int(restored["asked_count"])
            restored["asked_count"] = max(1, int(current["asked_count"]) - delta)
        changes.append(Change(current["id"], restored, "undone"))
    # leave on_air before anyone re-enters it: one on-air question per show at every statement
    return sorted(changes, key=lambda c: c.fields.get("status") == "on_air")


_RULES = {
    "approve": _approve,
    "reject": _reject,
    "merge": _merge,
    "on_air": _on_air,
    "answered": _answered,
    "follow_up": _follow_up,
    "skip": _skip,
    "edit": _edit,
    "tag": _tag,
    "star": _star,
    "queue": _queue,
    "dismiss": _dismiss,
    "split": _split,
    "undo": _undo,
}



def reorder(ctx: Context, order: list[int]) -> list[Change]:
    """A new air order for the whole rundown (`PUT /api/shows/{id}/rundown`)."""
    return _renumber(ctx, order)


def withdraw(ctx: Context, reason: str) -> list[Change]:
    """The viewer deleted or edited the message: flag it, and take it off the rundown if it was
    waiting there (the moderator sees it back in the queue; an on-air question stays for the
    producer to decide)."""
    q = ctx.question
    fields: dict[str, object] = {"flags": sorted({*q["flags"], "withdrawn"})}
    changes: list[Change] = []
    if q["status"] == "approved":
        fields.update(status="new", rundown_pos=None)
        changes = _renumber(ctx, [i for i in ctx.rundown if i != q["id"]])
    # on air right now: the host is reading it; the producer is alerted (its own event kind) to decide
    kind = "withdrawn_on_air" if q["status"] == "on_air" else "withdrawn"
    return [Change(q["id"], fields, kind), *changes]
