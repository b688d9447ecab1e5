"""Consent to run setup steps is bound to what was shown: the pack's content and the steps.

A changed pack, a changed guide, a new step or a reordered suggestion asks again; an absent or
damaged "consents" section means "never agreed", and never costs the rest of the progress.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from onboard.core.journey import Journey
from onboard.core.models import SetupStep
from onboard.core.packs.loading import load_pack
from onboard.core.setup.consent import (
    ConsentStatus,
    consent_check,
    consent_key,
    needs_consent,
    record_consent,
    step_hash,
    subject_for,
)
from onboard.core.storage.state import STATE_VERSION, StateStore
from tests.flows.pack_fixtures import REPO, write_pack

NPM_CI = SetupStep(("npm", "ci"), "Install the exact dependencies")
NPM_TEST = SetupStep(("npm", "test"), "Run the tests")
STEPS = [{"argv": ["npm", "ci"], "description": "Install the exact dependencies"}]


def test_content_hash_covers_pack_toml_and_the_guides_it_names(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    pack = write_pack(folder, STEPS)
    assert len(pack.content_hash) == 64
    assert load_pack(folder).content_hash == pack.content_hash

    (folder / "notes.txt").write_text("not part of the pack")
    assert load_pack(folder).content_hash == pack.content_hash

    guide_changed = write_pack(folder, STEPS, guide="# Welcome, changed\n")
    assert guide_changed.content_hash != pack.content_hash

    toml_changed = write_pack(folder, STEPS, name="other")
    assert toml_changed.content_hash not in {pack.content_hash, guide_changed.content_hash}

    assert write_pack(folder, STEPS).content_hash == pack.content_hash  # back as it was


def test_content_hash_covers_translations(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "bienvenue.md").write_text("# Bienvenue\n")
    before = write_pack(folder, STEPS, translations={"fr": "bienvenue.md"}).content_hash
    (folder / "bienvenue.md").write_text("# Bienvenue !\n")
    assert load_pack(folder).content_hash != before


def test_never_asked_then_given(state_store: StateStore) -> None:
    subject = subject_for([NPM_CI], project=REPO, pack_name="team", pack_hash="a" * 64)
    assert consent_check(state_store, subject).status is ConsentStatus.NEVER_ASKED
    assert needs_consent(state_store, subject)

    record_consent(state_store, subject, now=datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC))
    check = consent_check(StateStore(state_store.path), subject)
    assert check.status is ConsentStatus.GIVEN
    assert check.agreed_at == "2025-03-04T05:06:07Z"
    assert not check.needed
    assert not needs_consent(state_store, subject)


def test_a_changed_pack_asks_again(state_store: StateStore) -> None:
    agreed = subject_for([NPM_CI], project=REPO, pack_name="team", pack_hash="a" * 64)
    record_consent(state_store, agreed)
    changed = subject_for([NPM_CI], project=REPO, pack_name="team", pack_hash="b" * 64)
    check = consent_check(state_store, changed)
    assert check.status is ConsentStatus.CHANGED
    assert needs_consent(state_store, changed)
    assert not check.is_new(NPM_CI)  # same command as before: not flagged as new


def test_a_new_step_asks_again_and_is_pointed_out(state_store: StateStore) -> None:
    record_consent(state_store, subject_for([NPM_CI], project=REPO, pack_name="team"))
    more = subject_for([NPM_CI, NPM_TEST], project=REPO, pack_name="team")
    check = consent_check(state_store, more)
    assert check.status is ConsentStatus.CHANGED
    assert check.is_new(NPM_TEST)
    assert not check.is_new(NPM_CI)


def test_suggested_steps_are_bound_to_the_steps_themselves(state_store: StateStore) -> None:
    build = SetupStep(("npm", "run", "build"), "Build")
    record_consent(state_store, subject_for([NPM_CI, build], project=REPO))
    assert not needs_consent(state_store, subject_for([NPM_CI, build], project=REPO))
    assert needs_consent(state_store, subject_for([build, NPM_CI], project=REPO))  # reordered
    evil = SetupStep(("npm", "ci", "--ignore-scripts=false"), "Install the exact dependencies")
    assert needs_consent(state_store, subject_for([evil, build], project=REPO))
    # A description is words, not what runs; the argv is what is bound.
    reworded = SetupStep(("npm", "ci"), "Install everything")
    assert not needs_consent(state_store, subject_for([reworded, build], project=REPO))


def test_each_pack_and_project_has_its_own_agreement(state_store: StateStore) -> None:
    record_consent(state_store, subject_for([NPM_CI], project=REPO, pack_name="team"))
    assert needs_consent(state_store, subject_for([NPM_CI], project="other/repo", pack_name="team"))
    assert needs_consent(state_store, subject_for([NPM_CI], project=REPO, pack_name="another"))
    assert needs_consent(state_store, subject_for([NPM_CI], project=REPO))  # suggested, no pack
    assert consent_key("team", REPO) != consent_key(None, REPO)
    assert consent_key("detected", REPO) != consent_key(None, REPO)


def test_consents_live_beside_the_journey_without_a_new_state_version(
    state_store: StateStore,
) -> None:
    state_store.save_journey("practice", Journey(project=REPO))
    subject = subject_for([NPM_CI], project=REPO, pack_name="team", pack_hash="c" * 64)
    record_consent(state_store, subject)
    state_store.save_journey("practice", Journey(project=REPO, fork="me/tiny-calc"))

    data = json.loads(state_store.path.read_text())
    assert data["version"] == STATE_VERSION == 1
    assert data["journeys"]["practice"]["fork"] == "me/tiny-calc"
    record = data["consents"][consent_key("team", REPO)]
    assert record["pack_hash"] == "c" * 64
    assert record["steps"] == [step_hash(NPM_CI)]
    assert not needs_consent(state_store, subject)


def test_absent_or_damaged_consents_read_as_never_agreed(state_store: StateStore) -> None:
    subject = subject_for([NPM_CI], project=REPO, pack_name="team")
    assert state_store.consents() == {}

    state_store.path.parent.mkdir(parents=True, exist_ok=True)
    state_store.path.write_text(
        json.dumps({"version": 1, "journeys": {"practice": {"project": REPO}}, "consents": [1]})
    )
    assert state_store.consents() == {}
    assert needs_consent(state_store, subject)
    assert state_store.recovered_backup is None  # the rest of the progress is kept

    record_consent(state_store, subject)
    assert not needs_consent(state_store, subject)
    assert state_store.journey("practice").project == REPO


def test_a_malformed_record_asks_again(state_store: StateStore) -> None:
    subject = subject_for([NPM_CI], project=REPO, pack_name="team")
    state_store.save_consent(subject.key, {"pack_hash": 7, "steps": "nope"})
    assert consent_check(state_store, subject).status is ConsentStatus.CHANGED
