"""PLACEHOLDER, to be written by a helper."""

from .base import WireParser


class NITFParser(WireParser):
    format = "nitf"
