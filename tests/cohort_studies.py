"""Small study folders shaped exactly as the cBioPortal datahub publishes them (issue 12).

The three real studies (lung_msk_2017: 915 samples on IMPACT341 + IMPACT410 with a lower-case
data_cna.txt; nsclc_pd1_msk_2018: 240 samples on three panels, PFS and no OS; a whole-genome
never-smoker study of 232 samples without a smoking column) are stored as Git LFS pointers and
cannot be downloaded here. Their meta files, case lists and file names were read from the datahub
repository (public/lung_msk_2017/meta_cna.txt: ``data_filename: data_cna.txt``; meta_mutations.txt:
``data_filename: data_mutations.txt``; meta_gene_panel_matrix.txt, meta_sv.txt,
meta_clinical_patient.txt, case_lists/cases_sequenced.txt) and are mirrored line for line here,
with a dozen samples whose expected counts are worked out by hand in each builder's docstring.
"""

from __future__ import annotations

from pathlib import Path

MAF_COLUMNS = ("Hugo_Symbol", "Entrez_Gene_Id", "Center", "NCBI_Build", "Chromosome", "Start_Position",
               "End_Position", "Strand", "Variant_Classification", "Variant_Type", "Reference_Allele",
               "Tumor_Seq_Allele1", "Tumor_Seq_Allele2", "dbSNP_RS", "Tumor_Sample_Barcode",
               "Matched_Norm_Sample_Barcode", "HGVSp_Short", "t_ref_count", "t_alt_count")
# (gene, entrez, chrom, start, end, class, type, ref, alt, protein) on GRCh37
YVMA = ("ERBB2", "2064", "17", "37880981", "37880982", "In_Frame_Ins", "INS", "-", "GCATACGTGATG",
        "p.A775_G776insYVMA")
S310F = ("ERBB2", "2064", "17", "37868208", "37868208", "Missense_Mutation", "SNP", "C", "T", "p.S310F")
P122L = ("ERBB2", "2064", "17", "37864713", "37864713", "Missense_Mutation", "SNP", "C", "T", "p.P122L")
EGFR_L858R = ("EGFR", "1956", "7", "55259515", "55259515", "Missense_Mutation", "SNP", "T", "G", "p.L858R")
KRAS_G12C = ("KRAS", "3845", "12", "25398285", "25398285", "Missense_Mutation", "SNP", "C", "A", "p.G12C")
TP53_R273H = ("TP53", "7157", "17", "7577120", "7577120", "Missense_Mutation", "SNP", "C", "T", "p.R273H")
GENES_341 = ("ALK", "BRAF", "EGFR", "ERBB2", "KEAP1", "KRAS", "MET", "NTRK1", "NTRK2", "NTRK3", "RET", "ROS1",
             "STK11", "TP53")
GENES_410 = GENES_341 + ("AXL", "CDK12")
GENES_468 = GENES_410 + ("ARAF", "CD276")


def maf_row(v: tuple, sample: str, build: str = "GRCh37") -> list[str]:
    gene, entrez, chrom, start, end, cls, typ, ref, alt, prot = v
    return [gene, entrez, "MSKCC", build, chrom, start, end, "+", cls, typ, ref, ref, alt, "", sample,
            sample.replace("-T0", "-N0"), prot, "120", "35"]


def write_maf(path: Path, rows: list[list[str]], *, first_lines: tuple[str, ...] = ("#version 2.4",),
              columns: tuple[str, ...] = MAF_COLUMNS) -> None:
    path.write_text("\n".join([*first_lines, "\t".join(columns), *("\t".join(r) for r in rows)]) + "\n")


