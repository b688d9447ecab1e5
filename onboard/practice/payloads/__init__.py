"""Pure builders of GitHub-shaped JSON documents from the store's plain records.

Client code (PyGithub, and onboard's own parsers) is written against GitHub's real payloads, so
every builder reproduces the field set, field order, nulls and nested objects of the reference
payloads in ``shared/reference/github-payloads``. Nothing here touches the network, git or the
store's lock: callers pass the store's data dict, already locked, and get fresh dicts back.

One module a resource, each building on the ones before it: :mod:`.common` (URLs, node ids,
error and search envelopes), :mod:`.users`, :mod:`.repos` (with labels and the community
profile), :mod:`.issues` (with comments and timeline items), :mod:`.pulls` (with reviews and
review comments), :mod:`.checks` (check runs, commit statuses), :mod:`.contents`, and
:mod:`.pages` (the HTML behind "open in browser"). Routes call the builders through this package,
``payloads.issue(...)``, so they need not know which module holds which.
"""

from __future__ import annotations

from onboard.practice.payloads.checks import check_runs, combined_status, status
from onboard.practice.payloads.common import (
    DOCS,
    JSON,
    Data,
    Urls,
    error,
    node_id,
    rate_limit,
    search_result,
    validation_failed,
)
from onboard.practice.payloads.contents import content_entry, content_file
from onboard.practice.payloads.history import commit, release
from onboard.practice.payloads.issues import (
    REACTION_KEYS,
    comment,
    issue,
    reactions,
    timeline_comment,
    timeline_cross_reference,
    timeline_event,
    timeline_review,
)
from onboard.practice.payloads.pages import html_page
from onboard.practice.payloads.pulls import pull, review, review_comment
from onboard.practice.payloads.repos import (
    KNOWN_CONDUCTS,
    LICENSES,
    community_profile,
    label,
    labels_of,
    license_payload,
    permissions,
    repo,
    repo_search_item,
)
from onboard.practice.payloads.users import user, user_detail, user_ref

__all__ = [
    "DOCS",
    "JSON",
    "KNOWN_CONDUCTS",
    "LICENSES",
    "REACTION_KEYS",
    "Data",
    "Urls",
    "check_runs",
    "combined_status",
    "comment",
    "commit",
    "community_profile",
    "content_entry",
    "content_file",
    "error",
    "html_page",
    "issue",
    "label",
    "labels_of",
    "license_payload",
    "node_id",
    "permissions",
    "pull",
    "rate_limit",
    "reactions",
    "release",
    "repo",
    "repo_search_item",
    "review",
    "review_comment",
    "search_result",
    "status",
    "timeline_comment",
    "timeline_cross_reference",
    "timeline_event",
    "timeline_review",
    "user",
    "user_detail",
    "user_ref",
    "validation_failed",
]
