"""Pure rules of the status service: a day's facts, newest wins per stream, and the encounters' statuses."""
