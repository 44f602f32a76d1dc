"""PLACEHOLDER, to be written by a helper."""

from .base import WireParser


class NewsMLG2Parser(WireParser):
    format = "newsml"
