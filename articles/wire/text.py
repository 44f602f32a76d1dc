"""PLACEHOLDER, to be written by a helper."""

from .base import WireParser


class PlainTextParser(WireParser):
    format = "text"
