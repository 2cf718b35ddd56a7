"""IMAP mailbox polling with IDLE (CHANNELS.md §5.1), on the standard library's imaplib.

The cursor is (UIDVALIDITY, last UID). `UID SEARCH last+1:*` always matches the newest message
even when nothing is new (RFC 3501 §6.4.8), so UIDs ≤ last are filtered out. A changed
UIDVALIDITY means the old UIDs are meaningless: the mailbox is read again from the start, and
the server's dedupe by Message-ID keeps that from storing anything twice. Bodies are fetched
with `BODY.PEEK[]` and the mailbox is opened read-only, so nothing is marked `\\Seen`.
"""

from __future__ import annotations

import asyncio
import contextlib
import imaplib
import logging
import re
import select
from typing import Any

from .. import mail
from ..batch import Batch
from ..worker import Cursor, Poll, UpstreamError

log = logging.getLogger("efir.ingest")
IDLE_LIMIT = 29 * 60  # RFC 2177: re-issue IDLE at least this often or the server may log us out
_UID = re.compile(rb"UID (\d+)")


class ImapSource:
    def __init__(self, host: str, port: int, user: str, password: str, *, mailbox: str = "INBOX",
                 tls: bool = True, interval: float = 30.0, batch: int = 100, idle: float = 25 * 60) -> None:
        self.name = f"email:{user}@{host}/{mailbox}"
        self.host, self.port, self.user, self._password = host, port, user, password
        self.mailbox, self.tls, self.interval, self.batch = mailbox, tls, interval, batch
        self.idle = min(idle, IDLE_LIMIT - 60)  # 0 turns IDLE off: plain polling every `interval`
        self._conn: imaplib.IMAP4 | None = None
        self.skipped = 0  # autoresponders, bounces and list mail left out

    async def poll(self, cursor: Cursor) -> Poll:
        return await asyncio.to_thread(self._poll, cursor)

    async def aclose(self) -> None:
        await asyncio.to_thread(self._drop)

    def _poll(self, cursor: Cursor) -> Poll:
        try:
            conn = self._conn or self._connect()
            validity = self._select(conn)
            last = int(cursor.get("uid", 0)) if cursor.get("uidvalidity") == validity else 0
            if cursor.get("uidvalidity") not in (None, validity):
                log.warning("%s: UIDVALIDITY changed; reading the mailbox again", self.name)
            uids = self._new_uids(conn, last)
            idled = False
            if not uids and self.idle > 0 and "IDLE" in conn.capabilities:
                self._idle_wait(conn, self.idle)
                idled = True
                uids = self._new_uids(conn, last)
            uids = uids[: self.batch]
            batch = self._fetch(conn, uids)
        except (imaplib.IMAP4.error, OSError) as exc:
            self._drop()
            raise UpstreamError(f"IMAP: {type(exc).__name__}: {str(exc)[:200]}") from None
        more = len(uids) == self.batch
        wait = 0.0 if more or idled else self.interval
        return Poll(batch, {"uidvalidity": validity, "uid": max(uids, default=last)}, wait=wait)

    def _connect(self) -> imaplib.IMAP4:
        cls = imaplib.IMAP4_SSL if self.tls else imaplib.IMAP4
        conn = cls(self.host, self.port, timeout=60)
        conn.login(self.user, self._password)
        self._conn = conn
        return conn

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                conn.logout()

    def _select(self, conn: imaplib.IMAP4) -> int:
        typ, data = conn.select(self.mailbox, readonly=True)
        if typ != "OK":
            raise imaplib.IMAP4.error(f"cannot open {self.mailbox}: {data!r}")
        _, values = conn.response("UIDVALIDITY")
        return int(values[0]) if values and values[0] else 0

    @staticmethod
    def _new_uids(conn: imaplib.IMAP4, last: int) -> list[int]:
        typ, data = conn.uid("SEARCH", "UID", f"{last + 1}:*")
        if typ != "OK":
            raise imaplib.IMAP4.error(f"UID SEARCH failed: {data!r}")
        found = (int(x) for x in (data[0] or b"").split())
        return sorted(uid for uid in found if uid > last)  # `n:*` always matches the newest message

    def _fetch(self, conn: imaplib.IMAP4, uids: list[int]) -> Batch:
        out = Batch()
        if not uids:
            return out
        typ, data = conn.uid("FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])")
        if typ != "OK":
            raise imaplib.IMAP4.error(f"UID FETCH failed: {data!r}")
        bodies: dict[int, bytes] = {}
        for part in data:
            if isinstance(part, tuple) and (match := _UID.search(part[0])):
                bodies[int(match.group(1))] = part[1]
        for uid in uids:  # each on its own: one mail that cannot be read is a dead letter, not a stalled mailbox
            if uid in bodies:
                read = mail.read(bodies[uid])
                self.skipped += read.ignored
                out.extend(read)
        return out

    def _idle_wait(self, conn: imaplib.IMAP4, seconds: float) -> None:
        """IDLE until the server reports a change or `seconds` pass, then DONE (RFC 2177)."""
        internals: Any = conn  # imaplib has no IDLE before Python 3.14: speak it on its own socket
        tag: bytes = internals._new_tag()
        internals.send(tag + b" IDLE\r\n")
        if not internals.readline().startswith(b"+"):
            self._read_until(internals, tag)
            return
        # the server says nothing until the mailbox changes; "+ idling" came alone, so the buffer is empty
        select.select([internals.sock], [], [], seconds)
        internals.send(b"DONE\r\n")
        self._read_until(internals, tag)

    @staticmethod
    def _read_until(internals: Any, tag: bytes) -> None:
        while True:
            line: bytes = internals.readline()
            if not line:
                raise OSError("IMAP connection closed during IDLE")
            if line.startswith(tag):
                return
