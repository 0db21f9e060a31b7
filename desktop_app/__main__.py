"""``verbatim`` / ``python -m desktop_app``: the GUI alone or with a study file, otherwise a CLI command.

``--self-test`` runs the installation check (no window); ``--portable`` keeps settings and models
beside the executable for this run (a ``portable.txt`` file there does the same for every run).
"""

from __future__ import annotations

import multiprocessing
import os
import sys

# Offline before anything can import huggingface_hub: no hub access, no telemetry, ever.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()  # a frozen bundle's engine child process starts here
    from desktop_app.portable import enable_portable_mode

    args, _layout = enable_portable_mode(list(sys.argv[1:] if argv is None else argv))
    if args[:1] == ["--self-test"]:
        from desktop_app.self_test import run_self_test

        return run_self_test(args[1:])
    from desktop_app import cli

    if not cli.starts_gui(args):
        return cli.run(args)
    from desktop_app.gui.shell.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
