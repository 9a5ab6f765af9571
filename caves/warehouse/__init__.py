"""Warehouse backends: one adapter per warehouse behind the same protocol."""

from .base import Warehouse

__all__ = ["Warehouse"]
