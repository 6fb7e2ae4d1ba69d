"""Where things live: the project checkout (when there is one), the packaged artifacts, records, user config.

Environment: ``TENGE_PROJECT_ROOT`` (the checkout, for a wheel install), ``TENGE_DEPLOYMENTS_DIR`` (records),
``TENGE_HOME`` (keystores, devnet state, ``config.toml``).
"""

from __future__ import annotations

import os
from pathlib import Path

from tenge.errors import ToolchainMissing

PACKAGE_DIR = Path(__file__).resolve().parent
#: Compiled contracts shipped inside the package, so `pip install` users need neither Node nor solc.
ARTIFACTS_DIR = PACKAGE_DIR / "artifacts"


def source_checkout() -> Path | None:
    """The project checkout: ``$TENGE_PROJECT_ROOT``, else the source tree this package runs from (an
    editable install, ``make bootstrap``); None for a wheel (pip) install, which has only the package."""
    override = os.environ.get("TENGE_PROJECT_ROOT")
    if override:
        root = Path(override).resolve()
        if not (root / "contracts").is_dir():
            raise ToolchainMissing(f"TENGE_PROJECT_ROOT={override} is not a project checkout (no contracts/ folder)")
        return root
    # src/tenge/paths.py -> the checkout is two levels above the package.
    root = PACKAGE_DIR.parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "contracts").is_dir() else None


def project_root() -> Path:
    """The checkout holding ``contracts/`` and ``node_modules/``; refuses a wheel install, which has none."""
    root = source_checkout()
    if root is None:
        raise ToolchainMissing(
            "this command needs the project checkout (contracts/, node_modules/), and tenge is installed from a "
            "wheel, which ships only the compiled contracts: clone the project and run `make bootstrap` there, "
            "or set TENGE_PROJECT_ROOT to such a checkout"
        )
    return root


def contracts_dir() -> Path:
    return project_root() / "contracts"


def node_bin(name: str) -> Path:
    """A tool installed by ``npm ci`` into the project's ``node_modules/.bin``."""
    return project_root() / "node_modules" / ".bin" / name


def solc_shim() -> Path:
    """The ``solc`` stand-in over the pinned npm solcjs package."""
    return project_root() / "scripts" / "solc"


def deployments_dir() -> Path:
    """Deployment records: ``$TENGE_DEPLOYMENTS_DIR``, else ``deployments/`` of the checkout, else (a wheel
    install) ``deployments/`` in the working directory — never inside the installed package."""
    override = os.environ.get("TENGE_DEPLOYMENTS_DIR")
    if override:
        return Path(override).resolve()
    root = source_checkout()
    return (root or Path.cwd()) / "deployments"


def user_config_dir() -> Path:
    """Per-user state: keystores, devnet pid files. ``$TENGE_HOME`` or ``$XDG_CONFIG_HOME/tenge``."""
    override = os.environ.get("TENGE_HOME")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "tenge"
