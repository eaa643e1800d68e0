"""A long Hypothesis run of the bridges' harness (``fuzz/bridges.py``).

    python fuzz/fuzz_bridges.py --examples 5000 [--seed N]

Each stream (well-formed or broken) is read three ways: as recorded events (the provider's JSON),
and through the real SDK clients over an in-memory transport (``httpx2.MockTransport``, no
network): the raw ``create(stream=True)`` stream, whose body the bridge reads itself, and the
SDK's ``.stream()`` helper, whose SDK objects it reads. Failures are shrunk and printed, and saved
in ``fuzz/.hypothesis`` to be tried first next time.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Any

import anthropic as anthropic_sdk
import httpx2
import openai as openai_sdk
from hypothesis import strategies as st

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from bridges import Case, check, recorded, streams  # noqa: E402
from fuzz_hypothesis import long_run  # noqa: E402

from partialjson import anthropic, openai  # noqa: E402

_body: list[bytes] = [b""]  # what the transport answers with next


def _reply(request: httpx2.Request) -> httpx2.Response:
    body = _body[0]
    pieces = [body[i : i + 7] for i in range(0, len(body), 7)]  # cut inside characters too
    return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=pieces)


_http = httpx2.Client(transport=httpx2.MockTransport(_reply))
_anthropic = anthropic_sdk.Anthropic(api_key="x", base_url="http://mock.local", max_retries=0,
                                     http_client=_http)
_openai = openai_sdk.OpenAI(api_key="x", base_url="http://mock.local/v1", max_retries=0,
                            http_client=_http)
_ASK: dict[str, Any] = {"model": "gpt-4o"}


def through_sdk(helper: bool) -> Any:
    """A reader of a case through the real client: the raw stream, or the SDK's helper."""

    def read(case: Case) -> Iterable[Any]:
        _body[0] = case.body().encode()
        if case.protocol == "anthropic":
            messages = _anthropic.messages
            ask = {"model": "claude-sonnet-4-6", "max_tokens": 10, "messages": []}
            source: Any = messages.stream(**ask) if helper else messages.create(stream=True, **ask)
            return anthropic.stream(source)  # type: ignore[no-any-return]
        if case.protocol == "chat":
            chat = _openai.chat.completions
            ask = {**_ASK, "messages": []}
            source = chat.stream(**ask) if helper else chat.create(stream=True, **ask)
        else:
            responses = _openai.responses
            ask = {**_ASK, "input": "x"}
            source = responses.stream(**ask) if helper else responses.create(stream=True, **ask)
        return openai.stream(source)  # type: ignore[no-any-return]

    return read


READERS = {"recorded": recorded, "raw": through_sdk(False), "helper": through_sdk(True)}


def main() -> None:
    def test(case: tuple[Case, str]) -> None:
        check(case[0], READERS[case[1]])

    cases = st.tuples(streams(), st.sampled_from(sorted(READERS)))
    long_run(cases, test, "bridges", 5000, __doc__ or "")


if __name__ == "__main__":
    main()
