"""PLACEHOLDER, to be written by a helper."""

from .base import WireParser


class ANPAParser(WireParser):
    format = "anpa"
