"""PyInstaller runtime hook: the bundle is offline before any of its modules is imported.

No model hub is ever contacted and no telemetry is sent, whatever the user's environment says.
"""

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HUB_DISABLE_IMPLICIT_TOKEN"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
