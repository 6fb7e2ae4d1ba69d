"""`tenge deployments show|export`: what is deployed where, for people (a table) and for other tools (hardhat-deploy's
folder layout, or one JSON file of addresses and ABIs for a frontend). Reads deployments/<network>.json only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from tenge.cli.common import TengeGroup, emit, json_option


@click.group("deployments", cls=TengeGroup)
def deployments_group() -> None:
    """Show and export deployment records (addresses, ABIs) for frontends and other tools."""


def _record(network: str) -> Any:
    from tenge.chain.networks import get_network
    from tenge.deploy.record import DeploymentRecord
    from tenge.errors import DeploymentError

    name = get_network(network).name
    record = DeploymentRecord.load(name)
    if record is None:
        raise DeploymentError(f"no deployment record for network {name!r} ({DeploymentRecord.path_for(name)}); "
                              f"run `tenge deploy --network {name}` first")  # fmt: skip
    return record


def _network_option(func: Any) -> Any:
    return click.option("--network", "-n", default="local", show_default=True, help="The network whose record to read.")(func)


@deployments_group.command("show")
@_network_option
@json_option
def show_cmd(network: str, as_json: bool) -> None:
    """A table of the recorded contracts: contract, address, block, deploy transaction, implementation (proxies)."""
    from tenge.deploy.export import rows

    record = _record(network)
    table = rows(record)
    header = ("contract", "address", "block", "tx", "implementation")
    cells = [(r["contract"], r["address"], f"{r['block']:,}" if r["block"] is not None else "", r["tx"] or "",
              r["implementation"] or "") for r in table]  # fmt: skip
    widths = [max(len(str(row[i])) for row in [header, *cells]) for i in range(len(header))]
    lines = [f"{record.network} (chain id {record.chain_id}), {record.path}"]
    lines += ["  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip() for row in [header, *cells]]
    emit(as_json, {"network": record.network, "chainId": record.chain_id, "contracts": table}, "\n".join(lines))


@deployments_group.command("export")
@_network_option
@click.option("--format", "fmt", type=click.Choice(["hardhat", "json"]), required=True,
              help="hardhat: hardhat-deploy's <out>/<network>/<Name>.json and .chainId; json: one file of addresses and ABIs.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write into (hardhat: default the deployments folder; json: default stdout, else "
                   "<out>/<network>.contracts.json).")
def export_cmd(network: str, fmt: str, out: Path | None) -> None:
    """Export a deployment record with addresses and ABIs: hardhat-deploy's layout or one JSON file."""
    from tenge import paths
    from tenge.deploy.export import as_json, write_hardhat

    record = _record(network)
    from tenge.cli.output_file import OutputError, output_folder, write_output

    if fmt == "hardhat":
        target_folder = output_folder(out or paths.deployments_dir())
        try:
            folder = write_hardhat(record, target_folder)
        except OSError as exc:
            raise OutputError(f"cannot write into {target_folder}: {exc.strerror or exc}") from None
        click.echo(f"wrote {len(record.contracts)} contracts and .chainId to {folder}")
        return
    text = json.dumps(as_json(record), indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    target = output_folder(out) / f"{record.network}.contracts.json"
    write_output(target, text)
    click.echo(f"wrote {len(record.contracts)} contracts to {target}")
