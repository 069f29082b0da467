"""The diagnosis core: facts, playbooks and the engine.

Nothing under this package does I/O (files, network, terminal) or imports Textual. Loading playbook
files from disk lives in `k8sdoctor.playbook_files`; the core only parses text it is given.
"""
