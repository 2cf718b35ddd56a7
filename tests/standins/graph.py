"""Facebook Graph API stand-in: `/{version}/{live-video-id}/comments` with cursors and error bodies."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from . import Reply, Request, StandIn, dumps

VIDEO = "911936075671494"
TOKEN = "EAAPage-token"


def graph_error(status: int, code: int, message: str, kind: str = "OAuthException") -> Reply:
    error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfGh123"}
    if code in (4, 17, 32, 613):
        error["is_transient"] = True
    return Reply(status, dumps({"error": error}), {"Content-Type": "application/json; charset=UTF-8"})


THROTTLED = graph_error(403, 4, "(#4) Application request limit reached")
BAD_TOKEN = graph_error(400, 190, "Error validating access token: Session has expired.")


def _cursor(index: int) -> str:
    return base64.b64encode(f"cursor:{index}".encode()).decode()


def _index(cursor: str) -> int:
    return int(base64.b64decode(cursor).decode().split(":")[1])


class GraphStandIn(StandIn):
    def __init__(self, page_size: int = 2) -> None:
        super().__init__()
        self.comments: list[dict[str, Any]] = []
        self.page_size = page_size

    def handle(self, request: Request) -> Reply:
        if request.path != f"/v26.0/{VIDEO}/comments":
            return graph_error(400, 100, "(#100) Unsupported get request.", "GraphMethodException")
        if request.query.get("access_token") != TOKEN:
            return BAD_TOKEN
        start = _index(request.query["after"]) + 1 if request.query.get("after") else 0
        limit = min(int(request.query.get("limit", "25")), self.page_size)
        data = self.comments[start : start + limit]
        body: dict[str, Any] = {"data": data}
        if data:
            end = start + len(data) - 1
            body["paging"] = {"cursors": {"before": _cursor(start), "after": _cursor(end)}}
            if end + 1 < len(self.comments):
                query = {**request.query, "after": _cursor(end)}
                body["paging"]["next"] = (
                    f"https://graph.facebook.com/v26.0/{VIDEO}/comments?{urlencode(query)}"
                )
        return Reply(200, dumps(body), {"Content-Type": "application/json; charset=UTF-8"})


def comment(n: int, text: str, name: str | None = "Clay T.") -> dict[str, Any]:
    item: dict[str, Any] = {
        "created_time": f"2026-05-10T18:48:{n:02d}+0000",
        "message": text,
        "id": f"{VIDEO}_91193729233{n:04d}",
    }
    if name is not None:
        item["from"] = {"name": name, "id": "552524095105158"}
    return item
