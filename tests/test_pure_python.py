"""The pure-Python build behaves as the compiled one.

Where the JSON core and the schema layer run compiled (mypyc), the tests of those layers run
again, in a subprocess, on a copy of the package's source without its compiled modules: what a
machine without a C compiler installs. Where this run is already pure Python, there is nothing
to add (every test ran on it).
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys
import sysconfig

import pytest
from test_corpus import needs_corpus

import partialjson as pj

ROOT = pathlib.Path(__file__).parent.parent
SUITES = [
    "test_principles.py",
    "test_core.py",
    "test_cost.py",
    "test_corpus.py",
    "test_extract.py",
    "test_model.py",
    "test_model_properties.py",
    "test_lenient.py",
]
# The skips the pure run may have: the corpus tests', where the corpus is not beside the
# repository (as in a clone of it alone); they skip in this run too. Any other skip is a
# test the pure build did not pass.
ALLOWED_SKIPS = {needs_corpus.kwargs["reason"]} if needs_corpus.args[0] else set()


def test_the_build_is_compiled_where_a_c_compiler_is_at_hand() -> None:
    # The build falls back to pure Python quietly; without this test CI would not notice.
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if os.environ.get("PARTIALJSON_PURE") or shutil.which(compiler) is None:
        pytest.skip("a pure build is expected here (PARTIALJSON_PURE, or no C compiler)")
    assert pj.compiled, ("the package is pure Python although a C compiler is at hand: see "
                         "the install log (or set PARTIALJSON_PURE=1 to test a pure build)")


@pytest.mark.skipif(not pj.compiled, reason="this run is pure Python: every test ran on it")
def test_the_pure_python_build_passes_the_core_and_schema_tests(tmp_path: pathlib.Path) -> None:
    package = pathlib.Path(pj.__file__).parent
    shutil.copytree(package, tmp_path / "partialjson",
                    ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__"))
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
        "PARTIALJSON_EXPECT_PURE": "1",  # conftest stops if the compiled package is imported
        "PARTIALJSON_EXAMPLES": "60",  # a smaller Hypothesis budget: the compiled run had 150
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", f"--rootdir={ROOT}",
         *(str(ROOT / "tests" / suite) for suite in SUITES)],
        # In tmp_path: python -m puts the working directory first on sys.path.
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    # -rs lists each skip as "SKIPPED [count] file:line: reason"
    skips = set(re.findall(r"^SKIPPED \[\d+\] .+?:\d+: (.*)$", result.stdout, re.MULTILINE))
    assert " passed" in summary and ("skipped" in summary) == bool(skips), summary
    assert skips <= ALLOWED_SKIPS, result.stdout[-4000:]
