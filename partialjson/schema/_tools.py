"""Tool lists as the APIs take them, normalized to ``{name: schema}`` for the bridges.

Read without importing any SDK: each tool definition is recognized by its shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._errors import SchemaError

# OpenAPI 3.0 Schema keywords (Gemini's ``parameters``) that are annotations in JSON Schema terms.
_OPENAPI_ANNOTATIONS = ("propertyOrdering", "example")


def tool_schemas(tools: Any) -> dict[str, Any]:
    """``{name: schema}`` from the tool definitions sent to a provider's API, any of:

    - Anthropic: ``{"name", "input_schema"}`` (server tools without a schema are left out);
    - OpenAI Chat Completions: ``{"type": "function", "function": {"name", "parameters"}}``;
    - OpenAI Responses: ``{"type": "function", "name", "parameters"}`` (other tool types left
      out);
    - Gemini: ``{"function_declarations": [{"name", "parameters" | "parameters_json_schema"}]}``
      (camelCase too) and google-genai ``types.Tool`` objects;
    - MCP: a ``list_tools()`` result, or its ``.tools`` (objects with ``name`` and
      ``input_schema`` / ``inputSchema``);
    - ``{name: Model}`` (a pydantic type or a JSON Schema dict per name).

    A list may mix them. A schema is a JSON Schema dict (what ``ModelStream`` takes) or the
    pydantic type given; Gemini's OpenAPI ``parameters`` are read as JSON Schema (upper-case
    type names lowered).
    """
    found: dict[str, Any] = {}
    _collect(tools, found)
    return found


def _collect(tools: Any, found: dict[str, Any]) -> None:
    if tools is None:
        return
    listed = getattr(tools, "tools", None)  # MCP's ListToolsResult
    if listed is not None and not isinstance(tools, Mapping):
        _collect(listed, found)
    elif isinstance(tools, Mapping):
        if _is_definition(tools):
            _definition(tools, found)
        else:  # {name: Model or schema}
            for name, schema in tools.items():
                found[str(name)] = schema
    elif isinstance(tools, (list, tuple)):
        for tool in tools:
            if isinstance(tool, Mapping) and not _is_definition(tool):
                _collect(tool, found)
            else:
                _definition(tool, found)
    else:
        _definition(tools, found)


def _is_definition(tool: Mapping[str, Any]) -> bool:
    """Is ``tool`` one tool definition (rather than a ``{name: Model}`` mapping)?"""
    # A mapping's values are models or schemas, never strings.
    return isinstance(tool.get("name"), str) or isinstance(tool.get("type"), str) or (
        "function_declarations" in tool or "functionDeclarations" in tool)


def _definition(tool: Any, found: dict[str, Any]) -> None:
    """Add one tool definition (a dict or an SDK object) to ``found``."""
    if not isinstance(tool, Mapping):
        declarations = getattr(tool, "function_declarations", None)
        if declarations is not None:  # google-genai types.Tool
            for declaration in declarations:
                _gemini(_dump(declaration), found)
            return
        name = getattr(tool, "name", None)
        schema = getattr(tool, "input_schema", None)
        if schema is None:
            schema = getattr(tool, "inputSchema", None)
        if isinstance(name, str) and schema is not None:  # MCP's Tool
            found[name] = schema
            return
        raise SchemaError(f"not a tool definition: {tool!r}", "#", "tools")
    declarations = tool.get("function_declarations", tool.get("functionDeclarations"))
    if declarations is not None:
        for declaration in declarations:
            _gemini(_dump(declaration), found)
        return
    function = tool.get("function")
    if tool.get("type") == "function" and isinstance(function, Mapping):  # OpenAI Chat
        found[function["name"]] = function.get("parameters", {"type": "object"})
        return
    name = tool.get("name")
    if not isinstance(name, str):
        if isinstance(tool.get("type"), str):
            return  # a provider's own tool (web search, ...)
        raise SchemaError(f"not a tool definition: {tool!r}", "#", "tools")
    if tool.get("type") == "function":  # OpenAI Responses
        found[name] = tool.get("parameters", {"type": "object"})
    elif "input_schema" in tool:  # Anthropic
        found[name] = tool["input_schema"]
    elif "inputSchema" in tool:  # MCP, as JSON
        found[name] = tool["inputSchema"]
    # else: a provider's own tool (web search, ...) with no schema to hold its input to


def _dump(declaration: Any) -> Mapping[str, Any]:
    """A Gemini function declaration as a dict (google-genai's are pydantic models)."""
    if isinstance(declaration, Mapping):
        return declaration
    dumped: dict[str, Any] = declaration.model_dump(by_alias=True, exclude_none=True,
                                                    mode="json")
    return dumped


def _gemini(declaration: Mapping[str, Any], found: dict[str, Any]) -> None:
    name = declaration["name"]
    schema = declaration.get("parameters_json_schema", declaration.get("parametersJsonSchema"))
    if schema is None:
        parameters = declaration.get("parameters")
        schema = {"type": "object"} if parameters is None else _from_openapi(parameters)
    found[name] = schema


def _from_openapi(schema: Any) -> Any:
    """Gemini's OpenAPI Schema as JSON Schema: type names lowered (``"STRING"``), its
    ordering hint and example dropped; the rest is the same keywords."""
    if isinstance(schema, list):
        return [_from_openapi(s) for s in schema]
    if not isinstance(schema, Mapping):
        return schema
    converted: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _OPENAPI_ANNOTATIONS:
            continue
        if key == "type" and isinstance(value, str):
            if value.upper() == "TYPE_UNSPECIFIED":
                continue
            converted[key] = value.lower()
        elif key == "properties" and isinstance(value, Mapping):
            converted[key] = {k: _from_openapi(v) for k, v in value.items()}
        elif key in ("items", "anyOf"):
            converted[key] = _from_openapi(value)
        else:
            converted[key] = value
    return converted
