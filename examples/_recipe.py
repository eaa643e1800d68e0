"""What the two structured-output examples share: the model, the request, and the recording.

The request asks OpenAI for a recipe as a structured output; by default the real ``openai``
client reads the bundled recording of one from a local server (with OPENAI_API_KEY set, it asks
the real API instead).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

RECORDING = Path(__file__).parent / "data" / "openai_recipe.sse"


class Ingredient(BaseModel):
    item: str
    amount: str


class Recipe(BaseModel):
    title: str = Field(max_length=80)
    servings: int = Field(ge=1)
    minutes: int
    ingredients: list[Ingredient]
    steps: list[str]
    vegetarian: bool


REQUEST: dict[str, Any] = {
    "model": "gpt-4o",
    "messages": [{"role": "user", "content": "A shakshuka recipe for two, please."}],
    "response_format": {"type": "json_schema",
                        "json_schema": {"name": "recipe", "schema": Recipe.model_json_schema()}},
    "stream": True,
}


def client_options(url: str) -> dict[str, Any]:
    """Where the client goes: the local replay at ``url``, unless an API key is set."""
    if os.environ.get("OPENAI_API_KEY"):
        return {}
    return {"api_key": "replay", "base_url": url + "/v1"}
