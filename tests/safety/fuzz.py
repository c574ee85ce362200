"""How hard the safety tests fuzz: `COHORTDESK_FUZZ_EXAMPLES` examples each (default 40;
`make stress` runs more), the same ones on every run unless `COHORTDESK_FUZZ_RANDOM=1`."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("COHORTDESK_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("COHORTDESK_FUZZ_RANDOM") != "1",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
