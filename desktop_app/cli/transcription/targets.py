"""Which documents a ``transcribe`` run takes, on this computer or on a cluster (one rule for both)."""

from __future__ import annotations

import argparse

from desktop_app.services.study.project_service import ProjectStore


def documents_to_transcribe(store: ProjectStore, args: argparse.Namespace) -> list[int]:
    """The documents named, or (``--all`` or none named) every one not yet transcribed; says so when none is left."""
    from desktop_app.services.transcription import transcription_service as ts

    targets: list[int] = ts.pending_documents(store) if args.all or not args.documents else args.documents
    if not targets:
        print("Nothing to transcribe: every document is transcribed.")
    return targets
