"""The command line: `k8sdoctor diagnose`, `playbooks`, `demo`, and the TUI when no command is given.

Modules import lazily: `diagnose` must start fast and never import Textual.
"""
