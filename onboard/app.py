"""``onboard.app.OnboardApp``: the public import path of the Textual app."""

from onboard.ui.app import OnboardApp

__all__ = ["OnboardApp"]
