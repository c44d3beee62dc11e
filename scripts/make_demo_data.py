"""Build the bundled demo batch in her2scope/demo_data/ (run once; outputs are committed).

Synthetic patients carrying real ERBB2 variants from the team's sources (see
her2scope/demo_data/README.md), plus one deliberately broken file.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pysam

OUT = Path(__file__).resolve().parents[1] / "her2scope" / "demo_data"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

HEAD38 = """##fileformat=VCFv4.2
##reference=file:///refs/GRCh38_full_analysis_set_plus_decoy_hla.fa
##contig=<ID=chr7,length=159345973>
##contig=<ID=chr12,length=133275309>
##contig=<ID=chr17,length=83257441>
##INFO=<ID=DP,Number=1,Type=Integer,Description="Total depth">
##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">
##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fraction">
##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">
"""

CSQ = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. '
       'Format: Allele|Consequence|IMPACT|SYMBOL|Feature|HGVSc|HGVSp">\n')


def write(name: str, text: str) -> None:
    (OUT / name).write_text(text)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("patient*"):
        old.unlink()
    for old in OUT.glob("bad*"):
        old.unlink()
    # Patient 1 (GRCh38, tumour/normal): the YVMA duplication as VEP's test vector writes it
    # (not left-aligned), annotated by VEP with an unshifted insertion name; plus KRAS G12C
    # and EGFR records that are not ERBB2 (skipped and counted).
    cols = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tP001_TUMOR\tP001_NORMAL\n"
    csq = "ATACGTGATGGC|inframe_insertion|MODERATE|ERBB2|NM_004448.4|NM_004448.4:c.2312_2313insATACGTGATGGC|NP_004439.2:p.Ala771_Tyr772insTyrValMetAla"
    write("patient01_yvma_grch38.vcf", HEAD38 + CSQ + cols +
          "chr7\t55191822\t.\tT\tG\t60\tPASS\tDP=400\tGT:AD:DP:AF\t0/0:398:398:0\t0/0:300:300:0\n"
          "chr12\t25245351\t.\tC\tA\t60\tPASS\tDP=512\tGT:AD:DP:AF\t0/1:400,112:512:0.219\t0/0:350,0:350:0\n"
          f"chr17\t39724730\t.\tC\tCATACGTGATGGC\t60\tPASS\tDP=420;CSQ={csq}\tGT:AD:DP:AF\t0/1:290,130:420:0.31\t0/0:380,0:380:0\n")
    # Patient 2 (GRCh37, bgzipped + tabix index, "17" contig names): S310F (TCGA-44-2656's
    # variant) and the common germline polymorphism I655V (c.1963A>G).
    head37 = ("##fileformat=VCFv4.2\n##reference=hs37d5.fa\n##contig=<ID=17,length=81195210>\n"
              "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
              "##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"Allele fraction\">\n"
              "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tP002_TUMOR\n")
    raw = OUT / "patient02_s310f_grch37.vcf"
    raw.write_text(head37 + "17\t37868208\t.\tC\tT\t50\tPASS\t.\tGT:AF\t0/1:0.315\n"
                   "17\t37879588\trs1136201\tA\tG\t50\tPASS\t.\tGT:AF\t0/1:0.48\n")
    pysam.tabix_index(str(raw), preset="vcf", force=True)
    # Patient 3 (GRCh38): L755P called as two SNVs in one codon (c.2263T>C, c.2264T>C) on one
    # phased haplotype: alone they read as a synonymous change and L755S.
    write("patient03_split_l755p_grch38.vcf", HEAD38 + cols.replace("P001", "P003") +
          "chr17\t39723966\t.\tT\tC\t60\tPASS\tDP=300\tGT:AD:DP:AF:PS\t0|1:200,100:300:0.33:39723966\t0/0:280,0:280:0:.\n"
          "chr17\t39723967\t.\tT\tC\t60\tPASS\tDP=300\tGT:AD:DP:AF:PS\t0|1:198,102:300:0.34:39723966\t0/0:281,0:281:0:.\n")
    # Patient 4: TCGA LUAD ERBB2 rows (real, GRCh37, Oncotator spellings) as a MAF.
    src = SHARED / "cohorts" / "tcga_lung_firehose" / "tcga_luad_firehose_nonsilent.maf.tsv.gz"
    with gzip.open(src, "rt") as fh:
        lines = fh.read().splitlines()
    keep = [lines[0]] + [l for l in lines[1:] if l.startswith("ERBB2\t")]
    keep += [l for l in lines[1:] if l.startswith("KRAS\t")][:3]
    write("patient04_tcga_luad_erbb2.maf", "\n".join(keep) + "\n")
    # Patient 5: HGVS expressions as reports and labs spell them.
    write("patient05_report_hgvs.txt", "\n".join([
        "# HGVS expressions from outside reports (one per line)",
        "NM_004448.4:c.2313_2324dup",
        "ERBB2:p.Y772_A775dup",
        "ERBB2 p.Tyr772_Ala775dup",
        "p.A775_G776insYVMA",
        "NC_000017.10:g.37880981_37880982insGCATACGTGATG",
        "ERBB2 p.G776VinsC",
        "p.P780_Y781insGSP",
        "NM_004448.4:c.2264T>C",
        "NM_004448.3:c.2264T>C",
        "ERBB2 p.S310W",
    ]) + "\n")
    # The broken file: a bgzipped VCF cut short in the middle of its data.
    good = OUT / "bad_tmp.vcf"
    # ~40,000 records outside ERBB2 after the S310F record, so the file spans many BGZF blocks
    # and the cut falls well after the ERBB2 record.
    body = "".join(f"chr17\t{50000000 + 10 * i}\t.\tA\tG\t50\tPASS\tDP=10\tGT:AD:DP:AF:PS\t0/1:5,5:10:0.5:.\t0/0:10,0:10:0:.\n"
                   for i in range(40000))
    good.write_text(HEAD38 + cols.replace("P001", "P006") +
                    "chr17\t39711955\t.\tC\tT\t60\tPASS\tDP=200\tGT:AD:DP:AF:PS\t0/1:150,50:200:0.25:.\t0/0:200,0:200:0:.\n" + body)
    pysam.tabix_compress(str(good), str(good) + ".gz", force=True)
    data = (OUT / "bad_tmp.vcf.gz").read_bytes()
    (OUT / "bad_truncated.vcf.gz").write_bytes(data[: len(data) // 2])
    good.unlink()
    (OUT / "bad_tmp.vcf.gz").unlink()
    make_cases(keep, lines)


def make_cases(maf_keep: list[str], maf_lines: list[str]) -> None:
    """Six demo patient cases (issue 3) referring to the files above and a few more."""
    cases = OUT / "cases"
    cases.mkdir(exist_ok=True)
    for old in cases.iterdir():
        old.unlink()
    # A tissue VCF with no ERBB2 variant (a TP53 row only), and a plasma VCF with none either.
    tp53 = ("##fileformat=VCFv4.2\n##reference=GRCh37\n##contig=<ID=17,length=81195210>\n"
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
            "17\t7577123\t.\tA\tC\t50\tPASS\t.\n")
    (cases / "tissue_no_erbb2_grch37.vcf").write_text(tp53)
    (cases / "plasma_no_erbb2_grch37.vcf").write_text(tp53.replace("A\tC\t50", "A\tC\t30"))
    # Real TCGA rows: the YVMA insertion of TCGA-05-5715 and the EGFR L858R of TCGA-49-4490,
    # put together in one synthetic patient to show a co-occurring driver.
    header = maf_lines[0]
    yvma = next(l for l in maf_keep if "TCGA-05-5715" in l)
    egfr = next(l for l in maf_lines if l.startswith("EGFR\t") and "TCGA-49-4490" in l and "p.L858R" in l)
    (cases / "co_driver.maf").write_text("\n".join([header, yvma.replace("TCGA-05-5715", "DEMO-06"),
                                                    egfr.replace("TCGA-49-4490", "DEMO-06")]) + "\n")
    common = "  histology: adenocarcinoma\n  stage: IVB\n"
    texts = {
        "case01_yvma_after_one_line.yaml": f"""case_id: DEMO-01
