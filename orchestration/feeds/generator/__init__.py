"""Deterministic, seeded default data for the program feeds (agency, supplier, workforce)."""
