"""After a stream went wrong: ask again well, or carry on from what was valid.

- :func:`repair_prompt`: the messages to append for a re-ask after a schema violation or broken
  JSON (:class:`~partialjson.InvalidPart`, or a bare ``SchemaViolation``), in the provider's
  message format: the path, pydantic's errors, the offending text and the valid prefix.
- :func:`valid_prefix`: the text received, cut back to the end of its last complete value
  before the fault.
- :func:`continue_request`: a new Anthropic request that continues the structured output from
  that prefix (assistant prefill), after a violation or a ``max_tokens`` cut (the limit raised).
  Read its stream with ``anthropic.stream(..., output=Model, prefill=...)`` and the events carry
  on from the prefix: the prefix's own events are not given again.

Retrying a stream that failed, and resuming a dropped one, are ``stream(..., retry=...)``
(:class:`~partialjson.RetryPolicy`) and ``openai.stream(..., resume=...)``.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from ._errors import PartialJSONError, PositionedError, SchemaViolation, format_path
from ._events import ValueCompleted
from ._stream import JsonStream
from .bridges._events import BridgeError, Continued, IncompleteStream, InvalidPart

__all__ = ["Continued", "continue_request", "repair_prompt", "valid_prefix"]

Provider = Literal["anthropic", "openai-chat", "openai-responses"]
_LINE = 400  # characters of offending text and of valid prefix quoted in a prompt


def valid_prefix(text: str, error: PartialJSONError | None = None) -> str:
    """``text`` (the start of a JSON document) cut back to the end of the last value that
    completed before ``error`` and outside the value it is about; the document's opening
    bracket if none did. Trailing whitespace is dropped (an assistant prefill may not end
    with it). Read once, one character at a time (recovery is rare; offsets must be exact)."""
    stop = getattr(error, "offset", None)
    stop = len(text) if not isinstance(stop, int) else min(stop, len(text))
    bad = tuple(getattr(error, "path", ()) or ()) if isinstance(error, SchemaViolation) else None
    parser = JsonStream[str]()
    cut = None
    for at in range(stop):
        try:
            events = parser.feed(text[at])
        except PartialJSONError:
            break
        for event in events:
            if type(event) is not ValueCompleted:
                continue
            path = tuple(event.path)
            if not path or (bad is not None and path[: len(bad)] == bad):
                continue  # the document itself, or the value at fault
            # a number completes at the character after it; anything else at its last
            number = isinstance(event.value, (int, float)) and not isinstance(event.value, bool)
            cut = at if number else at + 1
    if cut is None:
        start = len(text) - len(text.lstrip())
        return text[: start + 1] if text[start : start + 1] in ("{", "[") else ""
    return text[:cut].rstrip()


def continue_request(request: dict[str, Any], error: BridgeError, *,
                     max_tokens: int | None = None) -> tuple[dict[str, Any], Continued]:
    """An Anthropic Messages request that continues ``error``'s structured output from its
    valid prefix, and that prefix (pass it as ``anthropic.stream(..., prefill=prefix)``).

    ``request``: the keyword arguments of the failed ``messages.create``/``stream`` call.
    After a ``max_tokens`` cut (:class:`~partialjson.IncompleteStream`) the limit is raised to
    ``max_tokens`` (by default, doubled). The last message of ``request`` may already be an
    assistant prefill (a first continuation): it is replaced, not repeated.
    """
    part = error.part
    if part is None or part not in error.texts:
        raise ValueError("the error is about no part whose text can be continued")
    if getattr(part, "type", "text") != "text":
        raise ValueError(f"{part} cannot be continued: Anthropic prefills text only "
                         "(re-ask a tool call with repair_prompt)")
    fault = error.error if isinstance(error, InvalidPart) else None
    prefix = Continued(valid_prefix(error.texts[part], fault))
    messages = list(request.get("messages", []))
    if messages and messages[-1].get("role") == "assistant":
        messages.pop()
    messages.append({"role": "assistant", "content": str(prefix)})
    new = {**request, "messages": messages}
    if isinstance(error, IncompleteStream) and error.stop_reason == "max_tokens":
        new["max_tokens"] = max_tokens or 2 * int(request.get("max_tokens", 1024))
    elif max_tokens is not None:
        new["max_tokens"] = max_tokens
    return new, prefix


def repair_prompt(error: BridgeError | SchemaViolation, provider: Provider = "anthropic",
                  ) -> list[dict[str, Any]]:
    """The messages to append to a conversation to ask the model again, after ``error``:
    the assistant's turn as it was received (the tool call, or the text), then the
    explanation (a tool result marked as an error, or a user message), in ``provider``'s
    format: ``"anthropic"`` (Messages), ``"openai-chat"`` (Chat Completions messages) or
    ``"openai-responses"`` (Responses input items)."""
    if isinstance(error, BridgeError):
        part, fault = error.part, getattr(error, "error", None)
        text = error.text or ""
    else:
        part, fault = None, error
        received = error.text_so_far
        text = received.decode(errors="replace") if isinstance(received, bytes) else received
    name, call_id = _call_of(part)
    explanation = _explain(fault or error, text, name)
    if call_id is None:  # the output (or a bare violation): the text, then a user turn
        assistant = {"role": "assistant", "content": text} if text else None
        user = {"role": "user", "content": explanation}
        return [m for m in (assistant, user) if m is not None]
    if provider == "anthropic":
        return [
            {"role": "assistant", "content": [
                {"type": "tool_use", "id": call_id, "name": name, "input": _object(text)}]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": call_id, "is_error": True,
                 "content": explanation}]},
        ]
    if provider == "openai-chat":
        return [
            {"role": "assistant", "content": None, "tool_calls": [
                {"id": call_id, "type": "function",
                 "function": {"name": name, "arguments": text}}]},
            {"role": "tool", "tool_call_id": call_id, "content": explanation},
        ]
    if provider == "openai-responses":
        return [
            {"type": "function_call", "call_id": call_id, "name": name, "arguments": text},
            {"type": "function_call_output", "call_id": call_id, "output": explanation},
        ]
    raise ValueError(f"unknown provider {provider!r}: anthropic, openai-chat, openai-responses")


def _call_of(part: Any) -> tuple[str | None, str | None]:
    """A tool call's name and the id its result refers to (None for a part that is no call)."""
    name = getattr(part, "name", None)
    call_id = getattr(part, "call_id", None) or getattr(part, "id", None)
    if not name or not call_id:
        return None, None
    return name, call_id


