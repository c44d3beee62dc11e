"""One reader per input format. Each yields ``Observation`` or ``RecordError`` items, in
input order, and never stops a batch on a bad record."""

from .samples import sample_names

__all__ = ["sample_names"]
