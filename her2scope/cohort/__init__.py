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

Nothing here is imported by ``import her2scope``, and the command line imports these modules only
when a cohort command runs: so duckdb, numpy and matplotlib are imported at the top of the modules
that use them. Inside functions stay only pyspark (optional, the ``spark`` extra), sqlglot (the
Spark dialect only) and scipy, lifelines and pandas (the survival statistics, seconds to import).

Definitions used everywhere in this package:

* **Activating HER2 mutation**: an ERBB2 variant whose engine oncogenicity is ``oncogenic``
  or ``likely_oncogenic``.
* **Profiled for a gene**: the sample's gene panel covers the gene (gene panel matrix), or the
  sample is in the study's ``cases_sequenced`` list (whole exome), or, without either, the
  sample has at least one row in the MAF. Unprofiled samples are never counted as wild type.
* **ERBB2 amplification**: discrete copy number 2 (``data_CNA.txt``), among samples profiled for
  ERBB2 copy number (a non-NA ERBB2 value and, when the gene panel matrix has a CNA column, a
  panel covering ERBB2). A separate alteration from an activating mutation, never merged with it
  ("HER2-positive" is not used); without ``data_CNA.txt`` amplification is *not assessed* (null).
"""

from ..vocabulary import ACTIVATING as _ACTIVATING

ACTIVATING = tuple(o.value for o in _ACTIVATING)   # the one definition, her2scope.vocabulary
ACTIVATING_DEFINITION = ("Activating HER2 mutation = an ERBB2 variant classified by the her2scope "
                         "engine as oncogenic or likely_oncogenic.")
PROFILED_DEFINITION = ("Profiled = the sample's gene panel covers ERBB2 (gene panel matrix), or the "
                       "sample is in cases_sequenced, or (without either) it has a row in the MAF. "
                       "Unprofiled samples are excluded from numerator and denominator.")
AMPLIFICATION_DEFINITION = ("ERBB2 amplification = discrete copy number 2 (cBioPortal data_CNA.txt: "
                            "-2 deep deletion .. 2 amplification) among samples profiled for ERBB2 copy number. "
                            "A separate alteration from an activating HER2 mutation: counted and reported apart, "
                            "never merged into one 'HER2-positive' group. Without data_CNA.txt: not assessed.")
CNA_PROFILED_DEFINITION = ("Profiled for ERBB2 copy number = the sample has a non-NA ERBB2 value in data_CNA.txt "
                           "and, when the gene panel matrix has a CNA column listing the sample, that panel "
                           "covers ERBB2. Unprofiled samples are excluded from numerator and denominator, "
                           "never counted as not amplified.")
