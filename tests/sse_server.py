"""A real HTTP server on 127.0.0.1 that replays recorded SSE streams to the real SDK clients.

Each test queues the replies for its next requests. A reply's body is written as HTTP/1.1 chunks
of a few bytes each, cut anywhere (inside UTF-8 characters too), as a network would; optionally
with a pause between pieces, or the connection dropped part-way. The server logs every request
and how its reply ended: ``complete``, ``client closed`` (the client hung up before the end: an
early stop), or ``dropped`` (on purpose). It also has SSE writers for the two providers.
"""

from __future__ import annotations

import json
import select
import socket
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    body: bytes
    piece: int = 5  # bytes per write
    delay: float = 0.0  # seconds between writes
    drop_at: int | None = None  # close the socket after this many body bytes, body unfinished
    status: int = 200
    content_type: str = "text/event-stream; charset=utf-8"  # a whole JSON body: application/json


@dataclass
class Served:
    """What the server saw of one request."""

    path: str
    request: Any
    total: int
    sent: int = 0
    outcome: str = "sending"
    ended: threading.Event = field(default_factory=threading.Event)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client hanging up is no news
            super().handle_error(request, client_address)


class ReplayServer:
    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.log: list[Served] = []
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.replay = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()

    def reply(self, body: str | bytes, **options: Any) -> None:
        """Queue the reply to the next request."""
        self.replies.append(Reply(body.encode() if isinstance(body, str) else body, **options))

    def last(self, timeout: float = 5.0) -> Served:
        """The last request, once its reply has ended."""
        served = self.log[-1]
        assert served.ended.wait(timeout), "the reply did not end"
        return served

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ReplayServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        server: ReplayServer = self.server.replay  # type: ignore[attr-defined]
        length = int(self.headers.get("content-length") or 0)
        request = json.loads(self.rfile.read(length) or b"null")
        if not server.replies:
            self.send_error(500, "no reply queued")
            return
        reply = server.replies.popleft()
        served = Served(self.path, request, len(reply.body))
        server.log.append(served)
        try:
            self._send(reply, served)
        except (BrokenPipeError, ConnectionResetError):
            served.outcome = "client closed"
            self.close_connection = True
        finally:
            served.ended.set()

    def do_GET(self) -> None:  # retrieving a stream (OpenAI Responses' resume): no body
        self.do_POST()

    def _send(self, reply: Reply, served: Served) -> None:
        self.send_response(reply.status)
        self.send_header("content-type", reply.content_type)
        self.send_header("transfer-encoding", "chunked")
        self.send_header("request-id", "req_replay")
        self.end_headers()
        body, stop = reply.body, len(reply.body) if reply.drop_at is None else reply.drop_at
        while served.sent < stop:
            if self._client_gone():
                served.outcome = "client closed"
                self.close_connection = True
                return
            piece = body[served.sent : min(served.sent + reply.piece, stop)]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.flush()
            served.sent += len(piece)
            if reply.delay:
                time.sleep(reply.delay)
        if reply.drop_at is not None:
            served.outcome = "dropped"
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        served.outcome = "complete"

    def _client_gone(self) -> bool:
        """True once the client has closed its end (readable, and nothing to read)."""
        readable, _, _ = select.select([self.connection], [], [], 0)
        return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""


# -- SSE writers ---------------------------------------------------------------------------------
def sse(events: list[tuple[str | None, Any]], eol: str = "\n", noise: bool = False) -> str:
    """An SSE body: ``(event name or None, data)`` pairs; data is JSON unless a str. ``eol``:
    the line end (``"\r\n"``, ``"\r"``); ``noise``: keep-alive comments, ids and retry fields
    between and within events, which change nothing."""
    out = []
    for n, (name, data) in enumerate(events):
        line = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        lines = ([] if name is None else [f"event: {name}"]) + [f"data: {line}"]
        if noise:
            out.append(f": keep-alive {n}{eol}{eol}")
            lines[-1:-1] = [f"id: {n}", ": a comment inside", "retry: 3000"]
        out.append("".join(f"{part}{eol}" for part in lines) + eol)
    return "".join(out)


def fragments(text: str, size: int = 4) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


# Anthropic Messages: a block is (content_block, deltas).
Block = tuple[dict[str, Any], list[dict[str, Any]]]


