#!/usr/bin/env python3
"""Strict raw WebSocket clients for the damaged-frame question (issue 17, docs/benchmarks.md, heap section).

The JDK's WebSocket client (Probe.java) reports 1-3 of 1,000 sockets failing on TaskPulse's multi-part snapshot with
"Invalid UTF-8 in frame TEXT". This client takes the JDK out: N sockets at once, each doing its own handshake and
reading every byte the server sends, parsing frames strictly (no RSV bits, no mask, known opcodes, text that is valid
UTF-8 and JSON per message) until the snapshot's last part (`"more":false`). A connection whose bytes break a rule
is written whole to OUT/damaged-<n>.bin with the reason, so the bytes on the wire can be read.

    raw_frames.py ws://127.0.0.1:18660/ws/tasks 1000 OUT_DIR [rounds]      (raw-frames.sh starts the server)

Loopback only; every loop is bounded (a socket gives up after 60 s).
"""
import asyncio
import base64
import json
import os
import sys
import urllib.parse

HANDSHAKES_AT_ONCE = int(os.environ.get("RAW_HANDSHAKES_AT_ONCE", "200"))


async def one(n, url, out, results, handshakes):
    parts = urllib.parse.urlsplit(url)
    raw = bytearray()
    reason = None
    writer = None
    try:
        # At most HANDSHAKES_AT_ONCE handshakes in flight, as a client library's connection pool would: 10,000 at
        # once overflow Payara's HTTP worker queue (4,096 tasks) and it drops the rest (seen: 1,916 of 10,000).
        async with handshakes:
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(parts.hostname, parts.port), 30)
            except Exception:  # noqa: BLE001 - counted, not raised: one refused socket must not stop the others
                results["connect failed"] = results.get("connect failed", 0) + 1
                return
            key = base64.b64encode(os.urandom(16)).decode()
            writer.write((f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\nUpgrade: websocket\r\n"
                          f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 60)
        raw += head
        if not head.startswith(b"HTTP/1.1 101"):
            reason = "handshake: " + head.split(b"\r\n")[0].decode(errors="replace")
        message, frames = bytearray(), 0
        while reason is None:
            header = await asyncio.wait_for(reader.readexactly(2), 60)
            raw += header
            fin, rsv, opcode = header[0] & 0x80, header[0] & 0x70, header[0] & 0x0F
            masked, length = header[1] & 0x80, header[1] & 0x7F
            if length == 126:
                ext = await reader.readexactly(2); raw += ext; length = int.from_bytes(ext, "big")
            elif length == 127:
                ext = await reader.readexactly(8); raw += ext; length = int.from_bytes(ext, "big")
            if rsv or masked or opcode not in (0, 1, 2, 8, 9, 10) or length > 16 * 1024 * 1024:
                reason = f"frame {frames}: bad header {header.hex()} (rsv {rsv}, masked {masked}, opcode {opcode}, length {length})"
                break
            payload = await asyncio.wait_for(reader.readexactly(length), 60)
            raw += payload
            frames += 1
            if opcode == 9:  # ping: answer with a masked pong
                mask = os.urandom(4)
                writer.write(bytes([0x8A, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
                continue
            if opcode in (8, 10):
                if opcode == 8:
                    reason = f"closed by the server: {payload[:2].hex()} {payload[2:].decode(errors='replace')}"
                continue
            if opcode != 0:  # a new message; 0 continues the last one
                message = bytearray()
            message += payload
            if not fin:
                continue
            try:
                text = message.decode("utf-8", errors="strict")
                document = json.loads(text)
            except (UnicodeDecodeError, ValueError) as e:
                reason = f"frame {frames}: message is not UTF-8 JSON: {e}"
                break
            if document.get("type") == "snapshot" and not document.get("more"):
                results["whole snapshot"] = results.get("whole snapshot", 0) + 1
                results["frames"] = results.get("frames", 0) + frames
                break
    except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError) as e:
        reason = f"{type(e).__name__} after {len(raw)} bytes"
    finally:
        if reason is not None:
            results["damaged or failed"] = results.get("damaged or failed", 0) + 1
            with open(os.path.join(out, f"damaged-{n}.bin"), "wb") as f:
                f.write(raw)
            with open(os.path.join(out, f"damaged-{n}.txt"), "w") as f:
                f.write(reason + "\n")
            print(f"socket {n}: {reason}", flush=True)
        if writer is not None:
            results.setdefault("writers", []).append(writer)


async def main():
    url, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    os.makedirs(out, exist_ok=True)
    for r in range(rounds):
        results = {}
        handshakes = asyncio.Semaphore(HANDSHAKES_AT_ONCE)
        await asyncio.gather(*(one(r * count + n, url, out, results, handshakes) for n in range(count)))
        writers = results.pop("writers", [])
        print(f"round {r + 1}: {count} sockets: {results}", flush=True)
        for w in writers:
            w.close()
        await asyncio.gather(*(w.wait_closed() for w in writers), return_exceptions=True)
        await asyncio.sleep(2)


if __name__ == "__main__":
    asyncio.run(main())
