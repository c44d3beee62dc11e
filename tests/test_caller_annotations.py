"""Already-annotated VCFs: her2scope recomputes and says where the caller's naming differs."""

from her2scope.pipeline import Options, annotate_inputs

CSQ_HEAD = ('##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from '
            'Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Feature|HGVSc|HGVSp">\n')
ANN_HEAD = ("##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | "
            "Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | "
            "Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / "
            "CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO'\">\n")


def _run(tmp_path, info_head, line):
    path = tmp_path / "annotated.vcf"
    path.write_text("##fileformat=VCFv4.2\n##reference=GRCh38\n" + info_head +
                    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n" + line + "\n")
    return [i.as_dict() for i in annotate_inputs([str(path)], Options())]


def test_vep_unshifted_insertion_is_reported_as_differently_named_same_event(tmp_path):
    csq = ("ATACGTGATGGC|inframe_insertion|MODERATE|ERBB2|ENST00000269571.10|"
           "ENST00000269571.10:c.2312_2313insATACGTGATGGC|"
           "ENSP00000269571.5:p.Ala771_Tyr772insTyrValMetAla,"
           "ATACGTGATGGC|upstream_gene_variant|MODIFIER|PGAP3|ENST00000300658|||")
    d = _run(tmp_path, CSQ_HEAD, f"chr17\t39724730\t.\tC\tCATACGTGATGGC\t.\tPASS\tCSQ={csq}")[0]
    assert d["hgvs_c"] == "NM_004448.4:c.2313_2324dup"
    [caller] = d["caller_annotations"]
    assert caller["source"] == "VEP CSQ"
    assert caller["hgvs_c"].endswith("c.2312_2313insATACGTGATGGC")
    assert caller["same_event"] is True and caller["naming_differs"] is True
    assert d["naming_differs"] is True
    assert any("VEP CSQ names it" in n for n in d["notes"])


def test_vep_url_encoded_synonymous_agrees(tmp_path):
    # S310 TCC -> TCT (c.930C>T) is synonymous; VEP writes p.Ser310%3D.
    csq = "T|synonymous_variant|LOW|ERBB2|NM_004448.4|NM_004448.4:c.930C>T|NP_004439.2:p.Ser310%3D"
    d = _run(tmp_path, CSQ_HEAD, f"chr17\t39711956\t.\tC\tT\t.\tPASS\tCSQ={csq}")[0]
    assert d["protein_change"] == "p.S310="
    assert d["caller_annotations"][0]["same_event"] is True
    assert d["caller_annotations"][0]["naming_differs"] is False


def test_snpeff_ann_agreeing(tmp_path):
    ann = ("T|missense_variant|MODERATE|ERBB2|ERBB2|transcript|NM_004448.4|protein_coding|8/27|"
           "c.929C>T|p.Ser310Phe|1104/4557|929/3768|310/1255||")
    d = _run(tmp_path, ANN_HEAD, f"chr17\t39711955\t.\tC\tT\t.\tPASS\tANN={ann}")[0]
    [caller] = d["caller_annotations"]
    assert caller["source"] == "snpEff ANN"
    assert caller["same_event"] is True and caller["naming_differs"] is False


def test_snpeff_ann_calling_a_different_protein_change_is_flagged(tmp_path):
    ann = ("T|missense_variant|MODERATE|ERBB2|ERBB2|transcript|NM_004448.3|protein_coding|8/27|"
           "c.929C>T|p.Ser310Tyr|||||")
    d = _run(tmp_path, ANN_HEAD, f"chr17\t39711955\t.\tC\tT\t.\tPASS\tANN={ann}")[0]
    caller = d["caller_annotations"][0]
    assert caller["same_event"] is False and caller["naming_differs"] is True
    assert any("a different event" in n for n in d["notes"])


def test_a_different_c_name_alone_does_not_claim_the_same_event(tmp_path):
    # Only HGVSc, spelled differently: her2scope cannot tell from text alone; it must not say "same".
    csq = "ATACGTGATGGC|inframe_insertion|MODERATE|ERBB2|NM_004448.4|NM_004448.4:c.2312_2313insATACGTGATGGC|"
    d = _run(tmp_path, CSQ_HEAD, f"chr17\t39724730\t.\tC\tCATACGTGATGGC\t.\tPASS\tCSQ={csq}")[0]
    caller = d["caller_annotations"][0]
    assert caller["naming_differs"] is True and caller["same_event"] is None
    assert any("cannot tell" in n for n in d["notes"])
