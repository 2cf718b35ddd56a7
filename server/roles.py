"""Who may do what: one table, consulted by every route and every WebSocket action. Deny by default."""

from __future__ import annotations

ROLES = ("admin", "producer", "moderator", "host", "operator")

# permission → roles that hold it
PERMISSIONS: dict[str, frozenset[str]] = {
    "shows.read": frozenset({"admin", "producer", "moderator", "host", "operator"}),
    "shows.write": frozenset({"admin", "producer"}),
    "questions.read": frozenset({"admin", "producer", "moderator", "host", "operator"}),
    "questions.create": frozenset({"admin", "producer", "moderator", "operator"}),
    "questions.moderate": frozenset({"admin", "producer", "moderator"}),
    "questions.air": frozenset({"admin", "producer", "moderator", "host"}),  # on_air / answered
    "rundown.write": frozenset({"admin", "producer", "moderator"}),
    "desk.connect": frozenset({"admin", "producer", "moderator", "host"}),
    "log.read": frozenset({"admin", "producer"}),
    "export": frozenset({"admin", "producer"}),
    "users.manage": frozenset({"admin"}),
    "followups.read": frozenset({"admin", "producer", "moderator"}),
    "followups.write": frozenset({"admin", "producer"}),
    "channels.read": frozenset({"admin", "producer"}),  # channel health, dead letters
    "channels.write": frozenset({"admin", "producer"}),  # retrying a dead letter
    "prompter.read": frozenset({"admin", "producer", "moderator", "host"}),  # the prompter, signed in
}

# the pages each role may use, in the order every page's navigation lists them; the first is where it lands
PAGES: dict[str, tuple[str, ...]] = {
    "admin": ("/producer", "/desk", "/phone", "/prompter"),
    "producer": ("/producer", "/desk", "/phone", "/prompter"),
    "moderator": ("/desk", "/phone", "/prompter"),
    "host": ("/prompter", "/desk"),
    "operator": ("/phone",),
}

# the permission each desk action needs
ACTION_PERMISSION: dict[str, str] = {
    "approve": "questions.moderate", "reject": "questions.moderate", "edit": "questions.moderate",
    "tag": "questions.moderate", "merge": "questions.moderate", "star": "questions.moderate",
    "queue": "rundown.write", "follow_up": "questions.moderate", "undo": "questions.moderate",
    "claim": "questions.moderate", "release": "questions.moderate",
    "dismiss": "questions.moderate", "split": "questions.moderate",
    "on_air": "questions.air", "answered": "questions.air", "skip": "questions.air",
}


def home(role: str) -> str:
    """Where a role lands after signing in (and on `/`)."""
    return PAGES.get(role, ("/login",))[0]


def allowed(role: str, permission: str) -> bool:
    return role in PERMISSIONS.get(permission, frozenset())


def may_act(role: str, action: str, previous: str | None = None) -> bool:
    """`previous`: the outcome an `on_air` gives the question it takes off air, which needs its own permission."""
    permission = ACTION_PERMISSION.get(action)
    if previous is not None and not may_act(role, previous):
        return False
    return permission is not None and allowed(role, permission)
