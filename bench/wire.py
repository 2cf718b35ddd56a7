"""Lean HTTP/1.1 for the load side: keep-alive POSTs and an SSE reader over plain asyncio streams.

httpx costs several times the CPU of the server's own request handling; on a 2-core machine the
clients must leave the cores to the server, so the benchmark speaks just enough HTTP itself.
Loopback only: every connection goes to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

HOST = "127.0.0.1"


class HTTPError(Exception):
    pass


class Connection:
    """One keep-alive connection; requests are sequential on it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(HOST, self.port, limit=1 << 22)
        return self._reader, self._writer

    async def request(self, method: str, path: str, body: bytes = b"",
                      headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        reader, writer = await self._open()
        head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}", f"Content-Length: {len(body)}"]
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        status, fields = await read_head(reader)
        if "content-length" in fields:
            payload = await reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding") == "chunked":
            payload = b"".join([chunk async for chunk in chunks(reader)])
        else:
            payload = await reader.read()
        if fields.get("connection") == "close":
            await self.close()
        return status, payload

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None


async def read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    raw = await reader.readuntil(b"\r\n\r\n")
    lines = raw.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise HTTPError(f"bad status line {lines[0]!r}")
    fields: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            key, _, value = line.partition(":")
            fields[key.strip().lower()] = value.strip().lower() if key.lower() != "set-cookie" else value.strip()
    return int(parts[1]), fields


async def chunks(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    """The body of a chunked response, chunk by chunk, until the last (empty) chunk."""
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return
        data = await reader.readexactly(size + 2)
        yield data[:-2]


async def sse_events(port: int, path: str) -> AsyncIterator[tuple[str, bytes]]:
    """(event name, data) of a Server-Sent Events stream; comments (pings) are skipped."""
    reader, writer = await asyncio.open_connection(HOST, port, limit=1 << 22)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
        status, fields = await read_head(reader)
        if status != 200:
            raise HTTPError(f"SSE {path}: HTTP {status}")
        buffer = b""
        source = chunks(reader) if fields.get("transfer-encoding") == "chunked" else _raw(reader)
        async for chunk in source:
            buffer += chunk.replace(b"\r\n", b"\n")
            while b"\n\n" in buffer:
                block, buffer = buffer.split(b"\n\n", 1)
                event, data = "message", b""
                for line in block.split(b"\n"):
                    if line.startswith(b"event:"):
                        event = line[6:].strip().decode()
                    elif line.startswith(b"data:"):
                        data += line[5:].lstrip(b" ")
                if data:
                    yield event, data
    finally:
        writer.close()


async def _raw(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    while data := await reader.read(1 << 16):
        yield data
