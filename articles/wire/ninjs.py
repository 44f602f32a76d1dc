"""PLACEHOLDER, to be written by a helper."""

from .base import WireParser


class NinjsParser(WireParser):
    format = "ninjs"
