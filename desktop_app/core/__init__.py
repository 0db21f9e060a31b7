"""Domain dataclasses and rules. Imports nothing else of ours; no Qt, no SQL."""
