"""Where things live: the project checkout (when there is one), the packaged artifacts, user config."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: Compiled contracts shipped inside the package, so `pip install` users need neither Node nor solc.
ARTIFACTS_DIR = PACKAGE_DIR / "artifacts"


def project_root() -> Path:
    """The checkout holding ``contracts/`` and ``node_modules/``: ``$TENGE_PROJECT_ROOT`` or the source tree."""
    override = os.environ.get("TENGE_PROJECT_ROOT")
    if override:
        return Path(override).resolve()
    # src/tenge/paths.py -> the checkout is two levels above the package.
    return PACKAGE_DIR.parent.parent


def contracts_dir() -> Path:
    return project_root() / "contracts"


def node_bin(name: str) -> Path:
    """A tool installed by ``npm ci`` into the project's ``node_modules/.bin``."""
    return project_root() / "node_modules" / ".bin" / name


def solc_shim() -> Path:
    """The ``solc`` stand-in over the pinned npm solcjs package."""
    return project_root() / "scripts" / "solc"


def deployments_dir() -> Path:
    override = os.environ.get("TENGE_DEPLOYMENTS_DIR")
    return Path(override).resolve() if override else project_root() / "deployments"


def user_config_dir() -> Path:
    """Per-user state: keystores, devnet pid files. ``$TENGE_HOME`` or ``$XDG_CONFIG_HOME/tenge``."""
    override = os.environ.get("TENGE_HOME")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "tenge"
