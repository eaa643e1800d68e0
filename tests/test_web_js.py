"""The JavaScript client: its own tests under Node's runner, and its place in the package.

The README's test command is pytest; this runs the Node tests (tests/js/) inside it, so the JS
client is tested wherever the Python suite is. Node is only skipped where it is not installed.
"""

from __future__ import annotations

import importlib.resources
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).parent.parent
NODE = shutil.which("node")


def node_major() -> int:
    assert NODE is not None
    version = subprocess.run([NODE, "--version"], capture_output=True, text=True, check=True)
    match = re.match(r"v(\d+)\.", version.stdout)
    return int(match.group(1)) if match else 0


def test_the_client_is_package_data() -> None:
    client = importlib.resources.files("partialjson") / "static" / "partialjson.js"
    assert client.is_file()
    assert "export class PartialDocument" in client.read_text(encoding="utf-8")


@pytest.mark.skipif(NODE is None, reason="node is not installed: the JS tests need Node 20")
def test_the_js_client_passes_its_node_tests() -> None:
    if node_major() < 20:
        pytest.skip("node --test with a directory needs Node 20 or later")
    result = subprocess.run([NODE, "--test", "tests/js/"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    passed = re.search(r"^# pass (\d+)$", result.stdout, re.MULTILINE)
    assert passed and int(passed.group(1)) > 0, result.stdout[-2000:]
