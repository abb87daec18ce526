"""The units service's usecases (see the service README: one skeleton in every service)."""
