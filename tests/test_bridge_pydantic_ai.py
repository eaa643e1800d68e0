"""The pydantic-ai bridge, driven by real agents with pydantic-ai's own ``OpenAIChatModel`` and
``AnthropicModel`` against the local SSE server, and on generated event sequences.

Expectations come from ``model_validate_json`` of the authored arguments and from the run's own
result (``AgentRunResultEvent``). pydantic-ai streams only from async code, so these tests are
async (``asyncio.run``); any iterable of recorded events is read synchronously.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

import pytest
import sse_server as wire
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field
from pydantic_ai import Agent, AgentRunResultEvent, NativeOutput
from pydantic_ai.messages import (
    PartDeltaEvent,
    PartEndEvent,
    PartStartEvent,
    TextPart,
    TextPartDelta,
    ToolCallPart,
    ToolCallPartDelta,
)
from pydantic_ai.models.anthropic import AnthropicModel
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.providers.anthropic import AnthropicProvider
from pydantic_ai.providers.openai import OpenAIProvider
from sse_server import Outcome, ReplayServer
from test_bridge_examples import run_example

import partialjson as pj
from partialjson import pydantic_ai as pjai
from partialjson.pydantic_ai import AgentPart


class GetWeather(BaseModel):
    city: str
    days: int = Field(le=14)


class Recipe(BaseModel):
    title: str
    servings: int = Field(ge=1)
    steps: list[str]


WEATHER = '{"city": "São Paulo 🌧️", "days": 3}'
RECIPE = '{"title": "Shakshuka — \\"eggs\\"", "servings": 2, "steps": ["fry", "simmer", "eat"]}'
BAD_RECIPE = '{"title": "Shakshuka", "servings": 0, "steps": ["' + "x" * 60_000 + '"]}'

_clients = itertools.count()  # a URL per model: a provider's client outlives no event loop


def openai_agent(server: ReplayServer, **options: Any) -> Agent[None, Any]:
    provider = OpenAIProvider(base_url=f"{server.url}/{next(_clients)}/v1", api_key="test-key")
    agent: Agent[None, Any] = Agent(OpenAIChatModel("gpt-4o", provider=provider), **options)

    @agent.tool_plain
    def get_weather(city: str, days: int) -> str:
        return f"sunny in {city} for {days} days"

    return agent


def anthropic_agent(server: ReplayServer, **options: Any) -> Agent[None, Any]:
    provider = AnthropicProvider(base_url=f"{server.url}/{next(_clients)}", api_key="test-key")
    return Agent(AnthropicModel("claude-sonnet-4-6", provider=provider), **options)


def run(events: Any) -> Outcome:
    return asyncio.run(Outcome().adrain(events))


def result_of(out: Outcome) -> Any:
    """What the run itself returned (pydantic-ai's own validation: the oracle)."""
    return next(e.data.result.output for e in out.of(pj.ProviderEvent)
                if isinstance(e.data, AgentRunResultEvent))


def test_tool_call_then_output_over_two_responses(server: ReplayServer) -> None:
    server.reply(wire.chat(wire.chat_calls([("call_w", "get_weather", WEATHER)], size=3)),
                 piece=3)
    server.reply(wire.chat(wire.chat_calls([("call_r", "final_result", RECIPE)], size=3)),
                 piece=3)
    agent = openai_agent(server, output_type=Recipe)
    out = run(pjai.stream(agent.run_stream_events("go"), tools={"get_weather": GetWeather},
                          output=Recipe))
    assert out.error is None
    [call] = out.of(pj.ToolCallComplete)
    assert (call.id, call.value) == ("call_w", GetWeather.model_validate_json(WEATHER))
    assert call.part == AgentPart(0, 0, "tool-call", "call_w", "get_weather")
    [done] = out.of(pj.OutputComplete)
    assert done.value == Recipe.model_validate_json(RECIPE) == result_of(out)
    assert done.part == AgentPart(1, 0, "tool-call", "call_r", "final_result")
    assert out.strings(done.part)[("title",)] == json.loads(RECIPE)["title"]
    # the tool ran between the two responses, with the arguments the bridge validated
    assert server.last().request["messages"][-1]["content"] == "sunny in São Paulo 🌧️ for 3 days"


def test_anthropic_text_then_output_tool(server: ReplayServer) -> None:
    blocks = [wire.text("Here it is.", 3), wire.tool_use("final_result", RECIPE, "toolu_r", 3)]
    server.reply(wire.sse(wire.message(blocks, "tool_use")), piece=3)
    out = run(pjai.stream(anthropic_agent(server, output_type=Recipe).run_stream_events("go"),
                          output=Recipe))
    assert out.error is None
    assert [(p.part, p.text) for p in out.of(pj.PartCompleted)] == [
        (AgentPart(0, 0, "text"), "Here it is.")]
    assert [d.value for d in out.of(pj.OutputComplete)] == [Recipe.model_validate_json(RECIPE)]
    assert result_of(out) == Recipe.model_validate_json(RECIPE)


def test_native_output_is_read_from_the_text(server: ReplayServer) -> None:
    server.reply(wire.chat(wire.chat_content(RECIPE, size=3)), piece=3)
    agent = openai_agent(server, output_type=NativeOutput(Recipe))
    out = run(pjai.stream(agent.run_stream_events("go"), output=Recipe, output_tool=None))
    assert out.error is None
    assert server.last().request["response_format"]["type"] == "json_schema"
    assert [d.value for d in out.of(pj.OutputComplete)] == [result_of(out)]


def test_node_streams_of_agent_iter(server: ReplayServer) -> None:
    server.reply(wire.chat(wire.chat_calls([("call_r", "final_result", RECIPE)])), piece=3)
    agent = openai_agent(server, output_type=Recipe)

    async def main() -> list[Any]:
        values = []
        async with agent.iter("go") as agent_run:
            async for node in agent_run:
                if Agent.is_model_request_node(node):
                    async with node.stream(agent_run.ctx) as request_stream:
                        async for event in pjai.stream(request_stream, output=Recipe):
                            if isinstance(event, pj.OutputComplete):
                                values.append(event.value)
        return values

    assert asyncio.run(main()) == [Recipe.model_validate_json(RECIPE)]


def test_early_stop_cancels_the_run_and_hangs_up(server: ReplayServer) -> None:
    before = len(server.log)
    server.reply(wire.chat(wire.chat_calls([("call_r", "final_result", BAD_RECIPE)])),
                 **wire.PACED)
    agent = openai_agent(server, output_type=Recipe)
    out = run(pjai.stream(agent.run_stream_events("go"), output=Recipe))
    assert isinstance(out.error, pj.InvalidPart)
    assert out.error.path == ("servings",)
    served = server.last()
    assert served.outcome == "client closed" and served.sent < served.total // 10
    assert len(server.log) == before + 1  # the run stopped: pydantic-ai asked nothing more


def test_a_truncated_output_stops_the_run_before_pydantic_ai_asks_again(
        server: ReplayServer) -> None:
    before = len(server.log)
    cut = RECIPE[:30]
    server.reply(wire.chat(wire.chat_calls([("call_r", "final_result", cut)], finish="length")))
    server.reply(wire.chat(wire.chat_calls([("call_r", "final_result", RECIPE)])))
    out = run(pjai.stream(openai_agent(server, output_type=Recipe).run_stream_events("go"),
                          output=Recipe))
    assert isinstance(out.error, pj.IncompleteStream)
    assert out.error.text == cut
    assert not out.of(pj.OutputComplete)
    assert len(server.log) == before + 1  # pydantic-ai's retry never ran
    server.replies.clear()


def test_the_example_shows_each_field_then_the_recipe() -> None:
    done = run_example("pydantic_ai_agent.py")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:3] == ["title: 'Shakshuka for two'", "servings: 2", "minutes: 30"]
    assert "  ingredient 6: 4 eggs" in lines and "ingredients: 8 items" in lines
    assert lines.index("  ingredient 7: to serve feta, coriander") < lines.index("steps: 5 items")
    assert lines[-1] == "complete -> Recipe: 'Shakshuka for two', 5 steps"


