"""Is this machine ready for a project? What it needs, doctor checks, consent to run its steps."""
