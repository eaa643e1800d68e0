"""The schema layer: what a schema allows, as checks on prefixes of a JSON document.

One set of candidate nodes (``_nodes``) that the model stream follows, and one compiler per
input language beside it: ``_pydantic`` (a ``TypeAdapter``'s core schema), ``_jsonschema``
(a JSON Schema dict). A third input language is one more compiler module.
"""

from ._tools import tool_schemas

__all__ = ["tool_schemas"]