# -- recorded events, read synchronously ---------------------------------------------------
def test_dict_arguments_are_read_when_the_part_ends() -> None:
    events = [
        PartStartEvent(index=0, part=ToolCallPart("get_weather", {"city": "Oslo"}, "c1")),
        PartDeltaEvent(index=0, delta=ToolCallPartDelta(args_delta={"days": 4})),
        PartEndEvent(index=0, part=ToolCallPart("get_weather", {"city": "Oslo", "days": 4}, "c1")),
    ]
    calls = [e for e in pjai.stream(events, tools={"get_weather": GetWeather})
             if isinstance(e, pj.ToolCallComplete)]
    assert [c.value for c in calls] == [GetWeather(city="Oslo", days=4)]


def test_a_replacing_start_continues_the_part() -> None:
    events = [
        PartStartEvent(index=0, part=TextPart(content="Hel")),
        PartStartEvent(index=0, part=TextPart(content="Hello")),
        PartDeltaEvent(index=0, delta=TextPartDelta(content_delta="!")),
        PartEndEvent(index=0, part=TextPart(content="Hello!")),
    ]
    out = Outcome().drain(pjai.stream(events))
    assert [p.text for p in out.of(pj.PartCompleted)] == ["Hello!"]
    shrunk = [PartStartEvent(index=0, part=TextPart(content="Hello")),
              PartStartEvent(index=0, part=TextPart(content="He"))]
    assert isinstance(Outcome().drain(pjai.stream(shrunk)).error, pj.StreamFailed)


