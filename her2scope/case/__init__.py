"""One patient case: its inputs (schema), its HER2 picture and its next steps."""
