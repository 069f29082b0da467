"""The actions a user takes on a pod after the diagnosis: describe, logs (current and previous) and an
ephemeral debug container. UI-independent logic lives here; `k8sdoctor.tui.actions` has the screens
and `k8sdoctor.cli.actions_cmd` the command-line forms.
"""
