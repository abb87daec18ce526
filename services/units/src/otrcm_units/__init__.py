"""otrcm units service.

Minutes to billable units by the payer's method (CMS 8-minute rule or AMA per code), explained.
"""
