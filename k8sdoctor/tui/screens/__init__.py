"""Screens: the main screen, the events view, help, and the namespace/context picker."""
