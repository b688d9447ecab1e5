"""The Textual user interface: thin screens over the core, forge and workspace layers."""
