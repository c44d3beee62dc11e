"""The "about HER2-mutant NSCLC" figures: the burden model and the bundled cohort study, made
by the library (``her2scope.burden``, ``her2scope.cohort``) once per process and kept in memory.

Building takes a few seconds (the cohort runs the engine over the TCGA MAF in DuckDB), so the
app starts it in a background thread; the page shows "being prepared" until it is done. The
figures are aggregate public data, no patient of this hospital is in them.
"""

from __future__ import annotations

import gc
import logging
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("her2scope.web")


@dataclass
class AboutFigures:
    burden: dict[str, Any] | None = None
    cohort_summary: dict[str, Any] | None = None
    cohort_spectrum: list[dict] = field(default_factory=list)
    cohort_html: str | None = None
    images: dict[str, tuple[bytes, str]] = field(default_factory=dict)   # name -> (bytes, media type)
    errors: list[str] = field(default_factory=list)


class FigureCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._value: AboutFigures | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._build, name="her2scope-figures",  # cli_web.FIGURES_THREAD
                                                daemon=True)
                self._thread.start()

    def get(self, wait: float = 0.0) -> AboutFigures | None:
        self.start()
        self._done.wait(wait)
        return self._value

    def _build(self) -> None:
        out = AboutFigures()
        try:
            _burden(out)
        except Exception as exc:  # noqa: BLE001 - an optional extra may be missing: said on the page
            out.errors.append(f"burden figures unavailable ({type(exc).__name__}: {exc}); "
                              "pip install 'her2scope[cohort]'")
        try:
            _cohort(out)
        except Exception as exc:  # noqa: BLE001 - as above
            out.errors.append(f"cohort figures unavailable ({type(exc).__name__}: {exc}); "
                              "pip install 'her2scope[cohort]'")
        for e in out.errors:
            log.warning("about page: %s", e)
        self._value = out
        self._done.set()
        freeze_heap()


def freeze_heap() -> None:
    """Move what start-up loaded (knowledge base, numpy, matplotlib, DuckDB ...) out of the
    garbage collector's reach: full collections then scan only per-request objects, which keeps
    the API's tail latency flat (a full scan of the start-up heap takes tens of milliseconds)."""
    gc.collect()
    gc.freeze()


# The burden and cohort modules are imported only here, in the figures thread: they need the
# optional ``cohort`` extra (DuckDB, pandas, matplotlib), and a server without it still runs
# (the page says which figures are missing and why).
def _burden(out: AboutFigures) -> None:
    # lazy: optional extra (see the comment above)
    from ..burden.assumptions import load_assumptions
    from ..burden.chart import render_chart
    from ..burden.incidence import load_incidence
    from ..burden.model import compute_burden

    result = compute_burden(load_incidence(), load_assumptions())
    out.burden = result
    with tempfile.TemporaryDirectory(prefix="her2scope-fig-") as tmp:
        path = Path(tmp) / "burden.png"
        render_chart(result, path)
        out.images["burden.png"] = (path.read_bytes(), "image/png")


def _cohort(out: AboutFigures) -> None:
    # lazy: optional extra (DuckDB)
    from ..cohort.analysis import analyse
    from ..cohort.engines import make_engine
    from ..cohort.report import build

    engine = make_engine("duckdb")
    try:
        res = analyse("demo", engine)
    finally:
        engine.close()
    res.close()            # the page needs the numbers only, not the imported tables
    doc, figs = build(res)
    out.cohort_html = doc
    out.cohort_summary = res.summary
    out.cohort_spectrum = list(res.raw.get("spectrum") or [])
    for name, (png, svg) in figs.items():
        out.images[f"cohort-{name}.svg"] = (svg, "image/svg+xml")
        out.images[f"cohort-{name}.png"] = (png, "image/png")
