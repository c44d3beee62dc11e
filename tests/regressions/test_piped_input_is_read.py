"""An input given as a pipe (``her2scope annotate <(bcftools view calls.bcf)``, a FIFO) was
reported as "the file is empty": the readers open a file more than once (sniff, then read)
and a pipe yields its bytes only once.  Pipes are now spooled to a private temporary file and
reported under the name the user gave."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import inprocess

DATA = Path(__file__).resolve().parents[1] / "data" / "callers"


def _through_fifo(tmp_path, source: Path):
    fifo = tmp_path / "calls.pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(source.read_bytes()))
    writer.start()
    try:
        return fifo, inprocess.run(fifo)
    finally:
        writer.join(timeout=10)


def _spools() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("her2scope-input-*"))


def test_vcf_through_a_pipe(tmp_path):
    before = _spools()
    fifo, run = _through_fifo(tmp_path, DATA / "strelka2_somatic_snvs_s310f_grch38.vcf")
    assert [(d["input"], d["sample"], d["protein_change"]) for d in run.lines] == [
        (str(fifo), "TUMOR", "p.S310F")]
    assert _spools() <= before          # the temporary copy is removed


def test_maf_through_a_pipe(tmp_path):
    fifo, run = _through_fifo(tmp_path, DATA / "gdc_masked_somatic_yvma_grch38.maf")
    assert [(d["input"], d["protein_change"], d["vaf"]) for d in run.lines] == [
        (str(fifo), "p.Y772_A775dup", round(44 / 173, 4))]