def tool_use(name: str, arguments: str | list[str], id: str = "toolu_01", size: int = 4,
             kind: str = "tool_use") -> Block:
    """A tool block whose input streams after the usual ``""``: in ``size``-character pieces,
    or in the pieces given."""
    pieces = ["", *(fragments(arguments, size) if isinstance(arguments, str) else arguments)]
    block = {"type": kind, "id": id, "name": name, "input": {}}
    return block, [{"type": "input_json_delta", "partial_json": p} for p in pieces]


def text(content: str, size: int = 4) -> Block:
    pieces = fragments(content, size)
    return {"type": "text", "text": ""}, [{"type": "text_delta", "text": p} for p in pieces]


def thinking(content: str, signature: str = "EuYBCkQYAiJA") -> Block:
    deltas = [{"type": "thinking_delta", "thinking": p} for p in fragments(content, 6)]
    deltas.append({"type": "signature_delta", "signature": signature})
    return {"type": "thinking", "thinking": "", "signature": ""}, deltas


def message(blocks: list[Block], stop_reason: str | None = "end_turn",
            until: int | None = None) -> list[tuple[str, Any]]:
    """The events of a Messages stream (``stop_reason=None``: it ends after the blocks, with no
    message_delta or message_stop; ``until``: only the first ``until`` events)."""
    start = {"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-6",
             "content": [], "stop_reason": None, "stop_sequence": None,
             "usage": {"input_tokens": 12, "output_tokens": 1}}
    events: list[tuple[str, Any]] = [("message_start", {"type": "message_start", "message": start})]
    for index, (block, deltas) in enumerate(blocks):
        events.append(("content_block_start",
                       {"type": "content_block_start", "index": index, "content_block": block}))
        if index == 0:
            events.append(("ping", {"type": "ping"}))
        events += [("content_block_delta", {"type": "content_block_delta", "index": index,
                                            "delta": delta}) for delta in deltas]
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    if stop_reason is not None:
        delta = {"stop_reason": stop_reason, "stop_sequence": None}
        events.append(("message_delta",
                       {"type": "message_delta", "delta": delta, "usage": {"output_tokens": 99}}))
        events.append(("message_stop", {"type": "message_stop"}))
    return events[:until]


# OpenAI Chat Completions: chunk dicts, then "[DONE]".
def chunk(delta: dict[str, Any] | None = None, finish: str | None = None, choice: int = 0,
          **extra: Any) -> dict[str, Any]:
    choices = [] if delta is None else [
        {"index": choice, "delta": delta, "logprobs": None, "finish_reason": finish}]
    return {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000,
            "model": "gpt-4o", "choices": choices, **extra}


def chat_calls(calls: list[tuple[str, str, str]], interleave: bool = False, size: int = 4,
               finish: str | None = "tool_calls") -> list[dict[str, Any]]:
    """Chunks of parallel tool calls ``(id, name, arguments)``: one call after the other, or
    their fragments interleaved (0, 1, 0, 1...)."""
    heads = [chunk({"tool_calls": [{"index": i, "id": id, "type": "function",
                                    "function": {"name": name, "arguments": ""}}]})
             for i, (id, name, _) in enumerate(calls)]
    tails = [[chunk({"tool_calls": [{"index": i, "function": {"arguments": piece}}]})
              for piece in fragments(arguments, size)] for i, (_, _, arguments) in enumerate(calls)]
    chunks = [chunk({"role": "assistant", "content": None, "refusal": None})]
    if interleave:
        chunks += heads
        longest = max(len(t) for t in tails)
        chunks += [t[j] for j in range(longest) for t in tails if j < len(t)]
    else:
        for head, tail in zip(heads, tails, strict=True):
            chunks += [head, *tail]
    if finish is not None:
        chunks.append(chunk({}, finish))
    return chunks


def chat_content(content: str, size: int = 4, finish: str | None = "stop") -> list[dict[str, Any]]:
    chunks = [chunk({"role": "assistant", "content": "", "refusal": None})]
    chunks += [chunk({"content": piece}) for piece in fragments(content, size)]
    if finish is not None:
        chunks.append(chunk({}, finish))
    return chunks


def chat(chunks: list[dict[str, Any]], done: bool = True, eol: str = "\n",
         noise: bool = False) -> str:
    return sse([(None, c) for c in chunks] + ([(None, "[DONE]")] if done else []), eol, noise)


