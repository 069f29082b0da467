"""Widgets, grouped by domain: the pods table, the pod detail, the events view, the header."""
