"""Rules that more than one service applies to the same record, so the front door refuses exactly what a
later stage would (intake at the door, poc when it applies the record). Pure: no I/O, no framework."""
