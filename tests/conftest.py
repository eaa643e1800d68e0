import os

from hypothesis import HealthCheck, settings

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
