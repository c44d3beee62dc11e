"""The patient report: model, HTML (self-contained), PDF, JSON and FHIR renderers."""
