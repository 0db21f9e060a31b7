"""Content hashes of files, read in blocks so large recordings and models need little memory."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path, block: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(block):
            digest.update(chunk)
    return digest.hexdigest()