clinical:
{common}  prior_lines: 1
  brain_metastases: "no"
  brain_mri_done: false
  region: US
ngs:
  - sample_type: tissue
    assay: Oncomine Dx Target Test
    date: 2026-10-02
    tumour_content: 0.4
    files: [../patient01_yvma_grch38.vcf]
    sample: P001_TUMOR
ihc:
  score: 1+
  scoring_system: gastric criteria (Hofmann 2008)
""",
        "case02_s310f.yaml": f"""case_id: DEMO-02
clinical:
{common}  prior_lines: 1
  region: US
ngs:
  - sample_type: tissue
    assay: hybrid-capture panel
    files: [../patient02_s310f_grch37.vcf.gz]
    sample: P002_TUMOR
""",
        "case03_amplification_no_mutation.yaml": f"""case_id: DEMO-03
clinical:
{common}  prior_lines: 1
  region: EU
ngs:
  - sample_type: tissue
    assay: hybrid-capture panel
    files: [tissue_no_erbb2_grch37.vcf]
    copy_number:
      copy_number: 9
ish:
  her2_cep17_ratio: 3.2
  mean_her2_copies: 9.5
ihc:
  score: 2+
  scoring_system: gastric criteria (Hofmann 2008)
""",
        "case04_ihc3_no_mutation.yaml": f"""case_id: DEMO-04
clinical:
{common}  prior_lines: 2
  region: US
ngs:
  - sample_type: tissue
    files: [tissue_no_erbb2_grch37.vcf]
ihc:
  score: 3+
  scoring_system: gastric criteria (Hofmann 2008)
""",
        "case05_plasma_not_detected.yaml": f"""case_id: DEMO-05
clinical:
{common}  prior_lines: 0
  region: JP
ngs:
  - sample_type: plasma
    assay: plasma ctDNA panel
    files: [plasma_no_erbb2_grch37.vcf]
""",
        "case06_egfr_co_driver.yaml": f"""case_id: DEMO-06
clinical:
{common}  prior_lines: 0
  brain_metastases: "yes"
  region: CN
ngs:
  - sample_type: tissue
    files: [co_driver.maf]
    sample: DEMO-06
""",
    }
    for name, text in texts.items():
        (cases / name).write_text(text)


if __name__ == "__main__":
    main()
