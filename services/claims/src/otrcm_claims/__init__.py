"""otrcm claims service.

Builds claims, renders and validates X12 837P, submits them, and reads 999, 277CA and 835 back."""
