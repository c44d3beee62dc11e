"""Renderers: the same fields as JSON lines, TSV or a terminal table."""
