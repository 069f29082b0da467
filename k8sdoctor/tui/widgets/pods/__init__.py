"""The pods table, its filter bar and the state panel shown in its place when there is nothing to list."""
