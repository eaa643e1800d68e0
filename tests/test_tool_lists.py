"""Tool lists as the APIs take them: ``partialjson.schema.tool_schemas`` and the bridges'
``tools=`` given the request's own list, through the real SDK clients against the local server,
and a real MCP server's ``list_tools()`` (the ``mcp`` package's server, in process)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import anthropic
import openai
import pytest
import sse_server as wire
from pydantic import BaseModel
from sse_server import Outcome, ReplayServer

import partialjson as pj
from partialjson import anthropic as anthropic_bridge
from partialjson import openai as openai_bridge
from partialjson.schema import tool_schemas

WEATHER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "description": "City name"},
        "units": {"enum": ["celsius", "fahrenheit"]},
        "days": {"type": "integer", "minimum": 1, "maximum": 10},
    },
    "required": ["city", "units"],
    "additionalProperties": False,
}
WEATHER = {"city": "São Paulo", "units": "celsius", "days": 3}
WEATHER_TEXT = json.dumps(WEATHER, ensure_ascii=False)


class Flights(BaseModel):
    origin: str
    passengers: int


ANTHROPIC_TOOLS = [
    {"name": "get_weather", "description": "Forecast", "input_schema": WEATHER_SCHEMA},
    {"type": "web_search_20250305", "name": "web_search", "max_uses": 3},  # no schema
]
CHAT_TOOLS = [{"type": "function", "function": {"name": "get_weather", "description": "Forecast",
                                                "parameters": WEATHER_SCHEMA}}]
RESPONSES_TOOLS = [{"type": "function", "name": "get_weather", "parameters": WEATHER_SCHEMA,
                    "strict": False}, {"type": "web_search_preview"}]


# -- the formats -------------------------------------------------------------------------------
@pytest.mark.parametrize("tools", [ANTHROPIC_TOOLS, CHAT_TOOLS, RESPONSES_TOOLS,
                                   {"get_weather": WEATHER_SCHEMA}],
                         ids=["anthropic", "openai-chat", "openai-responses", "mapping"])
def test_each_providers_list_gives_the_schema_by_name(tools: Any) -> None:
    assert tool_schemas(tools) == {"get_weather": WEATHER_SCHEMA}


def test_gemini_declarations_are_read_as_json_schema() -> None:
    gemini = {"function_declarations": [
        {"name": "get_weather", "parameters": {
            "type": "OBJECT", "propertyOrdering": ["city", "days"],
            "properties": {"city": {"type": "STRING", "example": "Paris"},
                           "days": {"type": "INTEGER", "nullable": True},
                           "tags": {"type": "ARRAY", "items": {"type": "STRING"}}},
            "required": ["city"]}},
        {"name": "raw", "parameters_json_schema": {"type": "object", "maxProperties": 1}},
    ]}
    found = tool_schemas([gemini])
    assert found["get_weather"] == {
        "type": "object", "required": ["city"],
        "properties": {"city": {"type": "string"}, "days": {"type": "integer", "nullable": True},
                       "tags": {"type": "array", "items": {"type": "string"}}}}
    assert found["raw"] == {"type": "object", "maxProperties": 1}
    stream: pj.ModelStream[Any] = pj.ModelStream(found["get_weather"])
    stream.feed('{"city": "Paris", "days": null}')
    assert stream.close() == {"city": "Paris", "days": None}


def test_google_genai_tool_objects_when_installed() -> None:
    types = pytest.importorskip("google.genai.types")
    tool = types.Tool(function_declarations=[types.FunctionDeclaration(
        name="get_weather", parameters=types.Schema(
            type=types.Type.OBJECT, required=["city"],
            properties={"city": types.Schema(type=types.Type.STRING)}))])
    assert tool_schemas([tool]) == {"get_weather": {
        "type": "object", "required": ["city"], "properties": {"city": {"type": "string"}}}}


def test_a_mixed_list_and_models() -> None:
    found = tool_schemas([*ANTHROPIC_TOOLS, {"search_flights": Flights}, *RESPONSES_TOOLS[1:]])
    assert found == {"get_weather": WEATHER_SCHEMA, "search_flights": Flights}
    assert tool_schemas(None) == {}
    with pytest.raises(pj.SchemaError):
        tool_schemas([42])


# -- through the bridges -------------------------------------------------------------------------
def anthropic_read(server: ReplayServer, arguments: str, tools: Any) -> Outcome:
    server.reply(wire.sse(wire.message([wire.tool_use("get_weather", arguments)], "tool_use")),
                 piece=3)
    client = anthropic.Anthropic(api_key="test-key", base_url=server.url, max_retries=0)
    raw = client.messages.create(stream=True, model="claude-sonnet-4-6", max_tokens=1024,
                                 messages=[{"role": "user", "content": "Weather?"}], tools=tools)
    return Outcome().drain(anthropic_bridge.stream(raw, tools=tools))


def openai_read(server: ReplayServer, api: str, arguments: str, tools: Any) -> Outcome:
    if api == "chat":
        body = wire.chat(wire.chat_calls([("call_w", "get_weather", arguments)]))
    else:
        body = wire.sse(wire.responses([("function_call", "get_weather", arguments)]))
    server.reply(body, piece=3)
    client = openai.OpenAI(api_key="test-key", base_url=server.url + "/v1", max_retries=0)
    if api == "chat":
        raw: Any = client.chat.completions.create(
            stream=True, model="gpt-4o", tools=tools,
            messages=[{"role": "user", "content": "Weather?"}])
    else:
        raw = client.responses.create(stream=True, model="gpt-4o", input="Weather?", tools=tools)
    return Outcome().drain(openai_bridge.stream(raw, tools=tools))


BROKEN = '{"city": "Lisboa", "units": "kelvin"}'


def test_anthropic_bridge_takes_the_requests_tool_list(server: ReplayServer) -> None:
    outcome = anthropic_read(server, WEATHER_TEXT, ANTHROPIC_TOOLS)
    assert outcome.error is None
    [done] = outcome.of(pj.ToolCallComplete)
    assert (done.name, done.value) == ("get_weather", json.loads(WEATHER_TEXT))
    outcome = anthropic_read(server, BROKEN, ANTHROPIC_TOOLS)
    assert isinstance(outcome.error, pj.InvalidPart)
    assert outcome.error.path == ("units",)
    assert outcome.error.offset == BROKEN.index("kelvin")  # "k": no allowed value starts so


@pytest.mark.parametrize("api", ["chat", "responses"])
def test_openai_bridge_takes_the_requests_tool_list(server: ReplayServer, api: str) -> None:
    tools = CHAT_TOOLS if api == "chat" else RESPONSES_TOOLS
    outcome = openai_read(server, api, WEATHER_TEXT, tools)
    assert outcome.error is None
    assert [(c.name, c.value) for c in outcome.of(pj.ToolCallComplete)] == [
        ("get_weather", json.loads(WEATHER_TEXT))]
    outcome = openai_read(server, api, BROKEN, tools)
    assert isinstance(outcome.error, pj.InvalidPart) and outcome.error.path == ("units",)


# -- MCP -----------------------------------------------------------------------------------------
def mcp_tools() -> Any:
    """A real MCP server's tool list, through a real client session, all in process."""
    mcpserver = pytest.importorskip("mcp.server.mcpserver")
    client_module = pytest.importorskip("mcp.client")
    server = mcpserver.MCPServer("weather")

    @server.tool()
    def get_weather(city: str, days: int = 1) -> str:
        """Forecast for a city."""
        return f"{city}: {days}"

    async def listed() -> Any:
        async with client_module.Client(server) as client:
            return await client.list_tools()

    return asyncio.run(listed())


def test_an_mcp_servers_tool_list_is_a_tools_argument(server: ReplayServer) -> None:
    result = mcp_tools()
    schemas = tool_schemas(result)
    assert list(schemas) == ["get_weather"]
    assert schemas == tool_schemas(result.tools)
    assert schemas["get_weather"]["properties"]["city"]["type"] == "string"
    text = '{"city": "Porto", "days": 2}'
    outcome = anthropic_read(server, text, result)
    assert outcome.error is None
    assert [c.value for c in outcome.of(pj.ToolCallComplete)] == [json.loads(text)]
    outcome = anthropic_read(server, '{"city": "Porto", "days": "2"}', result)
    assert isinstance(outcome.error, pj.InvalidPart) and outcome.error.path == ("days",)
