"""otrcm intake service.

The front door: validates encounters, plans of care, authorizations and patients, stores them, and publishes them."""
