"""Synthetic cBioPortal-style study folders with answers worked out by hand (in each builder's
docstring), shared by tests/test_cohort_synthetic.py and tests/test_cohort_engine_parity.py."""

from __future__ import annotations

from pathlib import Path

MAF_HEAD = ("Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tReference_Allele\tTumor_Seq_Allele2\t"
            "Variant_Classification\tVariant_Type\tTumor_Sample_Barcode\tNCBI_Build\tHGVSp_Short")
YVMA = "ERBB2\t17\t37880981\t37880982\t-\tGCATACGTGATG\tIn_Frame_Ins\tINS\t{s}\t37\tp.A775_G776insYVMA"
S310F_PROTEIN_ONLY = "ERBB2\t\t\t\t\t\tMissense_Mutation\tSNP\t{s}\t\tp.S310F"
VUS = "ERBB2\t17\t37864713\t37864713\tC\tT\tMissense_Mutation\tSNP\t{s}\t37\tp.P122L"
BAD_REF = "ERBB2\t17\t37868208\t37868208\tG\tT\tMissense_Mutation\tSNP\t{s}\t37\t"
TP53 = "TP53\t17\t7577120\t7577120\tC\tT\tMissense_Mutation\tSNP\t{s}\t37\tp.R273H"


def write_clinical_table(path: Path, header: list[str], rows: list[list[str]]) -> None:
    lines = ["#" + "\t".join(header)] * 4 + ["\t".join(header)] + ["\t".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n")


def make_study(d: Path) -> Path:
    """S01-S10. S09/S10 on panel SMALL (no ERBB2); S11 clinical-only with panel NA.
    Profiled for ERBB2: S01-S08 = 8. Activating: S01 (YVMA, coordinates), S02 (S310F, protein only).
    S03 VUS; S04 REF mismatch without protein change (reported, not activating); S09 YVMA but unprofiled."""
    d.mkdir(parents=True)
    (d / "meta_study.txt").write_text("cancer_study_identifier: synth\nname: synthetic\n")
    rows = [YVMA.format(s="S01"), S310F_PROTEIN_ONLY.format(s="S02"), VUS.format(s="S03"),
            BAD_REF.format(s="S04"), YVMA.format(s="S09")] + [TP53.format(s=f"S{i:02d}") for i in range(1, 11)]
    (d / "data_mutations_extended.txt").write_text("#version 2.4\n" + MAF_HEAD + "\n" + "\n".join(rows) + "\n")
    samples = [f"S{i:02d}" for i in range(1, 12)]
    write_clinical_table(d / "data_clinical_sample.txt", ["PATIENT_ID", "SAMPLE_ID", "ONCOTREE_CODE"],
                         [[f"P{s}", s, "LUAD"] for s in samples])
    write_clinical_table(d / "data_clinical_patient.txt",
                         ["PATIENT_ID", "SEX", "AGE", "OS_STATUS", "OS_MONTHS"],
                         [[f"P{s}", "Female" if i % 2 else "Male", str(50 + i), "1:DECEASED", str(i + 1)]
                          for i, s in enumerate(samples)])
    write_clinical_table(d / "data_gene_panel_matrix.txt", ["SAMPLE_ID", "mutations"],
                         [[s, "WES"] for s in samples[:8]]
                         + [["S09", "SMALL"], ["S10", "SMALL"], ["S11", "NA"]])
    (d / "data_gene_panel_small.txt").write_text("stable_id: SMALL\ngene_list: TP53\tKRAS\tEGFR\n")
    return d


# ERBB2 discrete copy number per sample; "NA"/"" = not profiled. S12 is only in the CNA matrix.
CNA_ERBB2 = {"S01": "2", "S02": "0", "S03": "2", "S04": "NA", "S05": "1", "S06": "-1", "S07": "2", "S08": "",
             "S09": "2", "S10": "0", "S11": "NA", "S12": "-2"}


def add_cna(d: Path, erbb2: dict[str, str] = CNA_ERBB2, *, gene_columns=("Hugo_Symbol", "Entrez_Gene_Id"),
            erbb2_ids=("ERBB2", "2064")) -> Path:
    """A data_CNA.txt: EGFR (all amplified: must not count), ERBB2, KRAS rows."""
    samples = list(erbb2)
    ids = {"Hugo_Symbol": 0, "Entrez_Gene_Id": 1}
    genes = [("EGFR", "1956", ["2"] * len(samples)), (*erbb2_ids, [erbb2[x] for x in samples]),
             ("KRAS", "3845", ["NA"] * len(samples))]
    lines = ["\t".join([*gene_columns, *samples])]
    for sym, entrez, values in genes:
        key = [(sym, entrez)[ids[c]] for c in gene_columns]
        lines.append("\t".join([*key, *values]))
    (d / "data_CNA.txt").write_text("\n".join(lines) + "\n")
    return d


def make_cna_study(d: Path) -> Path:
    """make_study + add_cna. By hand:
    profiled for ERBB2 copy number (non-NA): S01 S02 S03 S05 S06 S07 S09 S10 S12 = 9 (S04, S08, S11 NA);
    amplified (2): S01 S03 S07 S09 = 4; activating mutation and amplified: S01 = 1;
    profiled for both mutations (S01-S08) and copy number: S01 S02 S03 S05 S06 S07 = 6
    -> mutation & amp 1 (S01), mutation only 1 (S02), amp only 2 (S03, S07), neither 2 (S05, S06)."""
    return add_cna(make_study(d))
