"""Monitoring: measured meter data (ingest, quality flags, measured Flows) and M&V."""
