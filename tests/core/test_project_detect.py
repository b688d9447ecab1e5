"""Project detection over real-shaped project files (tests/data/projects/<kind>/), and hostile ones.

Each folder mimics what such a project really contains, so the tests show what onboard would
tell a newcomer who cloned it: which tools at which versions, which setup steps, which test
command.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from onboard.core.models import SetupStep
from onboard.core.setup.project_detect import Detected, Toolchain, detect
from onboard.core.setup.project_files import MAX_BYTES, without_comments, without_trailing_commas

PROJECTS = Path(__file__).resolve().parents[1] / "data" / "projects"


def detected(kind: str, os_name: str = "linux") -> Detected:
    return detect(PROJECTS / kind, os_name=os_name)


def tools(result: Detected) -> dict[str, Toolchain]:
    return {tool.name: tool for tool in result.toolchains}


def argvs(result: Detected, os_name: str = "linux") -> list[tuple[str, ...]]:
    return [step.argv for step in result.setup if step.applies_to(os_name)]


def test_pyproject_with_test_extra() -> None:
    result = detected("python-pyproject")
    python = tools(result)["Python"]
    assert python == Toolchain(
        "Python", "python3", ">=3.10", "pyproject.toml: project.requires-python", enforced=True
    )
    assert argvs(result) == [
        ("python3", "-m", "venv", ".venv"),
        (".venv/bin/python", "-m", "pip", "install", "-e", ".[test]"),
    ]
    assert result.test is not None
    assert result.test.argv == (".venv/bin/python", "-m", "pytest")
    assert all(step.description for step in result.setup)


def test_windows_gets_its_own_venv_paths() -> None:
    result = detected("python-pyproject", os_name="windows")
    assert argvs(result, "windows") == [
        ("py", "-m", "venv", ".venv"),
        (".venv\\Scripts\\python.exe", "-m", "pip", "install", "-e", ".[test]"),
    ]
    assert tools(result)["Python"].executable == "py"
    assert result.test is not None
    assert result.test.argv[0] == ".venv\\Scripts\\python.exe"


def test_setup_py_is_read_not_run() -> None:
    result = detected("python-setuppy")
    found = tools(result)
    assert found["Python"].version_wanted == ">=3.8"
    assert found["Python"].evidence == "setup.py: python_requires"
    assert found["tox"] == Toolchain("tox", "tox", ">=4.0", "tox.ini")
    assert (".venv/bin/python", "-m", "pip", "install", "-e", ".[tests]") in argvs(result)
    # the 'tests' extra brings pytest, so pytest beats the slower tox matrix
    assert result.test is not None and result.test.argv[-1] == "pytest"


def test_setup_cfg_and_noxfile() -> None:
    result = detected("python-setupcfg")
    found = tools(result)
    assert found["Python"].version_wanted == ">=3.9"
    assert found["Python"].evidence == "setup.cfg: options.python_requires"
    assert found["nox"].evidence == "noxfile.py"
    assert (".venv/bin/python", "-m", "pip", "install", "-e", ".[testing]") in argvs(result)


def test_poetry_project_uses_poetry() -> None:
    result = detected("python-poetry")
    found = tools(result)
    assert found["Python"].version_wanted == "^3.9"
    assert found["Poetry"].executable == "poetry"
    assert argvs(result) == [("poetry", "install")]
    assert result.test is not None and result.test.argv == ("poetry", "run", "pytest")


def test_uv_lock_means_uv_sync() -> None:
    result = detected("python-uv")
    assert tools(result)["uv"].evidence == "uv.lock"
    assert argvs(result) == [("uv", "sync")]
    assert result.test is not None and result.test.argv == ("uv", "run", "pytest")


def test_dependency_group_is_installed_with_pip_group() -> None:
    result = detected("python-group")
    assert argvs(result) == [
        ("python3", "-m", "venv", ".venv"),
        (".venv/bin/python", "-m", "pip", "install", "-e", "."),
        (".venv/bin/python", "-m", "pip", "install", "--group", "test"),
    ]
    assert tools(result)["tox"].evidence == "pyproject.toml: tool.tox"
    assert tools(result)["Python"].version_wanted == ">=3.9,<4"


def test_npm_project_with_lock_uses_npm_ci() -> None:
    result = detected("node-npm")
    found = tools(result)
    assert found["Node.js"] == Toolchain("Node.js", "node", ">=18.17", "package.json: engines.node")
    assert found["npm"].version_wanted == ">=9"
    assert argvs(result) == [("npm", "ci")]
    assert "package-lock.json" in result.setup[0].description
    assert result.test == SetupStep(
        ("npm", "test"), "Run the tests (the package's test script).", ()
    )


def test_package_manager_field_and_placeholder_test_script() -> None:
    result = detected("node-pnpm")
    found = tools(result)
    assert found["pnpm"].version_wanted == "9.1.0"  # the +sha512 suffix is not a version
    assert found["pnpm"].evidence == "package.json: packageManager"
    assert argvs(result) == [("pnpm", "install")]
    assert result.test is None  # npm's "no test specified" placeholder is not a test suite


def test_yarn_lock_means_yarn() -> None:
    result = detected("node-yarn")
    assert tools(result)["yarn"].evidence == "yarn.lock"
    assert tools(result)["Node.js"].version_wanted == "^18.0.0 || >=20.0.0"
    assert argvs(result) == [("yarn", "install")]
    assert result.test is not None and result.test.argv == ("yarn", "test")


def test_cargo_rust_version_is_enforced() -> None:
    result = detected("rust")
    rust = tools(result)["Rust"]
    assert (rust.executable, rust.version_wanted, rust.enforced) == ("cargo", "1.70", True)
    assert rust.evidence == "Cargo.toml: package.rust-version"
    assert argvs(result) == [("cargo", "build")]
    assert result.test is not None and result.test.argv == ("cargo", "test")


def test_cargo_workspace_rust_version() -> None:
    rust = tools(detected("rust-workspace"))["Rust"]
    assert rust.version_wanted == "1.74"
    assert rust.evidence == "Cargo.toml: workspace.package.rust-version"


def test_go_mod_directive() -> None:
    result = detected("go")
    assert tools(result)["Go"] == Toolchain("Go", "go", "1.22", "go.mod: go directive")
    assert argvs(result) == [("go", "build", "./...")]
    assert result.test is not None and result.test.argv == ("go", "test", "./...")


def test_tool_versions_known_plugins_only() -> None:
    result = detected("asdf")
    found = tools(result)
    assert found["Node.js"].version_wanted == "18.17.0"
    assert found["Node.js"].evidence == ".tool-versions: nodejs"
    assert found["Python"].version_wanted == "3.11.4"  # the first of several versions
    assert found["Go"].version_wanted == "1.21.6"
    assert "ruby" not in {tool.executable for tool in result.toolchains}
    assert result.setup == ()


def test_python_version_pin_alone() -> None:
    python = tools(detected("pyenv"))["Python"]
    assert (python.version_wanted, python.evidence) == ("3.12.1", ".python-version")


def test_devcontainer_with_comments_and_trailing_commas() -> None:
    found = tools(detected("devcontainer"))
    evidence = ".devcontainer/devcontainer.json"
    assert found["Python"].version_wanted == "3.12"  # from the tag 1-3.12-bookworm
    assert found["Python"].evidence == f"{evidence}: image"
    assert found["Node.js"].version_wanted == "18"
    assert found["Node.js"].evidence == f"{evidence}: features.node"
    assert found["Rust"].version_wanted is None  # "latest" is not a version
    assert "github-cli" not in found


def test_makefile_targets() -> None:
    result = detected("make")
    assert tools(result)["make"].evidence == "Makefile"
    assert argvs(result) == [("make", "setup")]
    assert result.test is not None and result.test.argv == ("make", "test")


def test_makefile_install_target_is_described_honestly() -> None:
    result = detected("make-install")
    assert argvs(result) == [("make", "install")]
    assert "whole computer" in result.setup[0].description
    assert result.test is not None and result.test.argv == ("make", "check")


def test_this_repository_detects_itself() -> None:
    root = Path(__file__).resolve().parents[2]
    result = detect(root, os_name="linux")
    assert tools(result)["Python"].version_wanted == ">=3.11"
    assert (".venv/bin/python", "-m", "pip", "install", "-e", ".[test]") in argvs(result)


def test_every_step_is_an_argv_list_of_fixed_programs() -> None:
    programs = {"python3", "py", "npm", "pnpm", "yarn", "cargo", "go", "make", "uv", "poetry"}
    for folder in sorted(PROJECTS.iterdir()):
        result = detect(folder, os_name="linux")
        for step in result.setup:
            assert isinstance(step.argv, tuple) and all(isinstance(a, str) for a in step.argv)
            assert step.argv[0] in programs or step.argv[0].startswith(".venv")
        for tool in result.toolchains:
            assert tool.executable in programs | {"node", "tox", "nox"}


# -- hostile and broken files ----------------------------------------------------------------


def test_missing_or_empty_folder(tmp_path: Path) -> None:
    assert detect(tmp_path / "nope").empty
    assert detect(tmp_path).empty


def test_broken_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text("{not json")
    (tmp_path / "pyproject.toml").write_text("[project\nname = ")
    (tmp_path / "Cargo.toml").write_bytes(b"\xff\xfe[package]\x00")
    result = detect(tmp_path, os_name="linux")
    assert "Node.js" not in tools(result)
    assert "Rust" not in tools(result)


def test_wrong_types_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(
        json.dumps({"engines": {"node": ["18"]}, "scripts": "npm test", "packageManager": 3})
    )
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nrequires-python = 3\n')
    result = detect(tmp_path, os_name="linux")
    assert tools(result)["Node.js"].version_wanted is None
    assert tools(result)["Python"].version_wanted is None
    assert result.test is None


def test_huge_file_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module x\n\ngo 1.22\n" + "// padding\n" * MAX_BYTES)
    assert detect(tmp_path).empty


def test_deep_nesting_does_not_crash(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / ".devcontainer.json").write_text('{"a":' * 50_000 + "1" + "}" * 50_000)
    assert "Node.js" not in tools(detect(tmp_path))


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_symlinks_out_of_the_project_are_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "Cargo.toml"
    secret.parent.mkdir()
    secret.write_text('[package]\nname = "secret"\nrust-version = "1.99"\n')
    project = tmp_path / "project"
    project.mkdir()
    (project / "Cargo.toml").symlink_to(secret)
    (project / "go.mod").symlink_to("/dev/zero")
    assert detect(project).empty


def test_versions_from_files_are_made_inert(tmp_path: Path) -> None:
    (tmp_path / ".nvmrc").write_text("\x1b]0;pwned\x07" + "9" * 500 + "\n")
    node = tools(detect(tmp_path))["Node.js"]
    assert node.version_wanted is not None
    assert "\x1b" not in node.version_wanted and len(node.version_wanted) <= 64


def test_json_with_comments_keeps_strings_intact() -> None:
    text = '{"url": "https://x//y", /* c */ "a": "/* no */", // end\n "b": [1, 2,],}'
    assert json.loads(without_trailing_commas(without_comments(text))) == {
        "url": "https://x//y",
        "a": "/* no */",
        "b": [1, 2],
    }
    assert without_trailing_commas('{"s": ",]"}') == '{"s": ",]"}'


def test_a_pre_commit_configuration_offers_the_projects_commit_checks(tmp_path: Path) -> None:
    assert detect(tmp_path).hooks == ()
    (tmp_path / ".pre-commit-config.yml").write_text("repos: []\n")
    found = detect(tmp_path)
    assert [step.argv for step in found.hooks] == [
        ("python", "-m", "pip", "install", "pre-commit"),
        ("python", "-m", "pre_commit", "install"),
    ]
    assert ".pre-commit-config.yml" in found.hooks[0].description
    assert not found.empty and found.setup == () and found.test is None
