"""PLACEHOLDER, to be written by a helper."""

from .base import WireParser


class IPTC7901Parser(WireParser):
    format = "iptc7901"
