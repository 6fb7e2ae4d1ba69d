"""Compiler: artifacts committed up to date, cached recompiles, solc's own error messages."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tenge import paths
from tenge.cli.main import cli
from tenge.errors import CompileError
from tenge.toolchain import compiler


def test_committed_artifacts_are_built_from_current_sources() -> None:
    info = compiler.recorded_build_info()
    assert info is not None, "src/tenge/artifacts/build-info.json is missing: run `tenge compile` and commit"
    assert not compiler.is_stale(), (
        "the packaged artifacts are stale against contracts/: run `tenge compile` and commit src/tenge/artifacts"
    )
    assert set(info["contracts"]) >= {"DigitalTenge", "ERC1967Proxy"}


def test_build_info_records_pinned_compiler_and_settings() -> None:
    info = compiler.recorded_build_info()
    assert info is not None
    assert info["solcVersion"] == "0.8.28"
    assert info["solcLongVersion"].startswith("0.8.28+commit.")
    assert info["settings"]["evmVersion"] == "cancun"
    assert info["settings"]["optimizer"]["enabled"] is True


def test_artifacts_are_hardhat_format() -> None:
    artifact = json.loads((paths.ARTIFACTS_DIR / "DigitalTenge.json").read_text())
    for key in ("contractName", "sourceName", "abi", "bytecode", "deployedBytecode", "linkReferences"):
        assert key in artifact
    assert artifact["sourceName"] == "contracts/token/DigitalTenge.sol"
    assert artifact["bytecode"].startswith("0x") and len(artifact["bytecode"]) > 1000


def test_second_compile_is_cached_without_solc(monkeypatch: pytest.MonkeyPatch) -> None:
    # The artifacts are current (previous test), so nothing may start solc: make starting it fail loudly.
    monkeypatch.setattr(compiler, "_run_solc", lambda root: pytest.fail("solc was started for a no-op compile"))
    result = compiler.compile_project()
    assert result.cached is True


def _scratch_project(tmp_path: Path, source: str) -> Path:
    root = tmp_path / "project"
    (root / "contracts").mkdir(parents=True)
    (root / "scripts").mkdir()
    shutil.copy(paths.solc_shim(), root / "scripts" / "solc")
    os.symlink(paths.project_root() / "node_modules", root / "node_modules")
    (root / "contracts" / "Broken.sol").write_text(source)
    return root


BROKEN = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Broken {
    function f() external pure returns (uint256) {
        return undefinedThing;
    }
}
"""


def test_compile_error_shows_solc_message_with_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _scratch_project(tmp_path, BROKEN)
    monkeypatch.setenv("TENGE_PROJECT_ROOT", str(root))
    with pytest.raises(CompileError) as caught:
        compiler.compile_project(artifacts_dir=tmp_path / "out")
    message = str(caught.value)
    assert "contracts/Broken.sol:6:16" in message
    assert "Undeclared identifier" in message
    assert not (tmp_path / "out").exists(), "a failed compile must not write artifacts"


def test_cli_compile_error_exits_non_zero(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _scratch_project(tmp_path, BROKEN)
    monkeypatch.setenv("TENGE_PROJECT_ROOT", str(root))
    monkeypatch.setattr(paths, "ARTIFACTS_DIR", tmp_path / "out")
    result = CliRunner().invoke(cli, ["compile"])
    assert result.exit_code != 0
    assert "Broken.sol:6:16" in result.output


#: EIP-170: BSC, opBNB and anvil refuse to deploy runtime code above this size.
MAX_RUNTIME_BYTES = 24_576


def test_every_deployable_contract_fits_eip170() -> None:
    from tenge.contracts import artifact_names, load_artifact

    oversized = {}
    for name in artifact_names():
        size = len(bytes.fromhex(load_artifact(name).deployed_bytecode.removeprefix("0x")))
        if size > MAX_RUNTIME_BYTES:
            oversized[name] = size
    assert not oversized, f"runtime code over EIP-170's {MAX_RUNTIME_BYTES} bytes: {oversized}"
