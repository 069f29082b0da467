"""The cluster header and the connection banner."""
