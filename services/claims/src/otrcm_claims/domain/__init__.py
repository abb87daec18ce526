"""Pure rules of the claims service: no I/O, no framework imports (checked by the import contract)."""
