"""Paths to the real agency samples kept in tests/fixtures (see SOURCES.md there)."""

from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "wire-samples"
TEMPO = SAMPLES / "plain-text" / "tempo-nato-putin-ready-for-war.txt"


def sample(relative: str) -> Path:
    return SAMPLES / relative
