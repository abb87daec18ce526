"""The poc service's adapters (see the service README: one skeleton in every service)."""
