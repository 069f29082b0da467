"""The namespace's event stream."""
