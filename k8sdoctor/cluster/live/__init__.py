"""The live source: the official kubernetes client, raw JSON, one-shot fetches and watches."""
