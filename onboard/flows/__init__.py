"""Multi-step actions of the journey (forge + workspace + state), free of any UI.

Screens run these in worker threads and render the events they emit; tests call them directly.
"""
