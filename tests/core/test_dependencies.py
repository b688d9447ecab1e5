"""Reading declared dependencies from real-shaped manifests and SBOMs, and from hostile files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onboard.core.dependencies.declared import (
    Dependency,
    DependencyError,
    DependencyScan,
    manifest_files,
    read_dependencies,
)
from onboard.core.dependencies.manifests import model
from onboard.core.dependencies.purl import parse_purl
from onboard.core.dependencies.resolution import Evidence, decide, direct_evidence
from onboard.core.models import RepoRef
from tests.registry_server import DATA

TEAM_APP = DATA / "team-app"


def by_name(scan: DependencyScan) -> dict[str, list[Dependency]]:
    found: dict[str, list[Dependency]] = {}
    for dependency in scan.dependencies:
        found.setdefault(dependency.name, []).append(dependency)
    return found


def messages(scan: DependencyScan) -> list[str]:
    return [str(problem) for problem in scan.problems]


# -- pyproject.toml ------------------------------------------------------------------------------


def test_pep_621_dependencies_extras_and_groups_with_lines() -> None:
    scan = read_dependencies(TEAM_APP / "pyproject.toml")
    assert scan.problems == []
    first = scan.dependencies[0]
    assert first == Dependency("tiny-calc", "pypi", ">=1.2", "pyproject.toml", 14, dev=False)
    units = by_name(scan)["calc-units"]
    assert units[0].spec == '[si]>=0.4; python_version >= "3.11"'
    assert (units[0].line, units[0].dev) == (15, False)
    assert (units[1].line, units[1].dev) == (31, True)  # [dependency-groups] lint
    theme = by_name(scan)["hello-docs-theme"]
    assert [(d.line, d.dev) for d in theme] == [(16, False), (23, True)]  # extra "docs" is dev
    assert "team-app" not in by_name(scan)  # "team-app[docs]" is the project itself
    assert by_name(scan)["tiny-calc"][1].spec == "[test]"  # the dev group, include-group skipped
    assert {d.ecosystem for d in scan.dependencies} == {"pypi"}


def test_poetry_tables_skip_python_and_local_paths() -> None:
    scan = read_dependencies(DATA / "poetry-app")
    found = by_name(scan)
    assert "python" not in found
    assert "shared-utils" not in found  # a path dependency is the team's own folder
    assert found["tiny-calc"][0].spec == "^1.2"  # "Tiny_Calc" in its PEP 503 form
    assert found["tiny-calc"][0].line == 11
    assert found["kind-words-py"][0].urls == (
        ("git", "https://github.com/practice/kind-words.git"),
    )
    assert found["numpy"][0].spec == "<2.0 | >=2.0"
    assert [found[n][0].dev for n in ("pytest", "quiet-package", "hello-docs-theme")] == [True] * 3
    assert found["calc-units"][0].dev is False


def test_dynamic_dependencies_are_mentioned(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\ndynamic = ["dependencies"]\n'
    )
    scan = read_dependencies(tmp_path)
    assert scan.dependencies == []
    assert any("computed by the build backend" in m and ":4:" in m for m in messages(scan))


def test_bad_pyproject_values_are_reported_with_line_and_key(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[project]\n"
        'name = "x"\n'
        "dependencies = [\n"
        '    "good-one>=1",\n'
        '    "broken >=>= 1",\n'
        "    42,\n"
        "]\n"
        "[project.optional-dependencies]\n"
        'test = "pytest"\n'
    )
    scan = read_dependencies(tmp_path)
    assert [d.name for d in scan.dependencies] == ["good-one"]
    text = messages(scan)
    assert any(m.startswith("pyproject.toml:5: project.dependencies[1]: not a valid") for m in text)
    assert any(m.startswith("pyproject.toml:6: project.dependencies[2]: expected") for m in text)
    assert any("project.optional-dependencies.test: expected a list" in m for m in text)


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = [\n"a",,\n]\n')
    scan = read_dependencies(tmp_path)
    assert scan.dependencies == []
    assert messages(scan)[0].startswith("pyproject.toml:4: invalid TOML")


# -- requirements files ---------------------------------------------------------------------------


def test_requirements_comments_options_hashes_includes_and_cycles() -> None:
    scan = read_dependencies(TEAM_APP / "requirements-dev.txt")
    assert scan.problems == []
    rows = [(d.name, d.spec, d.source_file, d.line, d.dev) for d in scan.dependencies]
    assert rows == [
        ("hello-docs-theme", ">=2.0", "requirements/docs.txt", 1, True),
        ("tiny-calc", "==1.2.0", "requirements-dev.txt", 5, True),  # hash on the next line
        (
            "kind-words-py",
            "git+https://github.com/practice/kind-words.git@main#egg=kind-words-py",
            "requirements-dev.txt",
            7,
            True,
        ),
    ]  # "-e ." is the project itself; docs.txt includes requirements-dev.txt back: read once


def test_requirement_lines_of_every_kind(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "# pinned by hand\n"
        "\n"
        "Requests[socks,security] >= 2.31 ; python_version < '3.13'  # http\n"
        "Flask_Login==0.6.3\n"
        "pip @ https://github.com/pypa/pip/archive/22.0.2.zip\n"
        "https://example.invalid/wheels/some_pkg-1.0-py3-none-any.whl#egg=some-pkg\n"
        "git+https://github.com/pallets/click.git@8.1.7\n"
        "https://example.invalid/nameless.tar.gz\n"
        "--extra-index-url https://example.invalid/simple\n"
        "-c constraints.txt\n"
        "--pre\n"
        "-e ./libs/local-thing\n"
        "this is not a requirement\n"
        "numpy>=1.26\n"
    )
    scan = read_dependencies(tmp_path / "requirements.txt")
    rows = {d.name: (d.ecosystem, d.spec, d.line) for d in scan.dependencies}
    assert rows == {
        "requests": ("pypi", '[security,socks]>=2.31; python_version < "3.13"', 3),
        "flask-login": ("pypi", "==0.6.3", 4),
        "pip": ("pypi", "@ https://github.com/pypa/pip/archive/22.0.2.zip", 5),
        "some-pkg": (
            "pypi",
            "https://example.invalid/wheels/some_pkg-1.0-py3-none-any.whl#egg=some-pkg",
            6,
        ),
        "pallets/click": ("github", "git+https://github.com/pallets/click.git@8.1.7", 7),
        "numpy": ("pypi", ">=1.26", 14),
    }
    text = messages(scan)
    assert any(m.startswith("requirements.txt:8: note: a URL without a package name") for m in text)
    assert any(m.startswith("requirements.txt:13: not a valid requirement") for m in text)
    assert all(d.dev is False for d in scan.dependencies)


def test_includes_may_not_leave_the_project_folder(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "secret.txt").write_text("stolen-package\n")
    (project / "requirements.txt").write_text(
        "-r ../secret.txt\n-r /etc/passwd\n-r missing.txt\n-r https://example.invalid/r.txt\nok\n"
    )
    scan = read_dependencies(project)
    assert [d.name for d in scan.dependencies] == ["ok"]
    text = messages(scan)
    assert sum("leads outside the project folder" in m for m in text) == 2
    assert any(m.startswith("requirements.txt:3: -r 'missing.txt' does not exist") for m in text)
    assert any("from the network; not fetched" in m for m in text)


def test_a_symlink_out_of_the_project_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "outside.txt").write_text("stolen-package\n")
    (project / "inner.txt").symlink_to(tmp_path / "outside.txt")
    (project / "requirements.txt").write_text("-r inner.txt\n")
    scan = read_dependencies(project)
    assert scan.dependencies == []
    assert "leads outside the project folder" in messages(scan)[0]


def test_self_including_file_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("-r requirements.txt\n--requirement=b.txt\nx\n")
    (tmp_path / "b.txt").write_text("-r requirements.txt\ny\n")
    scan = read_dependencies(tmp_path / "requirements.txt")
    assert [d.name for d in scan.dependencies] == ["y", "x"]
    assert scan.problems == []


# -- package.json ---------------------------------------------------------------------------------


def test_package_json_sections() -> None:
    scan = read_dependencies(TEAM_APP / "package.json")
    rows = [(d.name, d.spec, d.line, d.dev) for d in scan.dependencies]
    assert rows == [
        ("kind-words", "^2.1.0", 11, False),
        ("@practice/kind-words-cli", "~1.0.3", 12, False),
        ("left-pad", "1.3.0", 16, True),
    ]  # "file:../local-lib" is the team's own folder


def test_package_json_locations_aliases_and_mistakes(tmp_path: Path) -> None:
    document = {
        "name": "web",
        "dependencies": {
            "from-github": "github:practice/kind-words",
            "shorthand": "practice/hello-docs#v1",
            "via-git": "git+ssh://git@github.com/practice/tiny-calc.git#semver:^1",
            "renamed": "npm:@practice/kind-words-cli@^1.0.0",
            "mono": "workspace:*",
            "Bad Name!": "1.0.0",
            "wrong-type": ["1.0.0"],
            "web": "1.0.0",
        },
        "peerDependencies": {"react": ">=18"},
        "optionalDependencies": {"fsevents": "^2.3.3"},
        "devDependencies": "not an object",
    }
    (tmp_path / "package.json").write_text(json.dumps(document, indent=2))
    scan = read_dependencies(tmp_path)
    found = by_name(scan)
    assert found["from-github"][0].urls == (("spec", "github:practice/kind-words"),)
    assert found["shorthand"][0].urls == (("spec", "practice/hello-docs#v1"),)
    assert found["via-git"][0].urls[0][1].startswith("git+ssh://")
    assert "@practice/kind-words-cli" in found and "renamed" not in found
    assert "mono" not in found and "web" not in found
    assert found["react"][0].dev is False and found["fsevents"][0].dev is False
    text = messages(scan)
    assert any("dependencies.Bad Name!: not a valid npm package name" in m for m in text)
    assert any("dependencies.wrong-type: expected a version string" in m for m in text)
    assert any("devDependencies: expected an object" in m for m in text)


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{\n  "dependencies": {\n    "a": "1",\n  }\n}\n')
    scan = read_dependencies(tmp_path)
    assert messages(scan) == [
        "package.json:4: invalid JSON: Expecting property name enclosed in double quotes"
    ]


# -- SBOMs ----------------------------------------------------------------------------------------


def test_cyclonedx_components_purls_and_references() -> None:
    scan = read_dependencies(DATA / "sbom" / "team-app.cdx.json")
    found = by_name(scan)
    assert "team-app-web" not in found  # metadata.component is the project itself
    assert found["@practice/kind-words-cli"][0].ecosystem == "npm"  # %40 decoded
    assert found["kind-words"][0].urls[0] == (
        "vcs",
        "git+https://github.com/practice/kind-words.git",
    )
    assert found["left-pad"][0].dev is True  # cdx:npm:package:development
    assert found["practice/hello-docs"][0].ecosystem == "github"
    assert found["github.com/spf13/cobra"][0].ecosystem == "golang"
    assert found["ui-kit-icons"][0].line == 191  # nested inside ui-kit, line of its purl
    assert found["tiny-calc"][0] == Dependency(
        "tiny-calc", "pypi", "1.2.0", "team-app.cdx.json", 114, dev=False
    )
    assert messages(scan) == [
        "team-app.cdx.json: note: components: 1 component has neither a purl nor a source "
        "link; skipped"
    ]


def test_spdx_github_export() -> None:
    scan = read_dependencies(DATA / "sbom" / "example_team-app.spdx.json")
    rows = [(d.name, d.ecosystem, d.spec, d.dev) for d in scan.dependencies]
    assert rows == [
        ("tiny-calc", "pypi", "1.2.0", False),
        ("kind-words", "npm", "2.1.0", False),
        ("left-pad", "npm", "1.3.0", True),  # DEV_DEPENDENCY_OF
        ("actions/checkout", "githubactions", "4.*.*", False),
        ("practice/hello-docs", "github", "v1.0", False),  # from its git downloadLocation
    ]  # the DESCRIBED repository itself is not its own dependency
    assert scan.problems[0].severity == "note"


def test_spdx_inside_githubs_api_envelope(tmp_path: Path) -> None:
    document = json.loads((DATA / "sbom" / "example_team-app.spdx.json").read_text())
    (tmp_path / "sbom.json").write_text(json.dumps({"sbom": document}))
    scan = read_dependencies(tmp_path)
    assert len(scan.dependencies) == 5


def test_bad_purls_are_reported_by_key(tmp_path: Path) -> None:
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "components": [
            {"type": "library", "name": "a", "purl": "npm/a@1"},
            {"type": "library", "name": "b", "purl": "pkg:npm"},
            "not an object",
            {"type": "library", "name": "c", "purl": "pkg:npm/c@1"},
        ],
    }
    (tmp_path / "bom.json").write_text(json.dumps(bom))
    scan = read_dependencies(tmp_path)
    assert [d.name for d in scan.dependencies] == ["c"]
    text = messages(scan)
    assert text[0].startswith("bom.json:1: components[0].purl: 'npm/a@1' is not a package URL")
    assert text[1].startswith("bom.json:1: components[1].purl:")
    assert text[2] == "bom.json: components[2]: expected a component object"


def test_spdx_bad_purls_and_skipped_packages_are_reported_like_cyclonedx(tmp_path: Path) -> None:
    def package(name: str, purl: str | None, location: str = "NOASSERTION") -> dict[str, object]:
        refs = [{"referenceType": "purl", "referenceLocator": purl}] if purl is not None else []
        return {"SPDXID": f"SPDXRef-{name}", "name": name, "downloadLocation": location,
                "externalRefs": refs}  # fmt: skip

    document = {
        "spdxVersion": "SPDX-2.3",
        "packages": [
            package("a", "npm/a@1"),
            package("b", None),
            package("c", None),
            package("d", None, "git+https://github.com/practice/tiny-calc.git"),
            package("e", "pkg:npm/e@1"),
        ],
    }
    (tmp_path / "sbom.spdx.json").write_text(json.dumps(document))
    scan = read_dependencies(tmp_path / "sbom.spdx.json")
    assert [d.name for d in scan.dependencies] == ["practice/tiny-calc", "e"]
    text = messages(scan)
    assert text[0].startswith(
        "sbom.spdx.json:1: packages[0].externalRefs[0].referenceLocator: 'npm/a@1' is not"
    )
    assert text[1] == (
        "sbom.spdx.json: note: packages: 2 packages have neither a purl nor a git download "
        "location; skipped"
    )


def test_a_json_file_that_is_no_sbom(tmp_path: Path) -> None:
    (tmp_path / "bom-settings.json").write_text('{"colour": "blue"}')
    (tmp_path / "package.json").write_text('{"dependencies": {"a": "1"}}')
    assert [d.name for d in read_dependencies(tmp_path).dependencies] == ["a"]  # ignored quietly
    scan = read_dependencies(tmp_path / "bom-settings.json")  # asked for explicitly: say why not
    assert "neither a CycloneDX SBOM" in messages(scan)[0]
    assert scan.files == []


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("pkg:pypi/Django_REST@3.14.0", ("pypi", None, "django-rest", "3.14.0")),
        ("pkg:npm/%40babel/core@7.23.2", ("npm", "@babel", "core", "7.23.2")),
        ("pkg:npm/@babel/core", ("npm", "@babel", "core", None)),
        (
            "pkg:github/Package-URL/purl-spec@244fd47e",
            ("github", "package-url", "purl-spec", "244fd47e"),
        ),
        (
            "pkg:golang/github.com/gorilla/context@234fd47e?type=module#sub",
            ("golang", "github.com/gorilla", "context", "234fd47e"),
        ),
        (
            "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?packaging=sources",
            ("maven", "org.apache.xmlgraphics", "batik-anim", "1.9.1"),
        ),
        ("PKG:cargo/rand@0.7.2", ("cargo", None, "rand", "0.7.2")),
    ],
)
def test_purl_parsing(text: str, parts: tuple[str, str | None, str, str | None]) -> None:
    purl = parse_purl(text)
    assert (purl.type, purl.namespace, purl.name, purl.version) == parts


@pytest.mark.parametrize("text", ["", "pkg:", "pkg:npm", "pkg:/name", "npm/a"])
def test_purl_errors(text: str) -> None:
    with pytest.raises(ValueError, match="package"):
        parse_purl(text)


# -- folders and hostile files ----------------------------------------------------------------


def test_folder_discovery() -> None:
    names = [path.relative_to(TEAM_APP).as_posix() for path in manifest_files(TEAM_APP)]
    assert names == [
        "pyproject.toml",
        "package.json",
        "requirements-dev.txt",
        "requirements/docs.txt",
    ]
    scan = read_dependencies(TEAM_APP)
    assert scan.problems == []
    assert len(scan.files) == 4
    # docs.txt was included by requirements-dev.txt first; listing it again reads it once.
    assert sum(d.source_file == "requirements/docs.txt" for d in scan.dependencies) == 1


def test_nothing_to_read_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DependencyError, match="No manifest found"):
        read_dependencies(tmp_path)
    with pytest.raises(DependencyError, match="does not exist"):
        read_dependencies(tmp_path / "missing")
    (tmp_path / "notes.md").write_text("hello")
    scan = read_dependencies(tmp_path / "notes.md")
    assert "not a manifest onboard can read" in messages(scan)[0]


def test_binary_invalid_utf8_huge_and_deep_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b"\x7fELF\x00\x00\x01binary")
    (tmp_path / "requirements.txt").write_bytes(b"ok\nbad-\xff\xfe\n")
    (tmp_path / "requirements-huge.txt").write_text("a\n" * 2000)
    (tmp_path / "sbom.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "package.json").write_text('{"dependencies": {"fine": "1.0.0"}}')
    monkeypatch.setattr(model, "MAX_MANIFEST_BYTES", 1000)
    scan = read_dependencies(tmp_path)
    assert [d.name for d in scan.dependencies] == ["fine"]
    text = messages(scan)
    assert "pyproject.toml: looks like a binary file; expected UTF-8 text" in text
    assert "requirements.txt:2: invalid UTF-8 at byte 7; expected UTF-8 text" in text
    assert "requirements-huge.txt: too large; expected at most 1,000 bytes" in text
    assert any(m.startswith("sbom.json:") for m in text)


def test_deeply_nested_json_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "bom.json").write_text("[" * 100_000 + "]" * 100_000)
    scan = read_dependencies(tmp_path / "bom.json")
    assert scan.dependencies == []
    assert scan.problems


def test_the_list_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "MAX_DEPENDENCIES", 5)
    (tmp_path / "requirements.txt").write_text("".join(f"p{i}\n" for i in range(20)))
    scan = read_dependencies(tmp_path)
    assert len(scan.dependencies) == 5
    assert scan.truncated


# -- deciding on evidence (pure) ------------------------------------------------------------


def dep(name: str, ecosystem: str = "pypi", urls: tuple[tuple[str, str], ...] = ()) -> Dependency:
    return Dependency(name, ecosystem, "", "requirements.txt", 1, False, urls)


def test_direct_evidence_needs_no_lookup() -> None:
    assert direct_evidence([dep("practice/hello-docs", "github")]) is not None
    action = direct_evidence([dep("github/codeql-action/init", "githubactions")])
    assert action is not None and action.repo == RepoRef("github", "codeql-action")
    go = direct_evidence([dep("github.com/spf13/cobra/v2", "golang")])
    assert go is not None and (go.repo, go.how) == (RepoRef("spf13", "cobra"), "Go module path")
    linked = direct_evidence([dep("x", urls=(("vcs", "git+https://github.com/a/b.git"),))])
    assert linked is not None and linked.how == "vcs reference in requirements.txt"
    assert direct_evidence([dep("requests")]) is None


def test_the_first_evidence_naming_a_repository_wins() -> None:
    installed = Evidence("installed metadata", (("Source", "https://github.com/a/installed"),))
    registry = Evidence("PyPI metadata", (("Source", "https://github.com/a/registry"),))
    resolution = decide([dep("x")], [installed, registry])
    assert resolution.repo == RepoRef("a", "installed")
    assert resolution.how == "installed metadata (Source)"


@pytest.mark.parametrize(
    ("dependency", "evidence", "reason"),
    [
        (
            dep("x"),
            [
                Evidence("installed metadata", missing=True),
                Evidence("PyPI metadata", failure="the registry is unreachable"),
            ],
            "not installed and the registry is unreachable",
        ),
        (
            dep("x"),
            [Evidence("installed metadata", missing=True), Evidence("PyPI metadata", missing=True)],
            "not installed and not found on PyPI",
        ),
        (
            dep("x", "npm"),
            [Evidence("npm registry", missing=True)],
            "not found on the npm registry",
        ),
        (
            dep("x"),
            [Evidence("PyPI metadata", (("Homepage", "https://x.readthedocs.io"),))],
            "no source repository in its metadata",
        ),
        (
            dep("x"),
            [Evidence("PyPI metadata", (("Source", "https://gitlab.com/a/x"),))],
            "source is on gitlab.com, not GitHub",
        ),
        (dep("golang.org/x/net", "golang"), [], "source is on golang.org, not GitHub"),
        (
            dep("serde", "cargo"),
            [],
            "onboard cannot look up cargo packages, and the manifest gives no source link",
        ),
        (
            dep("x"),
            [Evidence("installed metadata", missing=True)],
            "not installed and PyPI was not asked",
        ),
    ],
)
def test_unresolved_dependencies_always_say_why(
    dependency: Dependency, evidence: list[Evidence], reason: str
) -> None:
    resolution = decide([dependency], evidence)
    assert resolution.repo is None
    assert resolution.reason == reason
