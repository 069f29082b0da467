"""pytest plugin for the lowest-versions check: deselect the tests that compare rendered snapshots.

Snapshot SVGs legitimately differ between Textual versions, so the check on the floors runs every
other test. Load it with `PYTHONPATH=.ci pytest -p no_snapshots`.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    snapshots = [item for item in items if "snap_compare" in getattr(item, "fixturenames", ())]
    if snapshots:
        config.hook.pytest_deselected(items=snapshots)
        items[:] = [item for item in items if item not in snapshots]
