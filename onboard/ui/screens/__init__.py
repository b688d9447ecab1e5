"""One screen per stage of the journey; each keeps its CSS in a ``.tcss`` file beside it."""
