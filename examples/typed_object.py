"""Render a typed object as it streams: an OpenAI structured output read into a validated,
partial ``Recipe`` while it arrives.

``pj.ModelStream(Recipe)`` takes the content deltas as they come. ``stream.partial`` is a
partial Recipe that only holds validated data (fields not seen yet are None, a list shows the
items known so far), and ``is_complete(path)`` says which values are final. A UI can render it
after every delta; this script prints a line each time a top-level field is done.

Run:  python examples/typed_object.py      (offline: the bundled recording, via a local server)
"""

from __future__ import annotations

import openai
from _recipe import RECORDING, REQUEST, Recipe, client_options

import partialjson as pj
from partialjson.cli.replay import Replay


def main() -> None:
    with Replay(RECORDING) as replay:
        client = openai.OpenAI(max_retries=0, **client_options(replay.url))
        stream = pj.ModelStream(Recipe)
        for chunk in client.chat.completions.create(**REQUEST):
            delta = chunk.choices[0].delta.content if chunk.choices else None
            if not delta:
                continue
            for event in stream.feed(delta):
                if isinstance(event, pj.ValueCompleted) and len(event.path) == 1:
                    field = event.path[0]
                    print(f"{field:>11} ✓  {stream.partial!r}"[:110])
        recipe = stream.close()
    print(f"\n{recipe.title}: {len(recipe.ingredients)} ingredients, {len(recipe.steps)} steps, "
          f"{recipe.minutes} minutes")


if __name__ == "__main__":
    main()
