"""Hypothesis profiles, so that a property test fails for a reason and never at random.

``CI=true`` selects ``ci``: every run draws the same examples (derandomised), so a landing is
never blocked by a draw no one has seen before. ``make fuzz`` selects ``fuzz``: many more random
examples, the long search for new failures; one it finds becomes a case of its test. Elsewhere
``dev`` draws fresh random examples on each run. ``HYPOTHESIS_PROFILE`` overrides the choice.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_BASE = settings(deadline=None, database=None, max_examples=200,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("dev", _BASE)
settings.register_profile("ci", _BASE, derandomize=True, print_blob=True)
settings.register_profile("fuzz", _BASE, max_examples=10_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev"))

#: For properties whose every example writes and reads files: a quarter of the profile's count.
SLOW_EXAMPLES = max(20, settings.default.max_examples // 4)
