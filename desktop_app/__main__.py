"""``verbatim`` / ``python -m desktop_app``: the GUI without arguments, a CLI command with one."""

from __future__ import annotations

import os
import sys

# Offline before anything can import huggingface_hub: no hub access, no telemetry, ever.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from desktop_app import cli

    if cli.is_cli_invocation(args):
        return cli.run(args)
    from desktop_app.gui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
