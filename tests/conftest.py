import os
import pathlib
from typing import Any

import pytest
import sse_server as wire
from hypothesis import HealthCheck, settings
from sql_engines import postgres_engine, postgres_server, sqlite_engine  # noqa: F401 (fixtures)
from sse_server import ReplayServer

import partialjson as pj

# CI runs every property with a fixed budget and no deadline (a loaded machine is not a bug);
# locally, PARTIALJSON_EXAMPLES raises the budget for a longer search.
settings.register_profile(
    "ci",
    max_examples=int(os.environ.get("PARTIALJSON_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=False,
)
settings.load_profile("ci")


def _check_the_build() -> None:
    """Refuse to test compiled modules older than their source (an editable install that was
    not rebuilt would test yesterday's code), or a compiled build where a pure one is asked."""
    package = pathlib.Path(pj.__file__).parent
    if os.environ.get("PARTIALJSON_EXPECT_PURE") and pj.compiled:
        pytest.exit(f"expected the pure-Python package, got the compiled one in {package}", 2)
    # The compiled code is in one library beside the package; each module's .so is a shim.
    library = next(package.parent.glob("partialjson__mypyc.*"), None)
    built = library.stat().st_mtime if library is not None else float("inf")
    stale = [str(source.relative_to(package)) for so in package.rglob("*.so")
             if (source := so.parent / (so.name.split(".")[0] + ".py")).stat().st_mtime > built]
    if stale:
        pytest.exit(f"compiled modules older than their source: {', '.join(stale)}; rebuild "
                    "them (pip install -e . or python setup.py build_ext --inplace), or "
                    "delete them to test pure Python", 2)


_check_the_build()


# The local provider API of the bridge tests: one server per module, and the ways to read it.

@pytest.fixture(scope="module")
def server() -> Any:
    with ReplayServer() as replay:
        yield replay


@pytest.fixture(params=wire.VIAS, ids=wire.VIA_IDS)
def via(request: Any) -> tuple[str, bool]:
    """Each scenario is read from the raw stream, sync and async, and through the helper."""
    return request.param  # type: ignore[no-any-return]
