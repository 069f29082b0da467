"""Command palette (ctrl+p) providers: jump to a pod, switch namespace, run an action."""

from k8sdoctor.tui.commands.action_commands import ActionCommands
from k8sdoctor.tui.commands.namespace_commands import NamespaceCommands
from k8sdoctor.tui.commands.pod_commands import PodCommands

__all__ = ["ActionCommands", "NamespaceCommands", "PodCommands"]