def split(text: str, cuts: list[int]) -> list[str]:
    points = sorted({c % (len(text) + 1) for c in cuts} | {0, len(text)})
    return [text[a:b] for a, b in itertools.pairwise(points)]


def recorded(args: str, cuts: list[int]) -> list[Any]:
    pieces = split(args, cuts)
    return [PartStartEvent(index=0, part=ToolCallPart("final_result", pieces[0], "c1")),
            *(PartDeltaEvent(index=0, delta=ToolCallPartDelta(args_delta=p)) for p in pieces[1:]),
            PartEndEvent(index=0, part=ToolCallPart("final_result", args, "c1"))]


def joined(events: list[Any]) -> list[Any]:
    out: list[Any] = []
    for event in events:
        inner = getattr(event, "event", None)
        last = getattr(out[-1], "event", None) if out else None
        if (isinstance(inner, pj.StringDelta) and isinstance(last, pj.StringDelta)
                and last.path == inner.path):
            out[-1] = pj.JsonEvent(event.part, pj.StringDelta(inner.path, last.text + inner.text))
        elif not isinstance(event, pj.PartStarted):  # (its data is the first piece)
            out.append(event)
    return out


@settings(max_examples=40)
@given(st.lists(st.text(max_size=10), min_size=1, max_size=4), st.integers(-2, 5),
       st.lists(st.integers(0, 200), max_size=10), st.lists(st.integers(0, 200), max_size=10))
def test_events_are_independent_of_the_chunking(steps: list[str], servings: int,
                                                cuts_a: list[int], cuts_b: list[int]) -> None:
    args = json.dumps({"title": steps[0], "servings": servings, "steps": steps})
    outs = [Outcome().drain(pjai.stream(recorded(args, cuts), output=Recipe))
            for cuts in (cuts_a, cuts_b)]
    if servings >= 1:
        assert joined(outs[0].events) == joined(outs[1].events)
        assert [d.value for d in outs[0].of(pj.OutputComplete)] == [
            Recipe.model_validate_json(args)]
    else:
        # the same error at the same offset, the character after the number (the chunk that
        # proves it yields no events)
        assert isinstance(outs[0].error, pj.InvalidPart)
        assert isinstance(outs[1].error, pj.InvalidPart)
        after = args.index(f": {servings},") + 2 + len(str(servings))
        assert outs[0].error.offset == outs[1].error.offset == after


@pytest.mark.parametrize("bad", [{"event_kind": "part_delta", "index": 0},
                                 {"event_kind": "part_start", "index": 0, "part": None}])
def test_malformed_events_fail_the_stream(bad: dict[str, Any]) -> None:
    assert isinstance(Outcome().drain(pjai.stream([bad])).error, pj.StreamFailed)
