"""Cohort analytics: HER2 (ERBB2)-mutation prevalence, spectrum, co-mutations and survival on
cBioPortal study folders or plain MAF + clinical tables.

Shape (one concern per module)::

    studies   find the files of a study (cBioPortal folder, or MAF + clinical TSV)
    importer  stream the study into Parquet (DuckDB), with profiled denominators per gene
    calls     ERBB2 calls through the interpretation engine (never a second copy of the rules)
    drivers   coarse, cited hotspot rules for the other NSCLC drivers (compiled to SQL)
    queries   every analysis query, written once (DuckDB dialect; sqlglot transpiles for Spark)
    engines   DuckDB (default, embedded) and PySpark (local mode or a cluster)
    analysis  runs the queries on one engine and assembles the result
    stats     Wilson CI, Fisher + Benjamini-Hochberg, Kaplan-Meier / log-rank / Cox (lifelines)
    plots     matplotlib (Agg) figures;  report: the self-contained HTML report
    tcga      converter of the TCGA Firehose tables to the cBioPortal layout

Nothing here is imported by ``import her2scope``; heavy libraries (duckdb, pyspark, pandas,
lifelines, matplotlib) are imported inside the functions that need them.

Definitions used everywhere in this package:

* **Activating HER2 mutation**: an ERBB2 variant whose engine oncogenicity is ``oncogenic``
  or ``likely_oncogenic``.
* **Profiled for a gene**: the sample's gene panel covers the gene (gene panel matrix), or the
  sample is in the study's ``cases_sequenced`` list (whole exome), or, without either, the
  sample has at least one row in the MAF. Unprofiled samples are never counted as wild type.
"""

ACTIVATING = ("oncogenic", "likely_oncogenic")
ACTIVATING_DEFINITION = ("Activating HER2 mutation = an ERBB2 variant classified by the her2scope "
                         "engine as oncogenic or likely_oncogenic.")
PROFILED_DEFINITION = ("Profiled = the sample's gene panel covers ERBB2 (gene panel matrix), or the "
                       "sample is in cases_sequenced, or (without either) it has a row in the MAF. "
                       "Unprofiled samples are excluded from numerator and denominator.")
