"""What a file that is not a study is called: text is text, an encrypted study never is."""

from __future__ import annotations

import os
from pathlib import Path

from desktop_app.storage.file_kind import describe


def test_utf16_text_is_text_but_random_bytes_behind_a_byte_order_mark_are_not(tmp_path: Path) -> None:
    """An encrypted study is random bytes; one in 32,768 starts with FF FE or FE FF. It was called
    "a text file", and opening it refused the study (a flaky encryption test found it)."""
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        text = tmp_path / f"notes-{encoding}.txt"
        text.write_bytes(bom + ("Interview notes, Malmö, 3 March\n" * 300).encode(encoding))
        assert describe(text) == "a text file"
        for seed in range(20):
            encrypted = tmp_path / f"study-{encoding}-{seed}.verbatim"
            encrypted.write_bytes(bom + os.urandom(64 * 1024))
            assert describe(encrypted) is None, seed
