"""The poc service's entrypoints (see the service README: one skeleton in every service)."""
