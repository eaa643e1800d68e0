import os
from typing import Any

import pytest
import sse_server as wire
from hypothesis import HealthCheck, settings
from sse_server import ReplayServer

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


# The local provider API of the bridge tests: one server per module, and the ways to read it.

@pytest.fixture(scope="module")
def server() -> Any:
    with ReplayServer() as replay:
        yield replay


@pytest.fixture(params=wire.VIAS, ids=wire.VIA_IDS)
def via(request: Any) -> tuple[str, bool]:
    """Each scenario is read from the raw stream, sync and async, and through the helper."""
    return request.param  # type: ignore[no-any-return]
