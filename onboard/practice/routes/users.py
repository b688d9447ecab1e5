"""Routes about accounts: ``/user``, ``/users/{login}`` and the repositories they own."""

from __future__ import annotations

from onboard.practice import payloads
from onboard.practice.context import ForgeContext
from onboard.practice.exchange import Request, Response, Routes, not_found, paginate, require_auth

routes = Routes()


@routes.get(r"/user")
def get_authenticated_user(forge: ForgeContext, req: Request) -> Response:
    login = require_auth(req, "https://docs.github.com/rest/users/users#get-the-authenticated-user")
    with forge.store.locked() as data:
        return Response(200, payloads.user_detail(forge.urls, data, login, private=True))


@routes.get(r"/user/repos")
def list_my_repos(forge: ForgeContext, req: Request) -> Response:
    login = require_auth(
        req,
        "https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user",
    )
    return _repos_of(forge, req, login, f"{forge.urls.api}/user/repos")


@routes.get(r"/users/(?P<login>[^/]+)")
def get_user(forge: ForgeContext, req: Request, login: str) -> Response:
    record = forge.store.get_user(login)
    if record is None:
        raise not_found("https://docs.github.com/rest/users/users#get-a-user")
    with forge.store.locked() as data:
        return Response(200, payloads.user_detail(forge.urls, data, record["login"]))


@routes.get(r"/users/(?P<login>[^/]+)/repos")
def list_user_repos(forge: ForgeContext, req: Request, login: str) -> Response:
    record = forge.store.get_user(login)
    if record is None:
        raise not_found("https://docs.github.com/rest/repos/repos#list-repositories-for-a-user")
    link = f"{forge.urls.api}/users/{record['login']}/repos"
    return _repos_of(forge, req, record["login"], link)


def _repos_of(forge: ForgeContext, req: Request, login: str, link_base: str) -> Response:
    with forge.store.locked() as data:
        owned = sorted(
            (r for r in data["repos"].values() if r["owner"] == login),
            key=lambda r: r["full_name"].lower(),
        )
        page, headers = paginate(req, owned, link_base)
        body = [
            payloads.repo(forge.urls, data, r["full_name"], viewer=req.viewer, detail=False)
            for r in page
        ]
    return Response(200, body, headers)
