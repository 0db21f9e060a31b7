"""Stable, distinguishable colours for speakers (a researcher's own choice wins)."""

from __future__ import annotations

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


def speaker_color(label: str | None, chosen: str | None = None, order: list[str] | None = None) -> str:
    if chosen:
        return chosen
    if not label:
        return "#7f7f7f"
    if order and label in order:
        return PALETTE[order.index(label) % len(PALETTE)]
    digits = "".join(c for c in label if c.isdigit())
    index = int(digits) - 1 if digits else sum(map(ord, label))
    return PALETTE[index % len(PALETTE)]
