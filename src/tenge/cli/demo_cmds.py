"""`tenge demo`: the pilot scenario on a devnet of its own (what `make demo` runs)."""

from __future__ import annotations

import click

from tenge.cli.common import emit, json_option


@click.command("demo")
@json_option
def demo_cmd(as_json: bool) -> None:
    """Start a devnet, deploy the suite, run the school-lunch pilot, print a summary, stop the devnet."""
    from tenge.demo import run_demo

    summary = run_demo(say=(lambda line: None) if as_json else click.echo)
    data = {
        "rpcUrl": summary.rpc_url,
        "chainId": summary.chain_id,
        "contracts": summary.contracts,
        "steps": [{"step": label, "gasUsed": gas} for label, gas in summary.steps],
        "balances": {name: str(amount) for name, amount in summary.balances.items()},
        "facts": summary.facts,
    }
    lines = ["", "balances after the pilot:"]
    lines += [f"  {name:<22} {amount:>16,.2f} KZT" for name, amount in summary.balances.items()]
    lines += [f"{k}: {v}" for k, v in summary.facts.items()]
    lines.append("devnet stopped.")
    emit(as_json, data, "\n".join(lines))
