"""Shared package of otrcm: event schemas, topic registry, reference data and the runtime kit.

Billing logic never lives here; services own their rules in their own ``domain`` packages.
"""
