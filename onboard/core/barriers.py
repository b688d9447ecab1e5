"""The five barriers newcomers name (Steinmacher et al.), by the ids packs and sessions use.

Guides are tagged with them, "I'm stuck" records one, and reports count them: one list, in one
small module, so a session's progress can name a barrier without loading the pack machinery.
"""

from __future__ import annotations

BARRIERS = {
    "finding-a-task": "Finding a task",
    "social-interaction": "Social interaction",
    "previous-knowledge": "Previous knowledge",
    "documentation": "Documentation",
    "technical-hurdles": "Technical hurdles",
}
