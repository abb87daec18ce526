"""Pure rules of the poc service: no I/O, no framework imports (checked by the import contract)."""
