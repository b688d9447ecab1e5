"""The practice forge's route handlers, one module a resource, and the table they make.

Each module owns a :class:`~onboard.practice.exchange.Routes` called ``routes`` and registers
its handlers on it (``@routes.get(REPO + "/labels")``); a handler is a plain function
``handler(forge, request, **path_parameters) -> Response`` over a
:class:`~onboard.practice.context.ForgeContext`. :data:`ROUTES` is every module's table in
matching order; the pipeline (:mod:`onboard.practice.server`) adds its own ``/rate_limit`` and
dispatches through it. A new resource (as ``graphql`` was) is a new module listed here.
"""

from __future__ import annotations

from onboard.practice.exchange import Route
from onboard.practice.routes import (
    checks,
    contents,
    graphql,
    history,
    issues,
    merge,
    pulls,
    repos,
    reviews,
    search,
    users,
    web,
)

#: Every route, in matching order: the first route that matches a request answers it. The web
#: pages' ``/{owner}/{repo}...`` patterns come last, after every API path they resemble.
ROUTES: tuple[Route, ...] = (
    *users.routes,
    *search.routes,
    *graphql.routes,
    *repos.routes,
    *history.routes,
    *checks.routes,
    *issues.routes,
    *pulls.routes,
    *reviews.routes,
    *merge.routes,
    *contents.routes,
    *web.routes,
)
