"""The interactive TUI (Textual): live pods with their diagnosis, the evidence, and what to do next.

`app.DoctorApp` is the application. `data/` holds everything that is not a widget: the sources (live
cluster, snapshot), the feed thread that owns the cluster view, filtering and sorting. `widgets/` and
`screens/` are the Textual parts, grouped by domain. Nothing outside this package (and the two CLI
modules that start it) imports Textual.
"""
