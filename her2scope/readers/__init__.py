"""One reader per input format. Each yields ``Observation`` or ``RecordError`` items, in
input order, and never stops a batch on a bad record."""
