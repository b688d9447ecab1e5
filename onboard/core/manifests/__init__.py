"""Readers of the files that declare a project's dependencies (one module per format family).

Each reader turns one file into :class:`~onboard.core.manifests.model.Dependency` records and
:class:`~onboard.core.pack_validation.Problem` findings; none of them raises on bad input, so a
typo in one line never hides the other dependencies. :mod:`onboard.core.dependencies` finds the
files and calls the readers.
"""
