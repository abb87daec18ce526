"""Pure rules of the modifiers service: no I/O, no framework imports (checked by the import contract)."""
