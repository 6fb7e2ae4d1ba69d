"""`tenge token ...`: operate the DigitalTenge token (a thin layer over tenge.token.client).

Every argument is validated by its click type (amount, address, reference) before a connection
is opened; a call the contract would reject is estimated first and refused with its decoded
custom error. Either way nothing is sent and the exit code is non-zero.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import click

from tenge.cli.common import ADDRESS, AMOUNT, TengeGroup, emit, json_option, open_session, reader_options, signer_options
from tenge.cli.display import set_currency
from tenge.cli.role_cmds import role_group
from tenge.cli.token_params import CAP, REFERENCE, ROLE, TIER, TIMESTAMP, UNLIMITED
from tenge.cli.token_offline_cmds import offline_group
from tenge.cli.tx_output import done

if TYPE_CHECKING:
    from tenge.token.client import DigitalTengeClient


def _client(network: str, rpc_url: str | None, account: str | None, *, read_only: bool = False) -> "DigitalTengeClient":
    token = open_session(network, rpc_url, account, read_only=read_only).token()
    set_currency(lambda: token.currency)
    return token


@click.group("token", cls=TengeGroup)
def token_group() -> None:
    """Operate the DigitalTenge token: payments, issuance, compliance, reserve, roles, offline payments."""


token_group.add_command(offline_group)


# --- views -------------------------------------------------------------------------------------------


@token_group.command("info")
@reader_options
@json_option
def info_cmd(network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Name, currency, supply, pause state and reserve of the deployed token."""
    token = _client(network, rpc_url, account, read_only=True)
    reserve = token.reserve()
    data = {
        "address": token.address,
        "name": token.name,
        "symbol": token.symbol,
        "currency": token.currency,
        "decimals": token.decimals,
        "totalSupply": token.total_supply(),
        "paused": token.paused(),
        "reserve": reserve.amount,
        "reserveAttestedAt": reserve.attested_at,
        "reserveGating": reserve.gating_enabled,
        "maxAttestationAge": reserve.max_attestation_age,
    }
    emit(as_json, data)


