"""The environment variables, the configuration keys and the deployments/ folder are documented."""

from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner

from tenge import paths
from tenge.cli.main import cli
from tenge.config import NetworkTable

CHECKOUT = paths.PACKAGE_DIR.parent.parent
ENVIRONMENT = ("TENGE_KEYSTORE_PASSWORD", "TENGE_NEW_KEYSTORE_PASSWORD", "TENGE_IMPORT_KEY", "TENGE_PRIVATE_KEY", "TENGE_HOME", "TENGE_CONFIG",
               "TENGE_DEPLOYMENTS_DIR", "TENGE_PROJECT_ROOT", "TENGE_RPC_")  # fmt: skip


@pytest.mark.parametrize("name", [*ENVIRONMENT, "config.toml", *NetworkTable.model_fields])
def test_readme_and_help_document_the_environment_and_every_network_key(name: str) -> None:
    """The network keys come from the schema: a key added without documentation fails here."""
    help_text = CliRunner().invoke(cli, ["--help"]).output
    readme = (CHECKOUT / "README.md").read_text()
    assert name in help_text, f"`tenge --help` does not mention {name}"
    assert f"`{name}" in readme, f"README.md does not document {name}"


def test_deployments_folder_is_in_a_fresh_clone_with_its_readme() -> None:
    """Only gitignored records went to deployments/, so a clone had no such folder."""
    readme = CHECKOUT / "deployments" / "README.md"
    text = readme.read_text()
    for term in ("codeHash", "chainId", "pending", "committed", "gitignored", "TENGE_DEPLOYMENTS_DIR"):
        assert term in text

    def ignored(path: str) -> bool:
        done = subprocess.run(["git", "check-ignore", "-q", path], cwd=CHECKOUT, timeout=30)
        assert done.returncode in (0, 1), "git check-ignore failed"
        return done.returncode == 0

    assert not ignored("deployments/README.md"), "deployments/README.md is gitignored: a clone would not have it"
    assert ignored("deployments/local.json") and ignored("deployments/tester.json")
    assert not ignored("deployments/bsc-testnet.json") and not ignored("deployments/bsc.json")
