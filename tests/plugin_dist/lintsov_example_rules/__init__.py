"""Example third-party lintsov rules."""
