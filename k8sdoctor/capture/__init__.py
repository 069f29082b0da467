"""`k8sdoctor capture`: what the diagnosis reads, in one redacted bundle to attach to a ticket, read back
with `--snapshot bundle.tar.gz`."""
