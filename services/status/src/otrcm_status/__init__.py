"""otrcm status service: the single writer of every encounter's and claim's status."""
