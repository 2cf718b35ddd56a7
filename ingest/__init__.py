"""Channel adapters, ingest workers and the triage pipeline."""
