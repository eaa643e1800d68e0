"""The examples run, offline, and say what they promise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_stream_json_example_streams_the_bundled_document_to_its_final_value() -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "stream_json.py"), "--delay", "0"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "final value equals json.loads: True"
    assert any(line.startswith("grow     .summary += ") for line in lines)
    assert "complete .hourly[2].precip_mm = 0" in lines


def test_stream_json_example_reports_a_syntax_error_with_its_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": [1, 2,, 3]}')
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "stream_json.py"), str(bad), "--delay", "0"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 1
    assert "error: expected a JSON value: line 1 column 13 (offset 12)" in done.stderr


def recipe() -> dict[str, object]:
    """The recipe in the bundled recording, read without partialjson."""
    text = ""
    for line in (EXAMPLES / "data" / "openai_recipe.sse").read_text().splitlines():
        if line.startswith("data: {"):
            choices = json.loads(line[6:])["choices"]
            text += (choices[0]["delta"].get("content") or "") if choices else ""
    return json.loads(text)  # type: ignore[no-any-return]


def test_typed_object_example_shows_each_field_as_it_completes() -> None:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env["PYTHONPATH"] = str(EXAMPLES.parent)
    done = subprocess.run([sys.executable, str(EXAMPLES / "typed_object.py")], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    expected = recipe()
    fields = [line.split("✓")[0].strip() for line in lines if "✓" in line]
    assert fields == list(expected)  # in document order, each once
    assert lines[0].endswith(f"PartialRecipe(title={expected['title']!r}, servings=None, "
                             "minutes=None, ingredients=None, steps=N")  # cut at 110 columns
    assert lines[-1] == (f"{expected['title']}: {len(expected['ingredients'])} ingredients, "  # type: ignore[arg-type]
                         f"{len(expected['steps'])} steps, {expected['minutes']} minutes")  # type: ignore[arg-type]
