"""The user's local copy of a project, driven through GitPython.

``git`` (GitPython) is imported lazily: importing it without a git binary raises at import time,
and onboard must still start and explain how to install git.
"""
