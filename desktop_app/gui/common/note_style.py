"""How a note that asks the researcher to look again is drawn: amber text (a weak model for the
language, a low-confidence voice, a speaker count that looks too low)."""

from __future__ import annotations

NOTE_STYLE = "color: #8a4b00;"  # a Qt style sheet for a QLabel
