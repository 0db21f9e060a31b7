"""Verbatim: offline transcription and qualitative coding for interview research."""

__version__ = "0.1.0"
APP_NAME = "Verbatim"
