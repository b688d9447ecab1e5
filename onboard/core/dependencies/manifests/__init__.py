"""Readers of the files that declare a project's dependencies (one module per format family).

Each reader turns one file into :class:`~onboard.core.dependencies.manifests.model.Dependency`
records and :class:`~onboard.core.packs.validation.Problem` findings; none of them raises on bad
input, so a typo in one line never hides the other dependencies.
:mod:`onboard.core.dependencies.declared` finds the files and calls the readers.
"""
