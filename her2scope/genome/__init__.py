"""Genome builds, the ERBB2 transcript model and reference-sequence providers."""