def _object(text: str) -> dict[str, Any]:
    """What the broken input was, as far as it went (Anthropic's tool_use input is an
    object): the valid prefix, completed."""
    from ._stream import parse_partial

    try:
        value = parse_partial(valid_prefix(text) or "{}")
    except PartialJSONError:
        return {}
    return value if isinstance(value, dict) else {}


def _explain(fault: Exception, text: str, name: str | None) -> str:
    what = f"The arguments of your call to {name}" if name else "Your answer"
    lines = [f"{what} did not match the required schema, and were rejected."]
    if isinstance(fault, PositionedError):
        where = format_path(fault.path) if fault.path else "the top level"
        lines.append(f"At {where} (character {fault.offset}): {fault.message}.")
    else:
        lines.append(f"{fault}.")
    for detail in getattr(fault, "errors", None) or []:
        loc = format_path(tuple(detail.get("loc", ())))
        lines.append(f"- {loc}: {detail.get('msg')} [{detail.get('type')}]"
                     f" (input: {_clip(json.dumps(detail.get('input'), default=str))})")
    offset = getattr(fault, "offset", None)
    if isinstance(offset, int) and text:
        prefix = valid_prefix(text, fault if isinstance(fault, PartialJSONError) else None)
        offending = text[len(prefix) : offset + 1].strip(" ,\t\r\n")
        lines.append(f"The offending text: {_clip(offending)!r}")
        lines.append(f"Valid up to there: {_clip(prefix, tail=True)}")
    lines.append("Please answer again, with JSON that matches the schema exactly."
                 if name is None else f"Please call {name} again, with arguments that match "
                                      "its schema exactly.")
    return "\n".join(lines)


def _clip(text: str, tail: bool = False) -> str:
    if len(text) <= _LINE:
        return text
    return "…" + text[-_LINE:] if tail else text[:_LINE] + "…"
