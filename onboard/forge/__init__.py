"""Talking to a forge: GitHub, or onboard's own GitHub-compatible practice forge."""
