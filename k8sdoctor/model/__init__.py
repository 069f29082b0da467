"""The TUI's data side: sources, the feed thread, and pure helpers for filtering, sorting and text.

No widgets here. The feed thread owns the `ClusterView`; widgets only ever see the immutable batches it
publishes.
"""
