"""`tenge verify`: publish the deployed contracts' source code on the block explorer, or prove offline that the
recorded standard-JSON input reproduces the deployed code (``--check``; exit 3 on a difference)."""

from __future__ import annotations

import click

from tenge.cli.common import emit, json_option, network_options
from tenge.cli.exit_codes import CHANGES_NOT_APPLIED


@click.command("verify")
@network_options
@click.option("--check", is_flag=True,
              help="Offline: compile the recorded standard-JSON input and compare each contract's runtime code with "
                   "the chain's (immutables masked); exit 3 on any difference. Submits nothing.")
@click.option("--contract", "keys", multiple=True, metavar="KEY",
              help="Only this record key (repeatable; default every recorded contract).")
@click.option("--poll-interval", type=click.FloatRange(min=0), default=5.0, show_default=True, metavar="SECONDS",
              help="How often the explorer is asked for its verdict.")
@click.option("--wait", "wait_seconds", type=click.FloatRange(min=0), default=300.0, show_default=True,
              metavar="SECONDS", help="How long to wait for each verdict.")
@json_option
def verify_cmd(
    network: str, rpc_url: str | None, check: bool, keys: tuple[str, ...], poll_interval: float, wait_seconds: float,
    as_json: bool,
) -> None:  # fmt: skip
    """Verify the deployed contracts' source code on the network's block explorer (BscScan, opBNBScan).

    Each contract in deployments/<network>.json is submitted with the standard-JSON input recorded by
    `tenge compile` (every source and the settings), its fully qualified name, the compiler version and its
    constructor arguments (a proxy: its implementation and initializer call); a proxy is then linked to its
    implementation. The API key is read from the network's environment variable ($TENGE_BSCSCAN_API_KEY on BSC,
    $TENGE_OPBNBSCAN_API_KEY on opBNB).
    """
    if check:
        _check(network, rpc_url, keys, as_json)
        return
    from tenge.chain.networks import get_network
    from tenge.deploy.explorer import Explorer
    from tenge.deploy.record import DeploymentRecord
    from tenge.deploy.verification import build_info, source_code, submissions
    from tenge.errors import DeploymentError

    net = get_network(network)
    progress = None if as_json else (lambda text: click.echo(text, err=True))
    # The explorer and its key are checked first: without them nothing can be done.
    explorer = Explorer.for_network(net, net.chain_id or 0, poll_seconds=poll_interval, wait_seconds=wait_seconds,
                                    progress=progress)  # fmt: skip
    record = DeploymentRecord.load(net.name)
    if record is None:
        raise DeploymentError(f"no deployment record for network {net.name!r} ({DeploymentRecord.path_for(net.name)}); "
                              f"run `tenge deploy --network {net.name}` first")  # fmt: skip
    explorer.chain_id = record.chain_id
    code = source_code(build_info())
    results = []
    for submission in submissions(record, keys):
        results.append(explorer.verify(submission, code))
        if submission.implementation is not None:
            implementation = record.contracts[submission.implementation]["address"]
            results.append(explorer.link_proxy(submission, implementation))
    lines = [f"  {r.status:<16} {r.key:<28} {r.address}  {r.detail}" for r in results]
    emit(as_json, {"network": net.name, "explorer": explorer.api_url, "contracts": [r.__dict__ for r in results]},
         "\n".join([f"verified on {explorer.api_url}:", *lines]))  # fmt: skip


def _check(network: str, rpc_url: str | None, keys: tuple[str, ...], as_json: bool) -> None:
    from tenge.chain.connection import connect
    from tenge.chain.networks import get_network
    from tenge.deploy.record import DeploymentRecord
    from tenge.deploy.verification import reproduce

    net = get_network(network)
    w3 = connect(net, rpc_url=rpc_url)
    record = DeploymentRecord.require(net.name, w3.eth.chain_id)
    results = reproduce(w3, record, keys=keys)
    lines = [f"  {'match' if r.matches else 'MISMATCH':<8} {r.key:<28} {r.address}  {r.contract_name}: {r.detail}"
             for r in results]  # fmt: skip
    data = {"network": net.name, "matches": all(r.matches for r in results), "contracts": [r.__dict__ for r in results]}
    emit(as_json, data, "\n".join([f"recorded standard-JSON input compiled and compared with {net.name}:", *lines]))
    if not data["matches"]:
        bad = ", ".join(r.key for r in results if not r.matches)
        click.echo(f"the recorded input does not reproduce the deployed code of: {bad}", err=True)
        raise click.exceptions.Exit(CHANGES_NOT_APPLIED)
