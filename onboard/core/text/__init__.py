"""Untrusted text made inert, and text made human: sanitising, Markdown-safe text, times."""
