"""`python -m k8sdoctor`."""

from k8sdoctor.cli.main import console_main

console_main()
