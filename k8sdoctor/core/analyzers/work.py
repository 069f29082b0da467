"""Counts of the work analyzers do, so tests can show it does not grow with the cluster.

Per finding: `shapes examined` (node groups an answer looked at), `nodes examined` (nodes looked at one
by one), `repositories compared` (image repositories scored as near names), `pods scanned` (pods looked
at one by one). Once per inventory state, in the shared indexes: `nodes indexed`, `pods indexed`,
`repositories indexed`. A plain Counter: incrementing it costs a dictionary update, counted in batches.
"""

from __future__ import annotations

from collections import Counter

WORK: Counter[str] = Counter()