def write_clinical(path: Path, attrs: list[tuple[str, str, str]], rows: list[list[str]]) -> None:
    """cBioPortal clinical file: four '#' lines (display name, description, datatype, priority),
    then the attribute names. attrs: (name, display name, datatype)."""
    lines = ["#" + "\t".join(a[1] for a in attrs), "#" + "\t".join(a[1] for a in attrs),
             "#" + "\t".join(a[2] for a in attrs), "#" + "\t".join("1" for _ in attrs),
             "\t".join(a[0] for a in attrs)] + ["\t".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n")


def write_meta(path: Path, study_id: str, **fields: str) -> None:
    path.write_text(f"cancer_study_identifier: {study_id}\n" + "".join(f"{k}: {v}\n" for k, v in fields.items()))


def write_clinical_file(d: Path, study_id: str, kind: str, attrs: list[tuple[str, str, str]],
                        rows: list[list[str]]) -> None:
    """data_clinical_<kind>.txt (kind: sample or patient) and the meta file that names it."""
    write_meta(d / f"meta_clinical_{kind}.txt", study_id, genetic_alteration_type="CLINICAL",
               datatype=f"{kind.upper()}_ATTRIBUTES", data_filename=f"data_clinical_{kind}.txt")
    write_clinical(d / f"data_clinical_{kind}.txt", attrs, rows)


def write_panel(d: Path, stable_id: str, genes: tuple[str, ...]) -> None:
    (d / f"data_gene_panel_{stable_id.lower()}.txt").write_text(
        f"stable_id: {stable_id}\ndescription: Targeted sequencing via MSK-IMPACT ({stable_id}).\n"
        "gene_list: " + "\t".join(genes) + "\n")


def write_case_list(d: Path, study_id: str, suffix: str, samples: list[str], category: str) -> None:
    (d / "case_lists").mkdir(exist_ok=True)
    (d / "case_lists" / f"cases_{suffix}.txt").write_text(
        f"cancer_study_identifier: {study_id}\nstable_id: {study_id}_{suffix}\n"
        f"case_list_name: Samples ({suffix})\ncase_list_description: Samples ({len(samples)} samples)\n"
        f"case_list_category: {category}\ncase_list_ids: " + "\t".join(samples) + "\n")


def _cna(path: Path, samples: list[str], erbb2: list[str]) -> None:
    rows = [["EGFR", *["2"] * len(samples)], ["ERBB2", *erbb2], ["KRAS", *["0"] * len(samples)]]
    path.write_text("\n".join(["\t".join(["Hugo_Symbol", *samples]), *("\t".join(r) for r in rows)]) + "\n")


MSK_SAMPLES = [f"P-{i:07d}-T01-IM3" for i in range(1, 7)] + [f"P-{i:07d}-T01-IM5" for i in range(7, 12)] \
    + ["P-0000011-T02-IM5"]
MSK_MUTATIONS = {0: [YVMA], 1: [S310F], 2: [P122L], 3: [EGFR_L858R], 4: [KRAS_G12C, TP53_R273H], 5: [TP53_R273H],
                 6: [YVMA], 7: [], 8: [KRAS_G12C], 9: [EGFR_L858R], 10: [TP53_R273H], 11: [YVMA]}
MSK_CNA = ["2", "0", "2", "0", "-1", "2", "1", "0", "NA", "2", "0", "2"]


def lung_msk_2017_like(d: Path) -> Path:
    """lung_msk_2017 as datahub publishes it, 12 samples (11 patients; P-0000011 has T01 and T02).

    Files: meta_mutations.txt -> data_mutations.txt; ALSO data_mutations_extended.txt (the same rows:
    reading both would double every variant) and data_mutations_hg38.txt (a lab's lifted-over copy
    with a nameless first column); meta_cna.txt -> data_cna.txt (lower case); two panels in
    data_gene_panel_matrix.txt (IMPACT341: the six -IM3 samples; IMPACT410: the six -IM5 ones),
    both covering ERBB2; clinical STAGE_AT_DIAGNOSIS and SMOKER; a segment file (not read).

    By hand: profiled for ERBB2 = 12 (P-0000008 sequenced without a call). Activating HER2 =
    YVMA (samples 1, 7, 12) + S310F (2) = 4; any ERBB2 = 5 (P122L, sample 3, is a VUS).
    Copy number: 11 profiled (sample 9 is NA); amplified (2) = samples 1, 3, 6, 10, 12 = 5;
    activating mutation and amplification = samples 1 and 12 = 2, among 11 profiled for both.
    ERBB2 rows: 5 (YVMA 3 times), never 10.
    """
    d.mkdir(parents=True)
    sid = "lung_msk_2017"
    (d / "meta_study.txt").write_text(
        "type_of_cancer: luad\ncancer_study_identifier: lung_msk_2017\n"
        "name: Non-Small Cell Cancer (MSKCC, Cancer Discov 2017)\nshort_name: LUAD (MSK,2017)\n"
        "description: Prospective molecular characterization of 860 patients with metastatic lung adenocarcinoma\n"
        "citation: Jordan et al. Cancer Discov 2017\npmid: 28336552\ngroups: PUBLIC")
    write_meta(d / "meta_mutations.txt", sid, genetic_alteration_type="MUTATION_EXTENDED", datatype="MAF",
               stable_id="mutations", show_profile_in_analysis_tab="true",
               profile_description="Targeted sequencing of 915 metastatic lung adenocarcinoma samples via "
                                   "MSK-IMPACT testing.", profile_name="Mutations",
               data_filename="data_mutations.txt")
    rows = [maf_row(v, s) for i, s in enumerate(MSK_SAMPLES) for v in MSK_MUTATIONS[i]]
    write_maf(d / "data_mutations.txt", rows)
    write_maf(d / "data_mutations_extended.txt", rows)
    lifted = [[str(n), *r] for n, r in enumerate(rows)]
    for r in lifted:
        r[4] = "GRCh38"
    write_maf(d / "data_mutations_hg38.txt", lifted, first_lines=(), columns=("", *MAF_COLUMNS))
    write_meta(d / "meta_cna.txt", sid, genetic_alteration_type="COPY_NUMBER_ALTERATION", datatype="DISCRETE",
               stable_id="cna", show_profile_in_analysis_tab="true",
               profile_description="Discrete copy-number data from IMPACT", profile_name="Copy Number Alterations",
               data_filename="data_cna.txt")
    _cna(d / "data_cna.txt", MSK_SAMPLES, MSK_CNA)
    (d / "meta_cna_hg19_seg.txt").write_text(
        f"cancer_study_identifier: {sid}\ngenetic_alteration_type: COPY_NUMBER_ALTERATION\ndatatype: SEG\n"
        "reference_genome_id: hg19\ndescription: Somatic CNA data (copy number ratio from tumor samples minus "
        "ratio from matched normals) from IMPACT\ndata_filename: data_cna_hg19.seg\n")
    (d / "data_cna_hg19.seg").write_text("ID\tchrom\tloc.start\tloc.end\tnum.mark\tseg.mean\n")
    write_meta(d / "meta_gene_panel_matrix.txt", sid, genetic_alteration_type="GENE_PANEL_MATRIX",
               datatype="GENE_PANEL_MATRIX", data_filename="data_gene_panel_matrix.txt")
    (d / "data_gene_panel_matrix.txt").write_text(
        "SAMPLE_ID\tmutations\tcna\n" + "".join(f"{s}\t{'IMPACT341' if s.endswith('IM3') else 'IMPACT410'}\t"
                                                f"{'IMPACT341' if s.endswith('IM3') else 'IMPACT410'}\n"
                                                for s in MSK_SAMPLES))
    write_panel(d, "IMPACT341", GENES_341)
    write_panel(d, "IMPACT410", GENES_410)
    write_clinical_file(d, sid, "sample",
                        [("PATIENT_ID", "Patient Identifier", "STRING"), ("SAMPLE_ID", "Sample Identifier", "STRING"),
                         ("CANCER_TYPE", "Cancer Type", "STRING"), ("CANCER_TYPE_DETAILED", "Cancer Type Detailed",
                                                                    "STRING"),
                         ("ONCOTREE_CODE", "Oncotree Code", "STRING"), ("SAMPLE_TYPE", "Sample Type", "STRING"),
                         ("TMB_NONSYNONYMOUS", "TMB (nonsynonymous)", "NUMBER")],
                        [[s[:9], s, "Non-Small Cell Lung Cancer", "Lung Adenocarcinoma", "LUAD",
                          "Metastasis" if i % 2 else "Primary", str(2.5 + i)] for i, s in enumerate(MSK_SAMPLES)])
    stages = ["IV", "IV", "I-III", "IV", "IIIA", "IV", "I-III", "IV", "Unknown", "IV", "IV"]
    smoker = ["Former", "Never", "Current", "Never", "Former", "Former", "Never", "Current", "Unknown", "Former",
              "Never"]
    write_clinical_file(d, sid, "patient",
                        [("PATIENT_ID", "Patient Identifier", "STRING"), ("SEX", "Sex", "STRING"),
                         ("AGE_AT_DIAGNOSIS", "Age at Diagnosis", "NUMBER"), ("SMOKER", "Smoker", "STRING"),
                         ("STAGE_AT_DIAGNOSIS", "Stage at Diagnosis", "STRING"),
                         ("PRIOR_TREATMENT", "Prior Treatment", "STRING"),
                         ("OS_STATUS", "Overall Survival Status", "STRING"),
                         ("OS_MONTHS", "Overall Survival (Months)", "NUMBER")],
                        [[f"P-{i:07d}", "Female" if i % 2 else "Male", str(48 + 3 * i), smoker[i - 1], stages[i - 1],
                          "No", "1:DECEASED" if i % 3 else "0:LIVING", f"{4.5 * i:.1f}"] for i in range(1, 12)])
    write_case_list(d, sid, "sequenced", MSK_SAMPLES, "all_cases_with_mutation_data")
    write_case_list(d, sid, "cna", [s for s, v in zip(MSK_SAMPLES, MSK_CNA) if v != "NA"],
                    "all_cases_with_cna_data")
    return d


PD1_SAMPLES = ["P-0000101-T01-IM3", "P-0000102-T01-IM3", "P-0000103-T01-IM5", "P-0000104-T01-IM5",
               "P-0000105-T01-IM5", "P-0000106-T01-IM6", "P-0000107-T01-IM6", "P-0000108-T01-IM6"]
PD1_PANEL = {"IM3": "IMPACT341", "IM5": "IMPACT410", "IM6": "IMPACT468"}


def nsclc_pd1_msk_2018_like(d: Path) -> Path:
    """nsclc_pd1_msk_2018 as datahub publishes it: three panels, PFS_MONTHS / PFS_STATUS and no
    OS, SMOKER (Current/Former, Never), DURABLE_CLINICAL_BENEFIT (not understood), data_cna.txt.

    By hand: profiled 8; activating: YVMA (samples 1, 4) + S310F (6) = 3; copy number profiled 8,
    amplified (2): samples 1, 5 = 2; both: sample 1 = 1. PFS events: patients 101 102 104 105 107 = 5.
    """
    d.mkdir(parents=True)
    sid = "nsclc_pd1_msk_2018"
    (d / "meta_study.txt").write_text(
        "type_of_cancer: nsclc\ncancer_study_identifier: nsclc_pd1_msk_2018\n"
        "name: Non-Small Cell Lung Cancer (MSK, J Clin Oncol 2018)\n"
        "description: Targeted sequencing of 240 NSCLC tumors treated with anti-PD-(L)1 therapy.\n"
        "citation: Rizvi et al. J Clin Oncol 2018\npmid: 29337640\ngroups: PUBLIC\n")
    write_meta(d / "meta_mutations.txt", sid, genetic_alteration_type="MUTATION_EXTENDED", datatype="MAF",
               stable_id="mutations", show_profile_in_analysis_tab="true", profile_name="Mutations",
               profile_description="Mutation data from targeted sequencing.", data_filename="data_mutations.txt")
    muts = {0: [YVMA, TP53_R273H], 1: [KRAS_G12C], 2: [EGFR_L858R], 3: [YVMA], 4: [P122L], 5: [S310F],
            6: [KRAS_G12C, TP53_R273H], 7: [TP53_R273H]}
    write_maf(d / "data_mutations.txt", [maf_row(v, s) for i, s in enumerate(PD1_SAMPLES) for v in muts[i]])
    write_meta(d / "meta_cna.txt", sid, genetic_alteration_type="COPY_NUMBER_ALTERATION", datatype="DISCRETE",
               stable_id="cna", show_profile_in_analysis_tab="true", profile_name="Copy Number Alterations",
               profile_description="Discrete copy-number data", data_filename="data_cna.txt")
    _cna(d / "data_cna.txt", PD1_SAMPLES, ["2", "0", "0", "1", "2", "0", "-1", "0"])
    write_meta(d / "meta_gene_panel_matrix.txt", sid, genetic_alteration_type="GENE_PANEL_MATRIX",
               datatype="GENE_PANEL_MATRIX", data_filename="data_gene_panel_matrix.txt")
    (d / "data_gene_panel_matrix.txt").write_text(
        "SAMPLE_ID\tmutations\tcna\n" + "".join(f"{s}\t{PD1_PANEL[s[-3:]]}\t{PD1_PANEL[s[-3:]]}\n"
                                                for s in PD1_SAMPLES))
    write_panel(d, "IMPACT341", GENES_341)
    write_panel(d, "IMPACT410", GENES_410)
    write_panel(d, "IMPACT468", GENES_468)
    write_clinical_file(d, sid, "sample",
                        [("PATIENT_ID", "Patient Identifier", "STRING"), ("SAMPLE_ID", "Sample Identifier", "STRING"),
                         ("CANCER_TYPE_DETAILED", "Cancer Type Detailed", "STRING"),
                         ("GENE_PANEL", "Gene Panel", "STRING"), ("PDL1_SCORE", "PD-L1 Score (%)", "NUMBER")],
                        [[s[:9], s, "Lung Adenocarcinoma", PD1_PANEL[s[-3:]], str(10 * i)] for i, s in
                         enumerate(PD1_SAMPLES)])
    status = ["1:Progressed", "1:Progressed", "0:Not Progressed", "1:Progressed", "1:Progressed",
              "0:Not Progressed", "1:Progressed", "0:Not Progressed"]
    write_clinical_file(d, sid, "patient",
                        [("PATIENT_ID", "Patient Identifier", "STRING"), ("AGE", "Age", "NUMBER"),
                         ("SEX", "Sex", "STRING"), ("SMOKER", "Smoker", "STRING"),
                         ("TREATMENT_TYPE", "Treatment Type", "STRING"),
                         ("DURABLE_CLINICAL_BENEFIT", "Durable Clinical Benefit", "STRING"),
                         ("PFS_MONTHS", "Progress Free Survival (Months)", "NUMBER"),
                         ("PFS_STATUS", "Progression Free Status", "STRING")],
                        [[s[:9], str(55 + 2 * i), "Male" if i % 2 else "Female",
                          "Never" if i in (0, 3) else "Current/Former", "Monotherapy", "YES" if i % 3 else "NO",
                          f"{2.0 + 1.5 * i:.1f}", status[i]] for i, s in enumerate(PD1_SAMPLES)])
    write_case_list(d, sid, "sequenced", PD1_SAMPLES, "all_cases_with_mutation_data")
    return d


WGS_SAMPLES = [f"NSLC-{i:04d}-T" for i in range(1, 21)]


def never_smoker_wgs_like(d: Path) -> Path:
    """A whole-genome never-smoker study: no gene panel matrix (case_lists/cases_sequenced.txt),
    no smoking column (every patient a never-smoker), OS, stage as 'Stage IA' etc., no copy number.

    By hand: profiled 20 (samples 4, 9, 14, 19 without a call); activating: YVMA (samples 1, 6, 11,
    16) + S310F (3, 8, 13, 18) = 8. Cox: ever_smoker dropped, not in the study."""
    d.mkdir(parents=True)
    sid = "luad_never_smokers_wgs"
    (d / "meta_study.txt").write_text(f"type_of_cancer: luad\ncancer_study_identifier: {sid}\n"
                                      "name: Lung Cancer in Never Smokers (WGS)\ngroups: PUBLIC\n")
    write_meta(d / "meta_mutations.txt", sid, genetic_alteration_type="MUTATION_EXTENDED", datatype="MAF",
               stable_id="mutations", show_profile_in_analysis_tab="true", profile_name="Mutations",
               profile_description="Whole-genome sequencing", data_filename="data_mutations.txt")
    cycle = [[YVMA, TP53_R273H], [EGFR_L858R], [S310F], [], [KRAS_G12C]]
    rows = [maf_row(v, s) for i, s in enumerate(WGS_SAMPLES) for v in cycle[i % 5]]
    write_maf(d / "data_mutations.txt", rows)
    write_clinical_file(d, sid, "sample",
                        [("PATIENT_ID", "Patient Identifier", "STRING"), ("SAMPLE_ID", "Sample Identifier", "STRING"),
                         ("ONCOTREE_CODE", "Oncotree Code", "STRING")],
                        [[s[:9], s, "LUAD"] for s in WGS_SAMPLES])
    stages = ["Stage IA", "Stage IB", "Stage IIA", "Stage IIIA", "Stage IV"]
    write_clinical_file(d, sid, "patient",
                        [("PATIENT_ID", "Patient Identifier", "STRING"), ("SEX", "Sex", "STRING"),
                         ("AGE", "Age", "NUMBER"), ("STAGE", "Stage", "STRING"),
                         ("OS_STATUS", "Overall Survival Status", "STRING"),
                         ("OS_MONTHS", "Overall Survival (Months)", "NUMBER")],
                        [[s[:9], "Female" if i % 3 else "Male", str(45 + (7 * i) % 30), stages[(3 * i) % 5],
                          "1:DECEASED" if i % 4 else "0:LIVING", f"{3.0 + (11 * i) % 50:.1f}"]
                         for i, s in enumerate(WGS_SAMPLES)])
    write_case_list(d, sid, "sequenced", WGS_SAMPLES, "all_cases_with_mutation_data")
    return d
