"""Importers for the CMS files behind the modifier rules, into otrcm's effective-dated dataset JSON.

Each parser reads the layout CMS publishes (comma- or tab-delimited text; the fixed-width TXT variants
are not read) and returns rows; each ``*_dataset`` function wraps the rows into one dataset version with
its dates and source, validated by ``otrcm_shared.refdata.loader``:

- :mod:`ptp`: NCCI practitioner procedure-to-procedure edits (``ccipra-*``),
- :mod:`mue`: Practitioner Services MUE table,
- :mod:`pprrvu`: PFS relative value file (``PPRRVUyyyy_*``) RVUs and conversion factor,
- :mod:`gpci`: PFS Addendum E geographic practice cost indices (``GPCIyyyy``).

Run ``python -m otrcm_modifiers.adapters.refdata_files --help`` to import a file from the command line.
"""
