"""HGVS for ERBB2 on NM_004448.4 / NP_004439.2: positions, edits, protein changes, parsing."""
