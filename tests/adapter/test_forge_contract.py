"""The PyGithub adapter keeps the Forge contract that flows, screens and commands type against."""

from __future__ import annotations

import inspect
import typing

import pytest

from onboard.forge.base import Forge, ForgeConfig
from onboard.forge.github import GitHubForge

METHODS = sorted(
    name for name, member in vars(Forge).items() if callable(member) and not name.startswith("_")
)


def test_every_public_method_of_the_adapter_is_in_the_contract() -> None:
    # A method added to the adapter but not to the contract is one callers cannot type against.
    public = {
        name
        for name, member in vars(GitHubForge).items()
        if callable(member) and not name.startswith("_")
    }
    assert public <= set(METHODS)


def test_the_contract_names_what_callers_use() -> None:
    # A method callers need but the contract lacks is how the two drifted apart before.
    assert {"timelines", "pulls_needing_review", "fork", "create_pull", "review"} <= set(METHODS)
    assert {"config", "rate_limits"} <= set(typing.get_type_hints(Forge))


@pytest.mark.parametrize("name", METHODS)
def test_the_adapter_has_each_method_with_the_same_parameters(name: str) -> None:
    promised = inspect.signature(getattr(Forge, name))
    given = inspect.signature(getattr(GitHubForge, name))
    shape = [(p.name, p.kind, p.default) for p in promised.parameters.values()]
    assert [(p.name, p.kind, p.default) for p in given.parameters.values()] == shape


def test_the_adapter_sets_every_promised_attribute(forge_config: ForgeConfig) -> None:
    forge = GitHubForge(forge_config)
    for attribute in typing.get_type_hints(Forge):
        assert hasattr(forge, attribute), attribute
