"""PLACEHOLDER, to be written by a helper."""

from .base import WireParser


class NewsML1Parser(WireParser):
    format = "newsml1"
