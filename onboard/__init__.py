"""onboard: from "I want to contribute" to a first contribution in hand."""

__version__ = "0.1.0"
