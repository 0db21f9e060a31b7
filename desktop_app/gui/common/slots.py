"""Menu actions bound to one item: ``menu.addAction(name, call(self.remove_coding, coding_id))``.

A lambda with default arguments (``lambda cid=coding.id: ...``) defeats mypy's inference against
``addAction``'s overloads, and ``functools.partial`` is worse: PySide6 reads the remaining parameters of
the partial and may pass ``triggered``'s ``checked`` flag into the first of them. The slot made here
takes no arguments, so Qt passes none.
"""

from __future__ import annotations

from collections.abc import Callable


def call(function: Callable[..., object], *args: object, **kwargs: object) -> Callable[[], None]:
    def slot() -> None:
        function(*args, **kwargs)

    return slot
