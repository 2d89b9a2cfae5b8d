"""Human-readable citations a reader can check against the printed report."""
from __future__ import annotations

from collections.abc import Sequence


def format_pages(pages: Sequence[int]) -> str:
    """'s. 37' or 's. 37–38'; empty when the source had no pages (plain text)."""
    if not pages:
        return ""
    first, last = min(pages), max(pages)
    return f"s. {first}" if first == last else f"s. {first}–{last}"


def format_citation(title: str, pages: Sequence[int], section: Sequence[str]) -> str:
    """E.g. 'Resultat Västerbotten 2024, s. 37 – Västerbotten – En nära tillgänglig region › Samverkan'."""
    where = ", ".join(part for part in (title, format_pages(pages)) if part)
    path = " › ".join(section)
    return f"{where} – {path}" if path else where
