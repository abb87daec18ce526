"""otrcm revenue audit: documented encounters against the claims sent and the remittances received."""
