"""otrcm poc service.

Plans of care and authorizations: holds encounters that are not billable and releases them when they are."""
