"""`python -m k8sdoctor`."""

from k8sdoctor.cli.main import main

raise SystemExit(main())