# OpenAI Responses: items are ("function_call", name, arguments) or ("message", text).
def response(events: list[tuple[str, Any]], end: str = "response.completed",
             **final: Any) -> list[tuple[str, Any]]:
    """A Responses stream: response.created, the events, then ``end`` (with ``final`` in its
    response); numbered."""
    created = {"id": "resp_1", "object": "response", "created_at": 1700000000, "model": "gpt-4o",
               "status": "in_progress", "output": [], "parallel_tool_calls": True,
               "tool_choice": "auto", "tools": []}
    done = [data["item"] for name, data in events if name == "response.output_item.done"]
    ended = {**created, "status": end.split(".")[1], "output": done, **final}
    whole = [("response.created", {"response": created}), *events, (end, {"response": ended})]
    return [(name, {"type": name, "sequence_number": n, **data})
            for n, (name, data) in enumerate(whole)]


def responses(items: list[tuple[str, ...]], size: int = 4) -> list[tuple[str, Any]]:
    """A Responses stream of ``("function_call", name, arguments)`` and ``("message", text)``
    items, each complete."""
    events: list[tuple[str, Any]] = []
    for at, entry in enumerate(items):
        if entry[0] == "function_call":
            _, name, arguments = entry
            item = {"id": f"fc_{at}", "type": "function_call", "status": "in_progress",
                    "arguments": "", "call_id": f"call_{at}", "name": name}
            events.append(("response.output_item.added", {"output_index": at, "item": item}))
            events += [("response.function_call_arguments.delta",
                        {"item_id": item["id"], "output_index": at, "delta": piece})
                       for piece in fragments(arguments, size)]
            events.append(("response.function_call_arguments.done",
                           {"item_id": item["id"], "output_index": at, "arguments": arguments}))
            done = {**item, "status": "completed", "arguments": arguments}
        else:
            _, content = entry
            item = {"id": f"msg_{at}", "type": "message", "status": "in_progress",
                    "role": "assistant", "content": []}
            where = {"item_id": item["id"], "output_index": at, "content_index": 0}
            part = {"type": "output_text", "text": "", "annotations": []}
            events.append(("response.output_item.added", {"output_index": at, "item": item}))
            events.append(("response.content_part.added", {**where, "part": part}))
            events += [("response.output_text.delta", {**where, "delta": piece, "logprobs": []})
                       for piece in fragments(content, size)]
            events.append(("response.output_text.done", {**where, "text": content, "logprobs": []}))
            whole = {**part, "text": content}
            events.append(("response.content_part.done", {**where, "part": whole}))
            done = {**item, "status": "completed", "content": [whole]}
        events.append(("response.output_item.done", {"output_index": at, "item": done}))
    return response(events)


# -- what a bridge reads, and what it gave ------------------------------------------------------
# What it reads: the raw stream, the SDK's helper, or the manager that opens the helper;
# from the sync client or the async one.
SOURCES = [(how, is_async) for is_async in (False, True) for how in ("raw", "helper", "manager")]
# How the other scenarios are read: the raw stream (its body, read by the bridge), sync and
# async, and the sync helper (the SDK's own objects).
VIAS = [("raw", False), ("raw", True), ("helper", False)]
VIA_IDS = ["raw", "raw-async", "helper"]


def transport_errors() -> tuple[type[Exception], ...]:
    """The connection-error classes of the HTTP libraries loaded: httpx2 (SDKs of today) and
    httpx (older ones, which also let them through unwrapped)."""
    return tuple(module.TransportError for module in (sys.modules.get("httpx2"),
                                                      sys.modules.get("httpx")) if module)


def dig(data: Any, *path: str | int) -> Any:
    """A field of an event's ``data``, the provider's JSON (from a raw stream) or the SDK's
    object (from a helper)."""
    for step in path:
        data = data[step] if isinstance(data, (dict, list)) else getattr(data, step)
    return data


@dataclass
class Outcome:
    """The events a bridge yielded, how it ended, and what the SDK helper accumulated."""

    events: list[Any] = field(default_factory=list)
    error: Exception | None = None
    sdk: Any = None

    def of(self, kind: type) -> list[Any]:
        return [event for event in self.events if isinstance(event, kind)]

    def strings(self, part: Any) -> dict[tuple[Any, ...], str]:
        """The string deltas of a part's JSON, joined per path."""
        joined: dict[tuple[Any, ...], str] = {}
        for event in self.events:
            inner = getattr(event, "event", None)
            if getattr(event, "part", None) == part and type(inner).__name__ == "StringDelta":
                path = tuple(inner.path)
                joined[path] = joined.get(path, "") + inner.text
        return joined

    def drain(self, events: Any, until: Any = None) -> Outcome:
        """Read the events, to the end or to the first for which ``until`` holds."""
        try:
            for event in events:
                self.events.append(event)
                if until is not None and until(event):
                    events.close()  # what dropping the loop's iterator does
                    break
        except Exception as exc:
            self.error = exc
        return self

    async def adrain(self, events: Any, until: Any = None) -> Outcome:
        try:
            async for event in events:
                self.events.append(event)
                if until is not None and until(event):
                    await events.aclose()
                    break
        except Exception as exc:
            self.error = exc
        return self


