"""Making the change: a project's commit and pull request conventions, read from plain data."""
