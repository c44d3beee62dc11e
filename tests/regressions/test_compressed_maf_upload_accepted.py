"""A gzipped MAF or HGVS text file is a MAF or HGVS text file, on the web as on the command line.

The web's upload check repeated the engine's format detection, but looked for NUL bytes in the
*compressed* bytes: every gzipped MAF or text file was refused (415) as "binary content that is
not VCF, BCF or MAF", although ``her2scope annotate x.maf.gz`` reads it. The check now asks the
engine's own sniffer (``readers.detect_format``), which looks through gzip.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from web_helpers import bearer, client, web  # noqa: F401  (fixture)

MAF = Path(__file__).parent.parent / "data" / "callers" / "gdc_masked_somatic_yvma_grch38.maf"
# NM_004448.4:c.929C>T: c.929 is the second base of codon 310 (TCC>TTC, Ser>Phe): p.S310F.
HGVS = b"NM_004448.4:c.929C>T\n"


def test_gzipped_maf_upload_is_read_as_maf(web):
    app, reg, _users = web
    r = client(app).post("/api/v1/annotate", headers=bearer(reg, "viewer"),
                         files={"file": ("x.maf.gz", gzip.compress(MAF.read_bytes()), "application/gzip")})
    assert r.status_code == 200, r.text
    assert r.json()["summaries"][0]["format"] == "MAF"


def test_gzipped_hgvs_text_upload_is_read_as_text(web):
    app, reg, _users = web
    r = client(app).post("/api/v1/annotate", headers=bearer(reg, "viewer"),
                         files={"file": ("x.txt.gz", gzip.compress(HGVS), "application/gzip")})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["summaries"][0]["format"] == "HGVS"
    assert [v["protein_change"] for v in body["items"]] == ["p.S310F"]


def test_gzipped_binary_is_still_refused(web):
    app, reg, _users = web
    r = client(app).post("/api/v1/annotate", headers=bearer(reg, "viewer"),
                         files={"file": ("x.txt.gz", gzip.compress(b"\x00\x01\x02" * 50), "application/gzip")})
    assert r.status_code == 415
    assert "binary content" in r.json()["detail"]