PACED: dict[str, Any] = {"piece": 64, "delay": 0.001}  # a stream the client can stop part-way


# Gemini (google-genai): GenerateContentResponse chunks as the API sends them, camelCase JSON,
# "data:" lines only, "\r\n" line ends.
def gemini_chunk(parts: list[dict[str, Any]] | None = None, finish: str | None = None,
                 candidate: int = 0, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"candidates": [], "usageMetadata": {"promptTokenCount": 9},
                            "modelVersion": "gemini-2.5-flash", "responseId": "resp_g1", **extra}
    if parts is not None or finish is not None:
        entry: dict[str, Any] = {"content": {"parts": parts or [], "role": "model"},
                                 "index": candidate}
        if finish is not None:
            entry["finishReason"] = finish
        body["candidates"].append(entry)
    return body


def gemini_text(content: str, size: int = 4, finish: str | None = "STOP",
                thought: bool = False) -> list[dict[str, Any]]:
    """A candidate's text in ``size``-character pieces; the last piece carries the finish."""
    part = {"thought": True} if thought else {}
    chunks = [gemini_chunk([{"text": piece, **part}]) for piece in fragments(content, size)]
    if finish is not None:
        chunks[-1]["candidates"][0]["finishReason"] = finish
    return chunks


def gemini_call(name: str, args: dict[str, Any] | None, id: str | None = None) -> dict[str, Any]:
    call: dict[str, Any] = {"name": name}
    if args is not None:
        call["args"] = args
    if id is not None:
        call["id"] = id
    return {"functionCall": call}


def json_path(steps: tuple[str | int, ...]) -> str:
    """An RFC 9535 normalized path: ``$.name``, ``$[0]``, ``$['odd name']``."""
    out = "$"
    for step in steps:
        if isinstance(step, int):
            out += f"[{step}]"
        elif step.isidentifier():
            out += f".{step}"
        else:
            quoted = json.dumps(step, ensure_ascii=False)[1:-1].replace('\\"', '"')
            out += "['" + quoted.replace("'", "\\'") + "']"
    return out


def partial_args(value: dict[str, Any], cut: Any = 4) -> list[dict[str, Any]]:
    """``value``'s leaves, depth first, as PartialArgs: strings in pieces (``cut``: a size, or
    a function of the string giving its pieces), each but the last with willContinue."""
    out: list[dict[str, Any]] = []

    def walk(node: Any, steps: tuple[str | int, ...]) -> None:
        if isinstance(node, dict):
            for key, item in node.items():
                walk(item, (*steps, key))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, (*steps, index))
        else:
            path = json_path(steps)
            if isinstance(node, str):
                pieces = (fragments(node, cut) if isinstance(cut, int) else cut(node)) or [""]
                out.extend({"jsonPath": path, "stringValue": piece,
                            **({"willContinue": True} if n < len(pieces) - 1 else {})}
                           for n, piece in enumerate(pieces))
            elif isinstance(node, bool):
                out.append({"jsonPath": path, "boolValue": node})
            elif node is None:
                out.append({"jsonPath": path, "nullValue": "NULL_VALUE"})
            else:
                out.append({"jsonPath": path, "numberValue": node})

    walk(value, ())
    return out


def gemini_streamed_call(name: str, pieces: list[dict[str, Any]], per_chunk: int = 1,
                         finish: str | None = "STOP") -> list[dict[str, Any]]:
    """A call whose arguments stream (``stream_function_call_arguments``): the name first, then
    ``per_chunk`` PartialArgs a chunk, then the closing piece (willContinue false)."""
    chunks = [gemini_chunk([{"functionCall": {"name": name, "willContinue": True}}])]
    for at in range(0, len(pieces), per_chunk):
        call = {"partialArgs": pieces[at : at + per_chunk], "willContinue": True}
        chunks.append(gemini_chunk([{"functionCall": call}]))
    chunks.append(gemini_chunk([{"functionCall": {}}], finish))
    return chunks


def gemini(chunks: list[dict[str, Any]], eol: str = "\r\n") -> str:
    return sse([(None, c) for c in chunks], eol)
