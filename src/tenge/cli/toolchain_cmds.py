"""`tenge compile` and `tenge devnet up|down|status`."""

from __future__ import annotations

import time

import click

from tenge.cli.common import emit, json_option
from tenge.toolchain import anvil
from tenge.toolchain.compiler import compile_project


@click.command("compile")
@click.option("--force", is_flag=True, help="Compile even if nothing changed.")
@json_option
def compile_cmd(force: bool, as_json: bool) -> None:
    """Compile contracts/ into the package's artifacts (skips solc when nothing changed)."""
    started = time.monotonic()
    result = compile_project(force=force)
    elapsed = time.monotonic() - started
    for warning in result.warnings:
        click.echo(warning.rstrip(), err=True)
    state = "up to date" if result.cached else f"compiled {len(result.contracts)} contracts"
    emit(
        as_json,
        {"cached": result.cached, "contracts": result.contracts, "fingerprint": result.fingerprint, "seconds": round(elapsed, 3)},
        f"{state} in {elapsed:.2f}s (fingerprint {result.fingerprint[:12]})",
    )


@click.group("devnet")
def devnet() -> None:
    """Run a local anvil devnet from the project's node_modules."""


@devnet.command("up")
@click.option("--port", default=8545, show_default=True)
@click.option("--chain-id", default=anvil.DEFAULT_CHAIN_ID, show_default=True)
@click.option("--block-time", type=float, default=None, help="Seconds per block (default: mine on demand).")
@json_option
def devnet_up(port: int, chain_id: int, block_time: float | None, as_json: bool) -> None:
    """Start a devnet in the background and print its RPC URL and funded accounts."""
    running = anvil.status(port) is not None
    info = anvil.up(port=port, chain_id=chain_id, block_time=block_time)
    accounts = anvil.dev_accounts()
    data = {"rpcUrl": info.rpc_url, "chainId": info.chain_id, "pid": info.pid, "accounts": accounts, "alreadyRunning": running}
    state = "already running" if running else "running"
    lines = [f"devnet {state} at {info.rpc_url} (chain id {info.chain_id}, pid {info.pid})", "funded accounts (use --account dev:N):"]
    lines += [f"  dev:{i}  {a}" for i, a in enumerate(accounts)]
    emit(as_json, data, "\n".join(lines))


@devnet.command("down")
@click.option("--port", default=8545, show_default=True)
@json_option
def devnet_down(port: int, as_json: bool) -> None:
    """Stop the devnet started by `tenge devnet up`."""
    stopped = anvil.down(port)
    emit(as_json, {"stopped": stopped, "port": port}, "devnet stopped" if stopped else f"no devnet running on port {port}")


@devnet.command("status")
@click.option("--port", default=8545, show_default=True)
@json_option
def devnet_status(port: int, as_json: bool) -> None:
    """Tell whether a devnet is running."""
    info = anvil.status(port)
    if info is None:
        emit(as_json, {"running": False}, f"no devnet running on port {port}")
        raise click.exceptions.Exit(3)
    emit(as_json, {"running": True, "rpcUrl": info.rpc_url, "chainId": info.chain_id, "pid": info.pid},
         f"devnet running at {info.rpc_url} (chain id {info.chain_id}, pid {info.pid})")