@token_group.command("balance")
@click.argument("address", type=ADDRESS, required=False)
@reader_options
@json_option
def balance_cmd(address: str | None, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Balance, spendable and frozen amounts, freeze flag and KYC tier of ADDRESS (default: the signer)."""
    token = _client(network, rpc_url, account, read_only=address is not None)
    state = token.account(address or token.me)
    emit(as_json, state.to_dict())


# --- payments ----------------------------------------------------------------------------------------


@token_group.command("transfer")
@click.argument("to", type=ADDRESS)
@click.argument("amount", type=AMOUNT)
@signer_options
@json_option
def transfer_cmd(to: str, amount: Decimal, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Send AMOUNT tenge to TO."""
    result = _client(network, rpc_url, account).transfer(to, amount)
    done(as_json, "transfer", result, to=to, amount=amount)


@token_group.command("approve")
@click.argument("spender", type=ADDRESS)
@click.argument("amount", type=AMOUNT)
@signer_options
@json_option
def approve_cmd(spender: str, amount: Decimal, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Let SPENDER spend up to AMOUNT tenge of the signer's (0 revokes)."""
    result = _client(network, rpc_url, account).approve(spender, amount)
    done(as_json, "approve", result, spender=spender, amount=amount)


def receipts_bar(label: str, chunks: int) -> Any:
    """The chunks' receipts as a progress bar on stderr (stdout stays for the result, or its JSON)."""
    from tenge.cli.progress import receipts_bar as bar

    return bar(label, chunks)


def _payout_file(path: str) -> list[Any]:
    from tenge.token.payouts import read_payout_csv

    return read_payout_csv(path)


@token_group.command("payout")
@click.argument("csv_file", type=click.Path(dir_okay=False))
@click.option("--chunk-size", type=click.IntRange(1, 1000), default=250, show_default=True, help="Recipients per transaction.")
@signer_options
@json_option
def payout_cmd(csv_file: str, chunk_size: int, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Batch transfer from the signer to every 'address,amount' row of CSV_FILE."""
    from tenge.token.payouts import total

    rows = _payout_file(csv_file)
    bar = receipts_bar("payout", -(-len(rows) // chunk_size))
    results = _client(network, rpc_url, account).batch_transfer(rows, chunk_size=chunk_size, progress=bar)
    done(as_json, "payout", results, recipients=len(rows), total=total(rows))


# --- issuance ----------------------------------------------------------------------------------------


@token_group.command("mint")
@click.argument("to", type=ADDRESS)
@click.argument("amount", type=AMOUNT)
@signer_options
@json_option
def mint_cmd(to: str, amount: Decimal, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Mint AMOUNT tenge to TO within the signing bank's allowance (MINTER_ROLE)."""
    result = _client(network, rpc_url, account).mint(to, amount)
    done(as_json, "mint", result, to=to, amount=amount)


@token_group.command("batch-mint")
@click.argument("csv_file", type=click.Path(dir_okay=False))
@click.option("--chunk-size", type=click.IntRange(1, 1000), default=250, show_default=True, help="Recipients per transaction.")
@signer_options
@json_option
def batch_mint_cmd(csv_file: str, chunk_size: int, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Mint to every 'address,amount' row of CSV_FILE (MINTER_ROLE)."""
    from tenge.token.payouts import total

    rows = _payout_file(csv_file)
    bar = receipts_bar("batch-mint", -(-len(rows) // chunk_size))
    results = _client(network, rpc_url, account).batch_mint(rows, chunk_size=chunk_size, progress=bar)
    done(as_json, "batch-mint", results, recipients=len(rows), total=total(rows))


@token_group.command("burn")
@click.argument("amount", type=AMOUNT)
@signer_options
@json_option
def burn_cmd(amount: Decimal, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Burn AMOUNT of the signing bank's own holdings (MINTER_ROLE)."""
    result = _client(network, rpc_url, account).burn(amount)
    done(as_json, "burn", result, amount=amount)


@token_group.command("redeem")
@click.argument("bank", type=ADDRESS)
@click.argument("amount", type=AMOUNT)
@click.option("--reference", "-r", type=REFERENCE, required=True, help="Payment reference for the bank (≤ 32 bytes).")
@signer_options
@json_option
def redeem_cmd(bank: str, amount: Decimal, reference: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Redeem AMOUNT at BANK into the signer's non-cash account (the tokens are burned)."""
    result = _client(network, rpc_url, account).redeem(bank, amount, reference)
    done(as_json, "redeem", result, bank=bank, amount=amount, reference=reference)


@token_group.group("allowance", cls=TengeGroup)
def allowance_group() -> None:
    """Banks' mint allowances (set by ISSUER_ROLE)."""


@allowance_group.command("get")
@click.argument("minter", type=ADDRESS)
@reader_options
@json_option
def allowance_get_cmd(minter: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """The remaining mint allowance of MINTER."""
    allowance = _client(network, rpc_url, account, read_only=True).minter_allowance(minter)
    emit(as_json, {"minter": minter, "allowance": allowance})


@allowance_group.command("set")
@click.argument("minter", type=ADDRESS)
@click.argument("amount", type=AMOUNT)
@signer_options
@json_option
def allowance_set_cmd(minter: str, amount: Decimal, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Set MINTER's mint allowance to AMOUNT (0 revokes)."""
    result = _client(network, rpc_url, account).set_minter_allowance(minter, amount)
    done(as_json, "set minter allowance", result, minter=minter, allowance=amount)


# --- compliance --------------------------------------------------------------------------------------


@token_group.group("tier", cls=TengeGroup)
def tier_group() -> None:
    """KYC tiers (0 = not approved)."""


@tier_group.command("get")
@click.argument("address", type=ADDRESS)
@reader_options
@json_option
def tier_get_cmd(address: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """The KYC tier of ADDRESS and its holding cap."""
    token = _client(network, rpc_url, account, read_only=True)
    tier = token.tier_of(address)
    cap = token.tier_cap(tier)
    emit(as_json, {"address": address, "tier": tier, "cap": "unlimited" if cap is None else cap})


@tier_group.command("set")
@click.argument("address", type=ADDRESS)
@click.argument("tier", type=TIER)
@click.option("--over-cap", is_flag=True, help="Set it though ADDRESS holds more than the tier's cap (it keeps the "
              "balance but can receive nothing until it is below the cap).")
@signer_options
@json_option
def tier_set_cmd(address: str, tier: int, over_cap: bool, network: str, rpc_url: str | None, account: str | None,
                 as_json: bool) -> None:  # fmt: skip
    """Set the KYC tier of ADDRESS (0 revokes approval; COMPLIANCE_ROLE). A balance above the new tier's cap is
    refused without --over-cap."""
    result = _client(network, rpc_url, account).set_tier(address, tier, over_cap=over_cap)
    done(as_json, "set tier", result, address=address, tier=tier)


@token_group.group("tier-cap", cls=TengeGroup)
def tier_cap_group() -> None:
    """Holding caps per KYC tier."""


@tier_cap_group.command("get")
@click.argument("tier", type=TIER)
@reader_options
@json_option
def tier_cap_get_cmd(tier: int, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """The holding cap of TIER."""
    cap = _client(network, rpc_url, account, read_only=True).tier_cap(tier)
    emit(as_json, {"tier": tier, "cap": "unlimited" if cap is None else cap})


@tier_cap_group.command("set")
@click.argument("tier", type=TIER)
@click.argument("cap", type=CAP)
@signer_options
@json_option
def tier_cap_set_cmd(tier: int, cap: Decimal | str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Set the holding cap of TIER to CAP tenge, or 'unlimited' (COMPLIANCE_ROLE)."""
    result = _client(network, rpc_url, account).set_tier_cap(tier, None if cap == UNLIMITED else cap)
    done(as_json, "set tier cap", result, tier=tier, cap=cap)


@token_group.command("freeze")
@click.argument("address", type=ADDRESS)
@click.option("--amount", type=AMOUNT, default=None, help="Freeze only this much more (default: the whole account).")
@signer_options
@json_option
def freeze_cmd(address: str, amount: Decimal | None, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Freeze ADDRESS wholly, or an amount of it (COMPLIANCE_ROLE)."""
    result = _client(network, rpc_url, account).freeze(address, amount)
    done(as_json, "freeze", result, address=address, amount="whole account" if amount is None else amount)


@token_group.command("unfreeze")
@click.argument("address", type=ADDRESS)
@click.option("--amount", type=AMOUNT, default=None, help="Release only this much of the frozen amount.")
@signer_options
@json_option
def unfreeze_cmd(address: str, amount: Decimal | None, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Lift the whole-account freeze of ADDRESS, or release an amount (COMPLIANCE_ROLE)."""
    result = _client(network, rpc_url, account).unfreeze(address, amount)
    done(as_json, "unfreeze", result, address=address, amount="whole account" if amount is None else amount)


@token_group.command("force-transfer")
@click.argument("from_address", metavar="FROM", type=ADDRESS)
@click.argument("to", type=ADDRESS)
@click.argument("amount", type=AMOUNT)
@click.option("--reference", "-r", type=REFERENCE, required=True, help="Legal reference, e.g. the court order (≤ 32 bytes).")
@signer_options
@json_option
def force_transfer_cmd(
    from_address: str, to: str, amount: Decimal, reference: str, network: str, rpc_url: str | None, account: str | None, as_json: bool
) -> None:
    """Court-ordered transfer of AMOUNT from FROM to TO (COMPLIANCE_ROLE)."""
    result = _client(network, rpc_url, account).force_transfer(from_address, to, amount, reference)
    done(as_json, "forced transfer", result, **{"from": from_address}, to=to, amount=amount, reference=reference)


@token_group.command("wipe")
@click.argument("from_address", metavar="FROM", type=ADDRESS)
@click.argument("amount", type=AMOUNT)
@click.option("--reference", "-r", type=REFERENCE, required=True, help="Legal reference, e.g. the court order (≤ 32 bytes).")
@signer_options
@json_option
def wipe_cmd(from_address: str, amount: Decimal, reference: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Court-ordered burn of AMOUNT from frozen FROM (COMPLIANCE_ROLE)."""
    result = _client(network, rpc_url, account).wipe(from_address, amount, reference)
    done(as_json, "wipe", result, **{"from": from_address}, amount=amount, reference=reference)


@token_group.command("recover")
@click.argument("lost", type=ADDRESS)
@click.argument("new", type=ADDRESS)
@click.option("--reference", "-r", type=REFERENCE, required=True, help="Legal reference of the recovery (≤ 32 bytes).")
@signer_options
@json_option
def recover_cmd(lost: str, new: str, reference: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Move balance, frozen amount, tier and flags from the LOST key to the approved, empty NEW key."""
    result = _client(network, rpc_url, account).recover(lost, new, reference)
    done(as_json, "recover", result, lost=lost, new=new, reference=reference)


# --- pause, reserve ----------------------------------------------------------------------------------


@token_group.command("pause")
@signer_options
@json_option
def pause_cmd(network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Stop transfers, mints and burns (PAUSER_ROLE)."""
    done(as_json, "pause", _client(network, rpc_url, account).pause())


@token_group.command("unpause")
@signer_options
@json_option
def unpause_cmd(network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Resume transfers, mints and burns (PAUSER_ROLE)."""
    done(as_json, "unpause", _client(network, rpc_url, account).unpause())


@token_group.command("attest-reserve")
@click.argument("amount", type=AMOUNT)
@click.option("--at", "attested_at", type=TIMESTAMP, default=None, help="Unix time of the attestation (default: latest block).")
@signer_options
@json_option
def attest_reserve_cmd(
    amount: Decimal, attested_at: int | None, network: str, rpc_url: str | None, account: str | None, as_json: bool
) -> None:
    """Post the attested reserve AMOUNT (RESERVE_ATTESTOR_ROLE)."""
    result = _client(network, rpc_url, account).attest_reserve(amount, attested_at)
    done(as_json, "attest reserve", result, amount=amount)


@token_group.command("reserve-gating")
@click.argument("state", type=click.Choice(["on", "off"]))
@click.option("--max-age", type=click.IntRange(0, 2**64 - 1), default=None, help="Maximum attestation age in seconds (default: unchanged).")
@signer_options
@json_option
def reserve_gating_cmd(
    state: str, max_age: int | None, network: str, rpc_url: str | None, account: str | None, as_json: bool
) -> None:
    """Switch reserve-gated minting on or off (DEFAULT_ADMIN_ROLE)."""
    token = _client(network, rpc_url, account)
    age = token.reserve().max_attestation_age if max_age is None else max_age
    result = token.set_reserve_gating(state == "on", age)
    done(as_json, "reserve gating", result, enabled=state == "on", maxAttestationAge=age)


# --- roles -------------------------------------------------------------------------------------------

token_group.add_command(
    role_group(_client, ROLE, "issuer, minter, compliance, pauser, reserve-attestor, upgrader, token-bridge, admin")
)
