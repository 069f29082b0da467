"""The detail pane of the selected pod: findings with evidence, containers, events."""
