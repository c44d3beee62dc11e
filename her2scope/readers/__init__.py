"""One reader per input format. Each yields ``Observation`` or ``RecordError`` items, in
input order, and never stops a batch on a bad record."""

from .detect import Detection, InputFormat, detect_format
from .samples import sample_names

__all__ = ["Detection", "InputFormat", "detect_format", "sample_names"]
