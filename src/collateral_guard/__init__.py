"""collateral-guard: checks sales collateral before it reaches a customer."""

__version__ = "0.1.0"
