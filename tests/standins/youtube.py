"""YouTube Data API stand-in: `liveChat/messages` pages with page tokens and errors by `reason`."""

from __future__ import annotations

from typing import Any

from . import Reply, Request, StandIn, dumps

CHAT_ID = "Cg0KC0FCQ2RlZkdISUpL"


def google_error(code: int, reason: str, message: str, domain: str = "youtube.liveChat") -> Reply:
    error = {
        "code": code,
        "message": message,
        "errors": [{"message": message, "domain": domain, "reason": reason}],
    }
    return Reply(code, dumps({"error": error}), {"Content-Type": "application/json; charset=UTF-8"})


QUOTA = Reply(
    403,
    b'{"error":{"code":403,"message":"The request cannot be completed because you have exceeded '
    b'your <a href=\\"/youtube/v3/getting-started#quota\\">quota</a>.","errors":[{"message":"The '
    b'request cannot be completed because you have exceeded your <a href=\\"/youtube/v3/'
    b'getting-started#quota\\">quota</a>.","domain":"youtube.quota","reason":"quotaExceeded"}]}}',
    {"Content-Type": "application/json; charset=UTF-8"},
)
ENDED = google_error(403, "liveChatEnded", "The specified live chat is no longer live.")
DISABLED = google_error(403, "liveChatDisabled", "Live chat is not enabled for the specified broadcast.")
TOO_FAST = google_error(
    403, "rateLimitExceeded", "The request was sent too quickly after the previous request."
)


class YouTubeStandIn(StandIn):
    """Serves `pages` in order; page n is fetched with `pageToken` = `tok<n>`; the last repeats, empty."""

    def __init__(self, interval_ms: int = 3000) -> None:
        super().__init__()
        self.pages: list[list[dict[str, Any]]] = []
        self.interval_ms = interval_ms
        self.offline = False

    def handle(self, request: Request) -> Reply:
        if request.path != "/youtube/v3/liveChat/messages" or request.query.get("liveChatId") != CHAT_ID:
            return google_error(
                404, "liveChatNotFound", "The live chat that you are trying to retrieve cannot be found."
            )
        token = request.query.get("pageToken", "")
        index = int(token.removeprefix("tok")) if token else 0
        items = self.pages[index] if index < len(self.pages) else []
        body: dict[str, Any] = {
            "kind": "youtube#liveChatMessageListResponse",
            "etag": f"etag{index}",
            "nextPageToken": f"tok{min(index + 1, len(self.pages))}",
            "pollingIntervalMillis": self.interval_ms,
            "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
            "items": items,
        }
        if self.offline:
            body["offlineAt"] = "2026-05-10T16:00:00Z"
        return Reply(200, dumps(body), {"Content-Type": "application/json; charset=UTF-8"})


def text_item(n: int, text: str, name: str = "Асель") -> dict[str, Any]:
    channel = f"UCviewer{n}"
    return {
        "kind": "youtube#liveChatMessage",
        "etag": f"e{n}",
        "id": f"LCC.TEXT{n}",
        "snippet": {
            "type": "textMessageEvent",
            "liveChatId": CHAT_ID,
            "authorChannelId": channel,
            "publishedAt": f"2026-05-10T15:25:{n:02d}.777Z",
            "hasDisplayContent": True,
            "displayMessage": text,
            "textMessageDetails": {"messageText": text},
        },
        "authorDetails": {
            "channelId": channel,
            "channelUrl": f"http://www.youtube.com/channel/{channel}",
            "displayName": name,
            "profileImageUrl": "https://yt3.ggpht.com/example/photo.jpg",
            "isVerified": False,
            "isChatOwner": False,
            "isChatSponsor": False,
            "isChatModerator": False,
        },
    }


def super_chat(n: int, comment: str) -> dict[str, Any]:
    return {
        "kind": "youtube#liveChatMessage",
        "etag": f"s{n}",
        "id": f"LCC.SUPER{n}",
        "snippet": {
            "type": "superChatEvent",
            "liveChatId": CHAT_ID,
            "authorChannelId": "UCabc",
            "publishedAt": "2026-05-10T15:26:00.000Z",
            "hasDisplayContent": True,
            "displayMessage": "$25.00 from Donor: " + comment,
            "superChatDetails": {
                "amountMicros": 25000000,
                "currency": "USD",
                "amountDisplayString": "$25.00",
                "userComment": comment,
                "tier": 2,
            },
        },
        "authorDetails": {
            "channelId": "UCabc",
            "channelUrl": "http://www.youtube.com/channel/UCabc",
            "displayName": "Donor",
            "profileImageUrl": "https://yt3.ggpht.com/x.jpg",
            "isVerified": False,
            "isChatOwner": False,
            "isChatSponsor": True,
            "isChatModerator": False,
        },
    }


def deleted(n: int, target: str, retracted: bool = False) -> dict[str, Any]:
    snippet: dict[str, Any] = {
        "liveChatId": CHAT_ID,
        "publishedAt": "2026-05-10T15:27:00.000Z",
        "hasDisplayContent": False,
    }
    if retracted:
        snippet |= {
            "type": "messageRetractedEvent",
            "authorChannelId": "UCviewer1",
            "messageRetractedDetails": {"retractedMessageId": target},
        }
    else:
        snippet |= {
            "type": "messageDeletedEvent",
            "authorChannelId": "UCmoderator",
            "messageDeletedDetails": {"deletedMessageId": target},
        }
    return {"kind": "youtube#liveChatMessage", "etag": f"d{n}", "id": f"LCC.DELETE{n}", "snippet": snippet}
