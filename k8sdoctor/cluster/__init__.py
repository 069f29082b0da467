"""Cluster access at the edges: snapshot files and the live API, both filling a core Inventory."""
