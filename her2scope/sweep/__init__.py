"""Sweep a whole archive of NGS results: ``her2scope sweep DIR|MANIFEST -o OUT``.

Every VCF/VCF.gz/BCF/MAF is annotated exactly as ``her2scope annotate FILE`` would (the same
library call, ``worker.annotate_file``), on all cores (``local``) or on Spark executors
(``spark``); the rows land in Parquet tables (``tables.py``; schema in docs/sweep.md).
The local run keeps one result part per file, keyed by path and checksum, so a killed run
resumes where it stopped and its tables equal those of one uninterrupted run.
"""

from .discover import SweepInput, discover
from .local import SweepResult, run_local

__all__ = ["SweepInput", "discover", "run_local", "SweepResult"]
