"""The audit's pure rules: compare what each documented day should bill (made by the pipeline's own units,
poc and modifiers rules) with the 837P claims sent, the 835 payments and the 999/277CA acknowledgments.

No I/O and no framework (an import contract checks it). Sources: docs/billing-rules.md (every section a
finding names), ASC X12 005010X222A1, X221A1, X231A1 and X214.
"""
