"""`tenge pilot` / `make demo`: the whole digital-tenge pilot across two chains with real services, then the report
(summary on the terminal, ``pilot-report.json`` and the self-contained ``pilot-report.html``)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tenge import paths
from tenge.pilot.record import PilotRecord, Say
from tenge.pilot.report_html import write_html
from tenge.pilot.report_json import summary_text, write_json
from tenge.pilot.steps_bridge import step6_bridge
from tenge.pilot.steps_home import (
    forget_sessions,
    sample,
    step1_allowances_and_kyc,
    step2_issuance,
    step3_programme,
    step4_lunches,
    step5_redeem_and_reclaim,
)
from tenge.pilot.steps_more import (
    closing_figures,
    deploy_other_currencies,
    step7_rewards_gold_som,
)
from tenge.pilot.steps_more import step8_compliance_and_audit
from tenge.pilot.steps_offline import step_village_shop
from tenge.pilot.world import PilotWorld, pilot_world


@dataclass(frozen=True)
class PilotResult:
    report: dict[str, Any]
    json_path: Path
    html_path: Path


def run_pilot(out_dir: Path, say: Say = print, *, work_dir: Path | None = None) -> PilotResult:
    """Play the pilot; write the report into ``out_dir``. Every process started is stopped when this returns or
    raises (Ctrl-C and SIGTERM included). ``work_dir`` keeps the chains' records, stores and logs (default: a
    temporary folder, removed)."""
    rec = PilotRecord(say)
    forget_sessions()
    if paths.source_checkout() is not None:
        from tenge.toolchain.compiler import compile_project

        compiled = compile_project()
        say(f"compile: {'up to date' if compiled.cached else f'{len(compiled.contracts)} contracts'}")
    with tempfile.TemporaryDirectory(prefix="tenge-pilot-") as scratch:
        folder = work_dir or Path(scratch)
        with pilot_world(folder, say) as world:
            _play(world, rec)
    rec.finish()
    report = rec.to_dict()
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, html_path = write_json(report, out_dir / "pilot-report.json"), write_html(report, out_dir / "pilot-report.html")
    for line in summary_text(report).splitlines():
        say(line)
    say(f"report: {json_path} and {html_path}")
    return PilotResult(report, json_path, html_path)


def _play(world: PilotWorld, rec: PilotRecord) -> None:
    world.start_chains()
    world.deploy_bridge_suite()
    rec.deployments.update(world.deployments)
    rec.say("services: five validators (3 of 5) and the relayer, each a `tenge` process with its SQLite store")
    world.start_validators(wait=False)  # they start while steps 1-5 play at home; step 6 waits for them
    world.start_relayer("pilot-1", wait=False)
    sample(world, rec, "deployed")
    step1_allowances_and_kyc(world, rec)
    step2_issuance(world, rec)
    step_village_shop(world, rec)  # right after issuance: Kaspi mints its guarantee against a fresh reserve figure
    pid = step3_programme(world, rec)
    step4_lunches(world, rec, pid)
    step5_redeem_and_reclaim(world, rec, pid)
    deployed = deploy_other_currencies(world)
    step6_bridge(world, rec)
    step7_rewards_gold_som(world, rec, deployed)
    rec.deployments.update(world.deployments)
    step8_compliance_and_audit(world, rec)
    closing_figures(world, rec)
    rec.services = [
        {"name": s.name, "pid": s.process.pid if s.process else None, "port": s.port, "exit": s.process.poll() if s.process else None}
        for s in (*world.validators, *world.relayers)
    ]
