"""otrcm modifiers service.

GO, KX, CO, NCCI and MUE rules, the threshold accrual and the expected allowed amount."""
