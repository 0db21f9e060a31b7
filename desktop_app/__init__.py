"""Verbatim: offline transcription and qualitative coding for interview research."""

import os

# One BLAS thread: the speaker encoder's small matrix products ran 5-10x slower with more threads
# competing on a busy 2-core laptop (measured); Whisper's CTranslate2 has its own thread pool.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
APP_NAME = "Verbatim"
