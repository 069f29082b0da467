"""The `:` command line's widgets."""
