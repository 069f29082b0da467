"""`k8sdoctor wait`: watch workloads until they are healthy, fail early with the diagnosis when they
cannot become so, and report in the forms CI systems read (JUnit XML, GitHub Actions annotations)."""
