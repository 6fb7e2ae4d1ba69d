"""The bad-input matrix: every way a user or an integrator can get the input wrong, through the `tenge` CLI
(click's CliRunner against the test devnet) and through the SDK.

Each case must give its specific error (the SDK's exception class and message; the CLI's message on stderr,
its exit code, no traceback), must print no private key, and must send nothing: the block number and every
dev account's nonce are the same after it as before. Keystores are mode 600 and raw keys are refused on
networks that are not local.
"""

from __future__ import annotations

import os
import re
import json
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from bad_input_world import (
    ADMIN,
    ALL_DEV_KEYS,
    BRIDGE_VALIDATORS,
    PEER_BRIDGE,
    PEER_CHAIN,
    LEAKY,
    NO_CODE,
    OPS,
    PASSWORD,
    PAYEE,
    PASTED_KEY,
    PAYER,
    SHOP,
    SHOP_ID,
    TOKEN_AMOUNT_OFFSET,
    VAT_AMOUNT_OFFSET,
    BadWorld,
    altered_amount,
    build_world,
    flip_char,
    key_hex,
    port_of,
    rpc,
    token_at,
    token_at_vat,
)
from click.testing import CliRunner
from eth_account import Account
from gate_summary import count
import bad_input_offline as off
from web3 import Web3

import tenge.errors as errors
from tenge.bridge.payloads import send_with_payload
from tenge.cli.bridge_params import PAYLOAD
from tenge.amounts import MAX_TIYN
from tenge.bridge.attestations import load_attestations
from tenge.bridge.status import transfer_status
from tenge.bridge.validator.store import StoreError
from tenge.chain import accounts
from tenge.chain.lifecycle import TxWatcher
from tenge.chain.fees import FeeOverrides
from tenge.chain.networks import get_network
from tenge.programmes.signing import SignedClaim
from tenge.deploy.explorer import Explorer
from tenge.cli.main import cli
from tenge.deploy.deployer import Deployer
from tenge.deploy.dry_run import dry_run
from tenge.deploy.suite import suite_plan
from tenge.deploy.suite_config import load_suite_config
from tenge.pilot.run import run_pilot
from tenge.index.db import IndexDatabaseError
from tenge.toolchain.anvil import free_port
from tenge.bridge.relayer.settings import load_settings
from tenge.bridge.replacement import replace_remote_bridge
from tenge.bridge.relayer.store import RelayerStoreError, Store
from tenge.payments.offline import PREFIX as VAT_PREFIX
from tenge.session import Session
from tenge.payments.periods import Period
from tenge.times import DEFAULT_TIMEZONE
from tenge.token.offline import PREFIX as TOKEN_PREFIX
from tenge.token.offline import OfflinePaymentRejected
from tenge.toolchain import anvil
from tenge.toolchain.compiler import compile_project
from tenge.offline.device import PurseExhausted
from tenge.offline import terminal as purse_terminal

Suite = Any  # the root conftest's Suite
Env = dict[str, str | None]

#: Beyond uint256 by one tiyn, and beyond a VAT payment's uint96 by one tiyn.
BEYOND_UINT256 = f"{(MAX_TIYN + 1) // 100}.{(MAX_TIYN + 1) % 100:02d}"
BEYOND_UINT96 = f"{2**96 // 100}.{2**96 % 100:02d}"


@dataclass(frozen=True)
class BadInput:
    name: str
    error: type[errors.TengeError]
    #: the specific message (a regex), in the SDK's exception and on the CLI's stderr
    message: str
    cli: Callable[[BadWorld], list[str]] | None = None
    sdk: Callable[[BadWorld], object] | None = None
    exit_code: int = 1
    env: Callable[[BadWorld], Env] | None = None
    setup: Callable[[BadWorld], None] | None = None


def tenge(*command: str, positionals: tuple[str, ...] = (), network: str = "local", rpc_url: str | None = None,
          account: str = f"dev:{PAYER}") -> Callable[[BadWorld], list[str]]:  # fmt: skip
    """A CLI invocation: ``command``, network options, then ``--`` and the positional arguments."""

    def argv(w: BadWorld) -> list[str]:
        url = rpc_url or w.rpc_url
        if url.startswith("$"):
            url = w.vars[url[1:]]
        values = [w.vars[p[1:]] if p.startswith("$") else p for p in positionals]
        return [*command, "--network", network, "--rpc-url", url, "--account", account, "--", *values]

    return argv


def _bad_checksum(address: str) -> str:
    """``address`` with the case of one letter flipped: a wrong EIP-55 checksum."""
    i = next(i for i, ch in enumerate(address[2:], start=2) if ch.isalpha())
    return address[:i] + address[i].swapcase() + address[i + 1 :]


PAYEE_ADDRESS = str(ALL_DEV_KEYS[PAYEE].address)
BAD_CHECKSUM = _bad_checksum(PAYEE_ADDRESS)
def _invoice_5_paid(w: BadWorld) -> None:
    """The payer has paid invoice 5 of the shop's invoice book."""
    if not w.vat(PAYER).invoice_paid(SHOP_ID, 5):
        w.vat(PAYER).pay_invoice(SHOP_ID, 5, "11.60", "INV-5")


def _set(name: str, make: Callable[[BadWorld], str]) -> Callable[[BadWorld], None]:
    def setup(w: BadWorld) -> None:
        w.vars[name] = make(w)

    return setup


def _suite_only(w: BadWorld) -> None:
    """A record folder with the suite as first deployed: no bridge in it."""
    folder = w.foreign_records.parent / "suite-only"
    folder.mkdir(exist_ok=True)
    record = json.loads((w.record_dir / "local.json").read_text())
    for key in ("TengeBridgeHome",):
        record["contracts"].pop(key)
    (folder / "local.json").write_text(json.dumps(record))


def _not_a_signature(w: BadWorld) -> str:
    path = w.home / "not-a-signature.json"
    path.write_text(json.dumps({"hello": "world"}))
    return str(path)


def _signatures(signers: list[Any]) -> Callable[[BadWorld], None]:
    def setup(w: BadWorld) -> None:
        w.vars["sigs"] = w.signature_files(f"set-{len(w.vars)}-{signers[-1].address}", "Transfer", w.inbound_transfer(), signers)

    return setup


def _release_signatures(w: BadWorld) -> None:
    """A threshold's StrandedRelease signatures releasing 0.01 when nothing is stranded (attested total 0.00)."""
    from tenge.bridge.attestations import StrandedRelease

    release = StrandedRelease(PEER_CHAIN, Decimal("0.00"), w.address(PAYEE), Decimal("0.01"), 1)
    w.vars["sigs"] = w.signature_files("stranded-release", "StrandedRelease", release, BRIDGE_VALIDATORS[:3])


def _foreign_refund_signatures(w: BadWorld) -> None:
    """A threshold's Refund signatures, over that bridge's own domain, for a transfer that left this chain from
    another bridge (neither this one nor one it replaced)."""
    from tenge.bridge.attestations import BridgeDomain, sign
    from tenge.bridge.messages import BridgeTransfer

    chain = int(w.w3.eth.chain_id)
    transfer = BridgeTransfer(chain, PEER_BRIDGE, PEER_CHAIN, "0x" + "c8" * 20, 0, w.address(PAYER), w.address(PAYEE),
                              Decimal("1.00"))  # fmt: skip
    folder = w.home / "signatures" / "foreign-refund"
    for validator in BRIDGE_VALIDATORS[:3]:
        sign("Refund", validator, BridgeDomain(chain, PEER_BRIDGE), transfer).save(folder)
    w.vars["sigs"] = str(folder)


def _one_release(w: BadWorld) -> tuple[Any, Any]:
    attestations = load_attestations([Path(w.vars["sigs"])])
    return attestations[0].subject, attestations


def _mixed_signatures(w: BadWorld) -> None:
    w.vars["sigs"] = w.signature_files("mixed", "Transfer", w.inbound_transfer("1.00"), BRIDGE_VALIDATORS[:2])
    w.signature_files("mixed", "Transfer", w.inbound_transfer("2.00"), BRIDGE_VALIDATORS[2:3])


def _send_one(w: BadWorld) -> None:
    w.vars["id"] = w.bridge(PAYER).send(97, PAYEE_ADDRESS, "1.00").transfer.id_hex


def _send_oversized(w: BadWorld) -> None:
    """A send over the lane's largest single transfer (set to 0.50 here): queued for the whole delay."""
    w.bridge(ADMIN).set_max_transfer(97, inbound=None, outbound="0.50")
    _send_one(w)


def _send_held(w: BadWorld) -> None:
    _send_oversized(w)
    w.bridge(ADMIN).hold(_sent(w))


def _sent(w: BadWorld) -> Any:
    from tenge.bridge.status import find_transfer

    return find_transfer(w.bridge(PAYER), w.vars["id"])


def _relayer_argv(w: BadWorld, db: str, validator: str = "http://127.0.0.1:1") -> list[str]:
    return ["bridge", "relayer", "run", "--once", "-n", "local", "-n", "other", "--validator", validator,
            "-a", f"dev:{PAYER}", "--db", db]  # fmt: skip


def _foreign_index(w: BadWorld) -> str:
    """An index database made for another chain (chain id 97)."""
    from uuid import uuid4

    from sqlalchemy import insert

    from tenge.index.db import open_index
    from tenge.index.schema import table

    url = f"sqlite:///{w.home / f'foreign-{uuid4().hex}.index.sqlite'}"
    engine = open_index(url)
    with engine.begin() as db:
        db.execute(insert(table("index_meta")), [{"key": "network", "value": "bsc-testnet"}, {"key": "chain_id", "value": "97"}])
    engine.dispose()
    return url


def _index_report(db: str) -> Callable[[BadWorld], list[str]]:
    def argv(w: BadWorld) -> list[str]:
        url = w.vars[db[1:]] if db.startswith("$") else db
        return ["vat", "report", "--source", "index", "--db", url, "--network", "local", "--rpc-url", w.rpc_url]

    return argv


def _pvp(*args: str, account: int = PAYER) -> Callable[[BadWorld], list[str]]:
    """A `tenge pvp` invocation; ``$token`` stands for the world's tenge token address."""

    def argv(w: BadWorld) -> list[str]:
        token = w.token(ADMIN).address
        values = [token if a == "$token" else a for a in args]
        return ["pvp", *values, "--network", "local", "--rpc-url", w.rpc_url, "--account", f"dev:{account}"]

    return argv


def _cancelled_nonce(nonce: int) -> Callable[[BadWorld], None]:
    def setup(w: BadWorld) -> None:
        pvp = w.session(PAYER).pvp()
        if int(pvp.contract.functions.nonceState(w.address(PAYER), nonce).call()) == 0:
            pvp.cancel(nonce)

    return setup


#: A key no devnet funds (not one of anvil's dev keys): its dry run cannot be afforded.
UNFUNDED_KEY = "0x" + "42" * 32
UNFUNDED = str(Account.from_key(UNFUNDED_KEY).address)


def _without_layout(record: dict[str, Any]) -> None:
    """A record made before tenge recorded storage layouts, whose token implementation's code has changed since."""
    implementation = record["contracts"]["DigitalTengeImplementation"]
    implementation.pop("storageLayout", None)
    implementation["codeHash"] = "0x" + "00" * 32


def _upgrade_without_layout(w: BadWorld) -> None:
    sender = w.session(0).signer
    Deployer.for_network(sender, apply_changes=True).run(suite_plan(load_suite_config("local"), sender.address))


def _deploy_as(w: BadWorld, index: int) -> None:
    """The SDK's deploy, as dev account ``index``, over the world's record (deployed by dev account 0)."""
    sender = w.session(index).signer
    Deployer.for_network(sender).run(suite_plan(load_suite_config("local"), sender.address))


def _unaffordable_dry_run(w: BadWorld) -> None:
    network = get_network("local")
    plan = suite_plan(load_suite_config("local"), UNFUNDED)
    dry_run(network, w.w3, UNFUNDED, plan, rpc_url=w.rpc_url).require_affordable()


def _replay_setup(w: BadWorld) -> None:
    """An offline payment, submitted once by the payee: the case submits it again."""
    w.vars["payment"] = w.token_payment()
    w.token(PAYEE).submit_offline_payment(w.vars["payment"])


def _frozen_spender(w: BadWorld) -> None:
    """The payer approves the payee, then compliance freezes the payee (the spender)."""
    w.token(PAYER).approve(w.address(PAYEE), "5.00")
    w.token(0).freeze(w.address(PAYEE))


def _validator_manager(w: BadWorld) -> None:
    """The deployer (the bridge's admin) takes the validator-manager role it renounced after the deploy."""
    bridge = w.bridge(ADMIN)
    grant = bridge.contract.functions.grantRole(bridge.contract.functions.VALIDATOR_MANAGER_ROLE().call(), w.address(ADMIN))
    bridge.session.signer.send(grant, description="grant the validator-manager role")


def _validator_cli(*options: str) -> Callable[[BadWorld], list[str]]:
    def argv(w: BadWorld) -> list[str]:
        values = [w.vars[o[1:]] if o.startswith("$") else o for o in options]
        db = [] if "--db" in options else ["--db", f"sqlite:///{w.home.parent / 'validator.db'}"]
        return ["bridge", "validator", "run", "--network", "local", "--account", f"dev:{PAYER}", *db, *values]

    return argv


def _validator_sdk(w: BadWorld, **options: Any) -> object:
    from tenge.bridge.validator.run import open_validator
    from tenge.bridge.validator.settings import load_settings

    options.setdefault("database_url", f"sqlite:///{w.home.parent / 'validator.db'}")
    return open_validator(load_settings(network="local", account=f"dev:{PAYER}", **options))


def _dead_database(w: BadWorld) -> None:
    w.vars["dead_db"] = f"postgresql+psycopg://tenge:secret@127.0.0.1:{anvil.free_port()}/v"



def _interrupted_transfer(w: BadWorld) -> None:
    """A transfer sent and mined whose command was interrupted before it saw the receipt: the journal holds only
    its "sent" line (the CLI's journal, under the world's TENGE_HOME)."""
    from tenge.chain.journal import TxJournal
    from tenge.chain.transactions import TxSender

    token = w.token(PAYER).contract
    sender = TxSender(w.w3, w.key(PAYER), get_network("local"), journal=TxJournal(w.home / "journal.jsonl"))
    w.vars["earlier"], _ = sender.submit(token.functions.transfer(PAYEE_ADDRESS, 100), description="transfer")
    # "mined" before the row reads the chain state: on a loaded machine the node may still be mining it when
    # submit() returns, and the row would then count it as something the refused command sent.
    w.w3.eth.wait_for_transaction_receipt(w.vars["earlier"], timeout=60)


def _transfer_again_sdk(w: BadWorld) -> object:
    from tenge.chain.journal import TxJournal
    from tenge.chain.transactions import TxSender

    sender = TxSender(w.w3, w.key(PAYER), get_network("local"), journal=TxJournal(w.home / "journal.jsonl"))
    return sender.send(w.token(PAYER).contract.functions.transfer(PAYEE_ADDRESS, 100), description="transfer")


def _expired_claim(w: BadWorld) -> str:
    """A reward claim signed for a minute, an hour ago (the deployer sponsors the pool and attests)."""
    sponsor = w.session(ADMIN).rewards()
    pid = sponsor.create_pool(w.address(ADMIN), max_per_claim="10.00", period_cap="100.00", budget="BAD-INPUT")
    signed = sponsor.sign_claim(w.key(ADMIN), pid, w.address(PAYER), "1.00", 1, valid_for_seconds=60)
    rpc(w.w3, "evm_increaseTime", [3600])
    rpc(w.w3, "evm_mine")
    return json.dumps(signed.to_dict())


CASES: tuple[BadInput, ...] = (
    BadInput("bad address checksum", errors.InvalidAddress, "wrong EIP-55 checksum",
             tenge("token", "transfer", positionals=(BAD_CHECKSUM, "1.00")),
             lambda w: w.token(PAYER).transfer(BAD_CHECKSUM, "1.00"), exit_code=2),
    BadInput("malformed address", errors.InvalidAddress, "is not an address",
             tenge("token", "transfer", positionals=("0x70997970C51812dc3A010C7d01b50e0d17dc79", "1.00")),
             lambda w: w.token(PAYER).transfer("0x70997970C51812dc3A010C7d01b50e0d17dc79", "1.00"), exit_code=2),
    BadInput("the same write again while its outcome was never told", errors.DuplicateTransaction,
             r"an identical transaction from 0x[0-9a-fA-F]{40} was mined in block \d+: 0x[0-9a-f]{64} .*nothing was sent.*"
             r"`tenge tx status 0x[0-9a-f]{64} --network local`.*--again",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00")), _transfer_again_sdk,
             setup=_interrupted_transfer),
    BadInput("amount in scientific notation", errors.InvalidAmount, r"'1e3' is in scientific notation: write the amount",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1e3")),
             lambda w: w.token(PAYER).transfer(PAYEE_ADDRESS, "1e3"), exit_code=2),
    BadInput("amount zero, said plainly", errors.InvalidAmount, r"amount must be greater than zero \(got 0\)",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "0")),
             lambda w: w.token(PAYER).transfer(PAYEE_ADDRESS, Decimal("0")), exit_code=2),
    BadInput("negative amount", errors.InvalidAmount, "cannot be negative",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "-5")),
             lambda w: w.token(PAYER).transfer(PAYEE_ADDRESS, "-5"), exit_code=2),
    BadInput("more than 2 decimals", errors.InvalidAmount, "more than 2 decimals",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.001")),
             lambda w: w.token(PAYER).transfer(PAYEE_ADDRESS, "1.001"), exit_code=2),
    BadInput("amount beyond uint256", errors.InvalidAmount, r"beyond what the contract can hold \(uint256\)",
             tenge("token", "approve", positionals=(PAYEE_ADDRESS, BEYOND_UINT256)),
             lambda w: w.token(PAYER).approve(PAYEE_ADDRESS, BEYOND_UINT256), exit_code=2),
    BadInput("VAT payment beyond uint96", errors.InvalidInput, r"above what a payment can hold \(2\^96 - 1 tiyn\)",
             tenge("vat", "pay", positionals=(str(SHOP_ID), BEYOND_UINT96, "INV-1")),
             lambda w: w.vat(PAYER).pay_with_permit(SHOP_ID, BEYOND_UINT96, "INV-1"), exit_code=2),
    BadInput("unknown network", errors.UnknownNetwork, "unknown network 'mars'",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00"), network="mars"),
             lambda w: w.session(PAYER, network="mars"), exit_code=2),
    BadInput("wrong chain id (bsc-testnet URL serving the 31337 devnet)", errors.ChainIdMismatch,
             r"serves chain id 31337, but network 'bsc-testnet' is chain id 97; refusing to continue \(nothing was signed\)",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00"), network="bsc-testnet", account="ops"),
             lambda w: Session.open("bsc-testnet", account="ops", password=PASSWORD, rpc_url=w.rpc_url),
             env=lambda w: {"TENGE_KEYSTORE_PASSWORD": PASSWORD}),
    BadInput("wrong keystore password", errors.WrongPassword, "wrong password for account 'ops'",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00"), account="ops"),
             lambda w: Session.open("local", account="ops", password="wrong", rpc_url=w.rpc_url,
                                    record_dir=w.record_dir).token().transfer(PAYEE_ADDRESS, "1.00"),
             env=lambda w: {"TENGE_KEYSTORE_PASSWORD": "wrong"}),
    BadInput("keystore readable by others", errors.KeystoreError, r"readable by others \(mode 644\); run chmod 600",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00"), account="leaky"),
             lambda w: Session.open("local", account="leaky", password=PASSWORD, rpc_url=w.rpc_url),
             env=lambda w: {"TENGE_KEYSTORE_PASSWORD": PASSWORD}),
    BadInput("dev key on a non-local network", errors.RawKeyRefused, "dev keys are local-only",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00"), network="bsc-testnet"),
             lambda w: Session.open("bsc-testnet", account=f"dev:{PAYER}", rpc_url=w.rpc_url)),
    BadInput("raw private key on a non-local network", errors.RawKeyRefused, "raw private keys are accepted only on local",
             lambda w: ["token", "transfer", "--network", "bsc-testnet", "--rpc-url", w.rpc_url, "--", PAYEE_ADDRESS, "1.00"],
             lambda w: Session.open("bsc-testnet", rpc_url=w.rpc_url),
             env=lambda w: {"TENGE_PRIVATE_KEY": "0x" + key_hex(w.key(PAYER))}),
    BadInput("expired offline payment (past validBefore)", errors.AuthorizationExpired, "AuthorizationExpired",
             tenge("token", "offline", "submit", positionals=("$payment",), account=f"dev:{PAYEE}"),
             lambda w: w.token(PAYEE).submit_offline_payment(w.vars["payment"]),
             setup=_set("payment", lambda w: w.token_payment(valid_for=60, age=3600))),
    BadInput("expired permit (past its deadline)", errors.ERC2612ExpiredSignature, "ERC2612ExpiredSignature",
             sdk=lambda w: w.token(PAYEE).permit(w.key(PAYER), PAYEE_ADDRESS, "1.00", deadline=w.block_time() - 1)),
    BadInput("replayed offline payment (same EIP-3009 nonce)", errors.AuthorizationAlreadyUsed, "AuthorizationAlreadyUsed",
             tenge("token", "offline", "submit", positionals=("$payment",), account=f"dev:{PAYEE}"),
             lambda w: w.token(PAYEE).submit_offline_payment(w.vars["payment"]), setup=_replay_setup),
    BadInput("mistyped dtenge1 string", OfflinePaymentRejected, r"rejected \(checksum\)",
             tenge("token", "offline", "submit", positionals=("$payment",), account=f"dev:{PAYEE}"),
             lambda w: w.token(PAYEE).submit_offline_payment(w.vars["payment"]), exit_code=2,
             setup=_set("payment", lambda w: flip_char(w.token_payment(), TOKEN_PREFIX))),
    BadInput("dtenge1 string with a changed amount", OfflinePaymentRejected, r"rejected \(signature\)",
             tenge("token", "offline", "submit", positionals=("$payment",), account=f"dev:{PAYEE}"),
             lambda w: w.token(PAYEE).submit_offline_payment(w.vars["payment"]), exit_code=2,
             setup=_set("payment", lambda w: altered_amount(w.token_payment(), TOKEN_PREFIX, TOKEN_AMOUNT_OFFSET))),
    BadInput("mistyped dtvat1 string", OfflinePaymentRejected, r"rejected \(checksum\)",
             tenge("vat", "offline", "submit", positionals=("$payment",), account=f"dev:{SHOP}"),
             lambda w: w.vat(SHOP).submit_offline_payment(w.vars["payment"]), exit_code=2,
             setup=_set("payment", lambda w: flip_char(w.vat_payment(), VAT_PREFIX))),
    BadInput("dtvat1 string with a changed amount", OfflinePaymentRejected, r"rejected \(signature\)",
             tenge("vat", "offline", "submit", positionals=("$payment",), account=f"dev:{SHOP}"),
             lambda w: w.vat(SHOP).submit_offline_payment(w.vars["payment"]), exit_code=2,
             setup=_set("payment", lambda w: altered_amount(w.vat_payment(), VAT_PREFIX, VAT_AMOUNT_OFFSET))),
    BadInput("VAT payment under a category the merchant may not use", errors.CategoryNotAllowed,
             rf"CategoryNotAllowed\(merchantId={SHOP_ID}, categoryId=3\)",
             tenge("vat", "pay", "--category", "3", positionals=(str(SHOP_ID), "11.60", "INV-1")),
             lambda w: w.vat(PAYER).pay_with_permit(SHOP_ID, "11.60", "INV-1", category=3)),
    BadInput("invoice-book payment of an invoice number already paid", errors.InvalidInput,
             rf"invoice 5 of merchant {SHOP_ID} is already paid; nothing was sent",
             tenge("vat", "pay", "--invoice-no", "5", positionals=(str(SHOP_ID), "11.60", "INV-5")),
             lambda w: w.vat(PAYER).pay_invoice(SHOP_ID, 5, "11.60", "INV-5"), exit_code=2,
             setup=_invoice_5_paid),
    BadInput("invoice-book refund of an invoice number never paid", errors.InvalidInput,
             rf"invoice 77 of merchant {SHOP_ID} has no payment in the book; nothing was sent",
             tenge("vat", "refund-invoice", positionals=(str(SHOP_ID), "77"), account=f"dev:{SHOP}"),
             lambda w: w.vat(SHOP).refund_invoice(SHOP_ID, 77), exit_code=2),
    BadInput("merchant allowed a category with no rate", errors.InvalidInput, "VAT category 77 has no rate scheduled",
             tenge("vat", "merchant", "update", "--category", "1", "--category", "77", positionals=(str(SHOP_ID),),
                   account="dev:0"),
             lambda w: w.vat(0).set_merchant_categories(SHOP_ID, [77]), exit_code=2),
    BadInput("VAT report for a merchant never registered", errors.InvalidInput,
             r"merchant 4242 is not registered on VatPayments 0x[0-9a-fA-F]{40}: there is no report for it",
             tenge("vat", "report", "--merchant", "4242", "--source", "scan"),
             lambda w: w.vat(PAYER).report(merchants=[4242], source="scan"), exit_code=2),
    BadInput("frozen spender uses an allowance it holds", errors.AccountFrozen, r"AccountFrozen\(account=0x",
             sdk=lambda w: w.token(PAYEE).transfer_from(w.address(PAYER), w.address(SHOP), "1.00"),
             setup=_frozen_spender),
    # Free-text references anyone can read back: personal data is refused before anything is sent (issue #19).
    BadInput("invoice reference shaped like an IIN", errors.InvalidInput, r"'900101300123' looks like an IIN",
             tenge("vat", "pay", positionals=(str(SHOP_ID), "11.60", "900101300123")),
             lambda w: w.vat(PAYER).pay_with_permit(SHOP_ID, "11.60", "900101300123"), exit_code=2),
    BadInput("invoice reference that is a name", errors.InvalidInput, r"'Aigerim Nurlanova' looks like a person's name",
             tenge("programme", "spend", positionals=("1", str(SHOP_ID), "1.00", "Aigerim Nurlanova")),
             lambda w: w.session(PAYER).programmes().spend(1, SHOP_ID, "1.00", "Aigerim Nurlanova"), exit_code=2),
    BadInput("redemption reference that is a phone number", errors.InvalidInput, r"'\+77011234567' looks like a phone number",
             tenge("token", "redeem", "--reference", "+77011234567", positionals=(PAYEE_ADDRESS, "1.00")),
             lambda w: w.token(PAYER).redeem(PAYEE_ADDRESS, "1.00", "+77011234567"), exit_code=2),
    BadInput("legal reference that is an e-mail address", errors.InvalidInput, r"'aigerim@mail.kz' looks like an e-mail",
             tenge("token", "wipe", "--reference", "aigerim@mail.kz", positionals=(PAYEE_ADDRESS, "1.00"), account="dev:0"),
             lambda w: w.token(0).wipe(PAYEE_ADDRESS, "1.00", "aigerim@mail.kz"), exit_code=2),
    BadInput("budget code with spaces", errors.InvalidInput, r"'lunch for pupils' is not a reference of the documented format",
             tenge("rewards", "create", "--attester", PAYEE_ADDRESS, "--max-per-claim", "1", "--period-cap", "2",
                   "--budget-code", "lunch for pupils", account="dev:0"),
             lambda w: w.session(0).rewards().create_pool(PAYEE_ADDRESS, max_per_claim="1", period_cap="2",
                                                         budget="lunch for pupils"), exit_code=2),
    # Purpose-bound programmes (issue #11).
    BadInput("spend from an unknown programme", errors.UnknownProgramme, "there is no programme 99",
             tenge("programme", "spend", positionals=("99", str(SHOP_ID), "1.00", "INV-1")),
             lambda w: w.session(PAYER).programmes().spend(99, SHOP_ID, "1.00", "INV-1")),
    BadInput("mistyped dtpbm1 string", OfflinePaymentRejected, r"rejected \(checksum\)",
             tenge("programme", "submit", positionals=("$spend",), account=f"dev:{SHOP}"),
             lambda w: w.session(SHOP).programmes().submit_spend(w.vars["spend"]), exit_code=2,
             setup=_set("spend", lambda w: flip_char(
                 w.session(PAYER).programmes().sign_spend(1, SHOP_ID, "1.00", "INV-1", now=w.block_time()).encode(),
                 "dtpbm1:"))),
    BadInput("offline programme spend with no deployment record", errors.DeploymentError,
             "no deployment record for (network )?'local'",
             tenge("programme", "spend", "--offline", positionals=("1", str(SHOP_ID), "1.00", "INV-1")),
             lambda w: w.session(PAYER).programmes(), env=lambda w: {"TENGE_DEPLOYMENTS_DIR": str(w.empty_records)}),
    BadInput("status of a reward pool that does not exist", errors.UnknownPool, "there is no reward pool 99",
             tenge("rewards", "status", positionals=("99",)),
             lambda w: w.session(PAYER).rewards().pool(99)),
    # Reward claims carry a deadline (issue 18).
    BadInput("reward claim past its deadline", errors.ClaimExpired, r"ClaimExpired\(validBefore=\d+\)",
             tenge("rewards", "claim", positionals=("$claim",)),
             lambda w: w.session(PAYER).rewards().claim(SignedClaim.from_dict(json.loads(w.vars["claim"]))),
             setup=_set("claim", _expired_claim)),
    BadInput("reward claim signed for no time at all", errors.InvalidInput, "not a positive duration|from 1, not 0",
             tenge("rewards", "sign-claim", "--valid-for", "0", positionals=("1", PAYEE_ADDRESS, "1.00", "1")),
             lambda w: w.session(PAYER).rewards().sign_claim(w.key(PAYER), 1, PAYEE_ADDRESS, "1.00", 1,
                                                             valid_for_seconds=0), exit_code=2),
    # Cross-border PvP (issue 21): refused before signing, or by the settlement contract, amounts in the currency's code.
    BadInput("pvp: a quote selling a currency for itself", errors.InvalidInput, "different currencies",
             _pvp("quote", "--sell", "$token", "--buy", "$token", "--rate", "1", "--max-amount", "10.00"),
             lambda w: w.session(PAYER).pvp().quote(sell=w.token(PAYER).address, buy=w.token(PAYER).address, rate="1",
                                                    max_amount="10.00"), exit_code=2),
    BadInput("pvp: a quote for a token that is no currency", errors.InvalidInput, "is not a currency token",
             _pvp("quote", "--sell", "$token", "--buy", NO_CODE, "--rate", "1", "--max-amount", "10.00"),
             lambda w: w.session(PAYER).pvp().quote(sell=w.token(PAYER).address, buy=NO_CODE, rate="1",
                                                    max_amount="10.00"), exit_code=2),
    BadInput("pvp: a corridor from a currency to itself", errors.SameToken, r"SameToken\(token=0x",
             _pvp("limits", "--sell", "$token", "--buy", "$token", "--set", "5.00", account=ADMIN),
             lambda w: w.session(ADMIN).pvp().set_limit(w.token(ADMIN).address, w.token(ADMIN).address, "5.00")),
    BadInput("pvp: a corridor limit over what the contract stores", errors.LimitTooLarge,
             r"LimitTooLarge\(limit=792,281,625,142,643,375,935,439,504.00 KZT, max=792,281,625,142,643,375,935,439,503.35 KZT\)",
             _pvp("limits", "--sell", "$token", "--buy", "$token", "--set", f"{2**96 // 100 + 1}.00", account=ADMIN),
             lambda w: w.session(ADMIN).pvp().set_limit(w.token(ADMIN).address, w.token(ADMIN).address, f"{2**96 // 100 + 1}.00")),
    BadInput("pvp: cancelling a quote nonce already cancelled", errors.NonceNotOpen,
             r"NonceNotOpen\(signer=0x[0-9a-fA-F]{40}, nonce=4242, state=2\)",
             _pvp("cancel-quote", "4242"), lambda w: w.session(PAYER).pvp().cancel(4242), setup=_cancelled_nonce(4242)),
    BadInput("missing deployment record", errors.DeploymentError, "no deployment record for network 'local'",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00")),
             lambda w: w.token(PAYER), env=lambda w: {"TENGE_DEPLOYMENTS_DIR": str(w.empty_records)}),
    BadInput("foreign deployment record (chain id 5)", errors.DeploymentError,
             "is for chain id 5, but the RPC serves chain id 31337: a foreign record",
             tenge("vat", "pay", positionals=(str(SHOP_ID), "11.60", "INV-1")),
             lambda w: w.vat(PAYER), env=lambda w: {"TENGE_DEPLOYMENTS_DIR": str(w.foreign_records)}),
    BadInput("bridge: a network without a bridge", errors.DeploymentError, "no bridge in the deployment record of 'local'",
             tenge("bridge", "validators"), lambda w: w.session(PAYER).bridge(),
             env=lambda w: {"TENGE_DEPLOYMENTS_DIR": str(w.foreign_records.parent / "suite-only")}, setup=_suite_only),
    BadInput("bridge: malformed transfer id", errors.InvalidInput, r"a transfer id is 32 bytes, not 2",
             tenge("bridge", "status", positionals=("0x1234",)), lambda w: transfer_status("0x1234"), exit_code=2),
    BadInput("bridge: status of a transfer nobody has seen", errors.InvalidInput, "the destination has not seen this transfer",
             tenge("bridge", "status", positionals=("0x" + "ab" * 32,)), lambda w: w.bridge(PAYER).status("0x" + "ab" * 32),
             exit_code=2),
    BadInput("bridge: chain id 0", errors.InvalidInput, r"0.? is not a chain id \(a whole number from 1 to",
             tenge("bridge", "send", positionals=("0", PAYEE_ADDRESS, "1.00")),
             lambda w: w.bridge(PAYER).send(0, PAYEE_ADDRESS, "1.00"), exit_code=2),
    BadInput("bridge: a chain the bridge does not serve", errors.InvalidInput, "chain 56 is not served by this bridge",
             tenge("bridge", "send", positionals=("56", PAYEE_ADDRESS, "1.00")),
             lambda w: w.bridge(PAYER).send(56, PAYEE_ADDRESS, "1.00"), exit_code=2),
    BadInput("bridge: sending to the destination bridge itself", errors.InvalidRecipient, r"InvalidRecipient\(recipient=0x",
             tenge("bridge", "send", positionals=("97", PEER_BRIDGE, "1.00")),
             lambda w: w.bridge(PAYER).send(97, PEER_BRIDGE, "1.00")),
    BadInput("bridge: an empty payload", errors.InvalidInput, r"payload",
             tenge("bridge", "send", "--payload", "0x", positionals=("97", PAYEE_ADDRESS, "1.00")),
             lambda w: send_with_payload(w.bridge(PAYER), 97, PAYEE_ADDRESS, "1.00", b""), exit_code=2),
    BadInput("bridge: a payload of free-form bytes, not a payment order", errors.InvalidInput,
             r"a payload is a payment order .* are not one: nothing was sent",
             tenge("bridge", "send", "--payload", "0x" + b"Aigerim Nurlanova".hex(), positionals=("97", PAYEE_ADDRESS, "1.00")),
             lambda w: send_with_payload(w.bridge(PAYER), 97, PAYEE_ADDRESS, "1.00", b"Aigerim Nurlanova"), exit_code=2),
    BadInput("bridge: a payload that is not hex", errors.InvalidInput, r"is not a payload \(0x followed by hex digits",
             tenge("bridge", "send", "--payload", "0xzz", positionals=("97", PAYEE_ADDRESS, "1.00")),
             lambda w: PAYLOAD.check("0xzz"), exit_code=2),
    BadInput("bridge: sending zero", errors.InvalidAmount, "amount must be greater than zero",
             tenge("bridge", "send", positionals=("97", PAYEE_ADDRESS, "0")),
             lambda w: w.bridge(PAYER).send(97, PAYEE_ADDRESS, "0"), exit_code=2),
    BadInput("bridge: sending more than the balance", errors.InvalidInput, r"can spend 1,000.00 KZT, less than the 5,000.00 KZT",
             tenge("bridge", "send", positionals=("97", PAYEE_ADDRESS, "5000.00")),
             lambda w: w.bridge(PAYER).send(97, PAYEE_ADDRESS, "5000.00"), exit_code=2),
    BadInput("bridge: a missing signature file", errors.InvalidInput, "no such signature file or directory",
             tenge("bridge", "deliver", positionals=("/nonexistent/signature.json",)),
             lambda w: w.bridge(PAYER).deliver(w.inbound_transfer(), load_attestations([Path("/nonexistent/signature.json")])),
             exit_code=2),
    BadInput("bridge: a file that is no signature", errors.InvalidInput, "is not a bridge attestation",
             tenge("bridge", "deliver", positionals=("$file",)),
             lambda w: w.bridge(PAYER).deliver(w.inbound_transfer(), load_attestations([Path(w.vars["file"])])),
             exit_code=2, setup=_set("file", _not_a_signature)),
    BadInput("bridge: signatures of two different messages", errors.InvalidInput, "the signatures are for different messages",
             tenge("bridge", "deliver", positionals=("$sigs",)),
             lambda w: w.bridge(PAYER).deliver(w.inbound_transfer(), load_attestations([Path(w.vars["sigs"])])),
             exit_code=2, setup=_mixed_signatures),
    BadInput("bridge: too few signatures", errors.InsufficientSignatures, r"InsufficientSignatures\(valid=2, threshold=3\)",
             tenge("bridge", "deliver", positionals=("$sigs",)),
             lambda w: w.bridge(PAYER).deliver(w.inbound_transfer(), load_attestations([Path(w.vars["sigs"])])),
             setup=_signatures(BRIDGE_VALIDATORS[:2])),
    BadInput("bridge: a signer who is no validator", errors.UnknownSigner, r"UnknownSigner\(signer=0x",
             tenge("bridge", "deliver", positionals=("$sigs",)),
             lambda w: w.bridge(PAYER).deliver(w.inbound_transfer(), load_attestations([Path(w.vars["sigs"])])),
             setup=_signatures([*BRIDGE_VALIDATORS[:2], ALL_DEV_KEYS[9]])),
    BadInput("bridge: a validator threshold above the set", errors.InvalidThreshold,
             r"InvalidThreshold\(threshold=9, validatorCount=5\)",
             tenge("bridge", "validators", "update", "--threshold", "9", account=f"dev:{ADMIN}"),
             lambda w: w.bridge(ADMIN).update_validators(threshold=9)),
    BadInput("bridge: removing an account that is no validator", errors.NotAValidator, r"NotAValidator\(validator=0x",
             tenge("bridge", "validators", "remove", positionals=(PAYEE_ADDRESS,), account=f"dev:{ADMIN}"),
             lambda w: w.bridge(ADMIN).remove_validator(PAYEE_ADDRESS), setup=_validator_manager),
    BadInput("bridge: cancelling a validator change when none is scheduled", errors.NoValidatorUpdate,
             r"NoValidatorUpdate\(\)", tenge("bridge", "validators", "cancel", account=f"dev:{ADMIN}"),
             lambda w: w.bridge(ADMIN).cancel_validator_update(), setup=_validator_manager),
    BadInput("bridge: a validator-update delay beyond 30 days", errors.InvalidInput,
             "the delay is a whole number of seconds from 0 to 2592000, not 2592001",
             tenge("bridge", "validators", "delay", positionals=("2592001",), account=f"dev:{ADMIN}"),
             lambda w: w.bridge(ADMIN).set_validator_update_delay(2592001), exit_code=2),
    BadInput("bridge: replacing the home bridge", errors.InvalidInput,
             "local has the home bridge: replace a BNB-side bridge",
             tenge("bridge", "replace", "--home-network", "local", account=f"dev:{ADMIN}"),
             lambda w: replace_remote_bridge(w.session(ADMIN), w.session(ADMIN)), exit_code=2),
    BadInput("bridge: an empty delivery batch", errors.EmptyBatch, r"EmptyBatch\(\)",
             sdk=lambda w: w.bridge(PAYER).deliver_batch([])),
    BadInput("bridge: a delivery batch over MAX_BATCH", errors.BatchTooLarge, r"BatchTooLarge\(size=101, maxSize=100\)",
             sdk=lambda w: w.bridge(PAYER).deliver_batch([(w.inbound_transfer(), load_attestations([Path(w.vars["sigs"])]))] * 101),
             setup=_signatures(BRIDGE_VALIDATORS[:3])),
    BadInput("bridge: delivery signatures offered as a refund", errors.InvalidInput, "where Refund ones are needed",
             tenge("bridge", "refund", positionals=("$sigs",)),
             lambda w: w.bridge(PAYER).refund(w.inbound_transfer(), load_attestations([Path(w.vars["sigs"])])),
             exit_code=2, setup=_signatures(BRIDGE_VALIDATORS[:3])),
    BadInput("bridge: refunding a transfer that left from another bridge", errors.InvalidInput,
             r"left from the bridge 0x[0-9a-fA-F]{40}: neither this one \(0x[0-9a-fA-F]{40}\) nor the one it replaced",
             tenge("bridge", "refund", positionals=("$sigs",)),
             lambda w: w.bridge(PAYER).refund(*_one_release(w)), exit_code=2, setup=_foreign_refund_signatures),
    BadInput("bridge: cancelling a transfer that is not queued", errors.NotQueued, r"NotQueued\(id=0x",
             tenge("bridge", "cancel", positionals=("$id",)),
             lambda w: w.bridge(PAYER).cancel(_sent(w)), setup=_send_one),
    BadInput("bridge: completing an oversized transfer before its delay", errors.TransferDelayed,
             r"TransferDelayed\(id=0x[0-9a-f]{64}, releaseAt=\d+\)",
             tenge("bridge", "complete", positionals=("$id",)),
             lambda w: w.bridge(PAYER).complete_outbound(_sent(w)), setup=_send_oversized),
    BadInput("bridge: completing a held transfer", errors.QueuedTransferHeld, r"QueuedTransferHeld\(id=0x",
             tenge("bridge", "complete", positionals=("$id",)),
             lambda w: w.bridge(PAYER).complete_outbound(_sent(w)), setup=_send_held),
    BadInput("bridge: holding a transfer that is not queued", errors.NotQueued, r"NotQueued\(id=0x",
             tenge("bridge", "hold", positionals=("$id",), account=f"dev:{ADMIN}"),
             lambda w: w.bridge(ADMIN).hold(_sent(w)), setup=_send_one),
    BadInput("bridge: rejecting a transfer that is not queued", errors.NotQueued, r"NotQueued\(id=0x",
             tenge("bridge", "reject", positionals=("$id",), account=f"dev:{ADMIN}"),
             lambda w: w.bridge(ADMIN).reject(_sent(w)), setup=_send_one),
    BadInput("bridge: releasing more escrow than is stranded", errors.ReleaseExceedsStranded,
             r"ReleaseExceedsStranded\(amount=0.01 KZT, releasable=0.00 KZT\)",
             tenge("bridge", "release-stranded", positionals=("$sigs",), account=f"dev:{ADMIN}"),
             lambda w: w.bridge(ADMIN).release_stranded(*_one_release(w)), setup=_release_signatures),
    BadInput("bridge: a deferral timeout under an hour", errors.InvalidDeferralTimeout,
             r"InvalidDeferralTimeout\(timeout=60, min=3600\)",
             tenge("bridge", "deferral-timeout", positionals=("60",), account=f"dev:{ADMIN}"),
             lambda w: w.bridge(ADMIN).set_deferral_timeout(60)),
    BadInput("bridge: a deferral timeout that is no whole number of seconds", errors.InvalidInput,
             "the deferral timeout is a whole number of seconds",
             tenge("bridge", "deferral-timeout", positionals=("-1",), account=f"dev:{ADMIN}"),
             lambda w: w.bridge(ADMIN).set_deferral_timeout(-1), exit_code=2),
    BadInput("bridge: a queue delay of 0 seconds", errors.InvalidInput, "the queue delay is a whole number of seconds of at least 1",
             tenge("bridge", "limits", "delay", positionals=("0",), account=f"dev:{ADMIN}"),
             lambda w: w.bridge(ADMIN).set_queue_delay(0), exit_code=2),
    BadInput("bridge: a queue delay over 30 days", errors.InvalidQueueDelay, r"InvalidQueueDelay\(delay=2592001, maxDelay=2592000\)",
             tenge("bridge", "limits", "delay", positionals=("2592001",), account=f"dev:{ADMIN}"),
             lambda w: w.bridge(ADMIN).set_queue_delay(2592001)),
    BadInput("bridge: a largest single transfer beyond what a bucket holds", errors.RateLimitTooLarge,
             r"RateLimitTooLarge\(value=80000000000000000, max=720,575,940,379,279.35 KZT\)",
             lambda w: ["bridge", "limits", "max-transfer", "--network", "local", "--rpc-url", w.rpc_url, "--account",
                        f"dev:{ADMIN}", "--inbound", "800000000000000.00", "--", "97"],
             lambda w: w.bridge(ADMIN).set_max_transfer(97, inbound="800000000000000.00", outbound=None)),
    BadInput("deploy by an account that did not deploy the suite and is not its admin", errors.DeploymentError,
             r"was deployed by 0x[0-9a-fA-F]{40}; the current account 0x[0-9a-fA-F]{40} lacks DEFAULT_ADMIN_ROLE on DigitalTenge",
             tenge("deploy", account=f"dev:{PAYER}"), lambda w: _deploy_as(w, PAYER)),
    BadInput("not a transaction hash", errors.InvalidInput, r"'0x1234' is not a transaction hash",
             lambda w: ["tx", "status", "--network", "local", "--rpc-url", w.rpc_url, "--", "0x1234"],
             lambda w: TxWatcher(w.w3, get_network("local")).status("0x1234"), exit_code=2),
    BadInput("dry run of a deploy the deployer cannot afford", errors.InsufficientFunds,
             r"the deploy needs [0-9.]+ ETH \([0-9,]+ gas at [0-9.]+ gwei\) but 0x[0-9a-fA-F]{40} holds 0 ETH",
             lambda w: ["deploy", "--network", "local", "--rpc-url", w.rpc_url, "--dry-run"], _unaffordable_dry_run,
             env=lambda w: {"TENGE_PRIVATE_KEY": UNFUNDED_KEY, "TENGE_DEPLOYMENTS_DIR": str(w.empty_records)}),
    BadInput("RPC down", errors.RpcUnreachable, r"RPC http://127\.0\.0\.1:\d+ for network 'local' is unreachable: ConnectionError",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00"), rpc_url="$dead"),
             lambda w: w.session(PAYER, rpc_url=w.vars["dead"]), setup=_set("dead", lambda w: w.dead_url)),
    # --- accounts: checked before any password prompt; a key is never echoed ------------------------------
    *(BadInput(f"malformed dev key --account {value}", errors.InvalidInput, "dev:N takes a whole number N >= 0",
               tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00"), account=value),
               lambda w, value=value: Session.open("local", account=value, rpc_url=w.rpc_url), exit_code=2)
      for value in ("dev:x", "dev:", "dev:-1")),
    BadInput("private key pasted into --account", errors.RawKeyRefused, r"looks like a private key \(not shown\)",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00"), account=PASTED_KEY),
             lambda w: Session.open("local", account=PASTED_KEY, rpc_url=w.rpc_url)),
    BadInput("alias with no keystore (no password asked)", errors.KeystoreError, r"no account 'nobody' \(looked for ",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00"), account="nobody"),
             lambda w: Session.open("local", account="nobody", rpc_url=w.rpc_url)),
    BadInput("unknown network with a keystore alias (no password asked)", errors.UnknownNetwork, "unknown network 'mars'",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00"), network="mars", account="ops"),
             lambda w: Session.open("mars", account="ops", rpc_url=w.rpc_url), exit_code=2),
    # --- records that no longer match the chain -----------------------------------------------------------
    BadInput("stale record: no contract at the recorded address (devnet restarted)", errors.StaleRecord,
             rf"no contract at {NO_CODE} \(DigitalTenge in .*local\.json\) — devnet restarted\? run `tenge deploy --network local`",
             tenge("token", "pause"), lambda w: w.token(PAYER),
             env=lambda w: {"TENGE_DEPLOYMENTS_DIR": w.records_with("stale-records", token_at(NO_CODE))}),
    BadInput("record naming other code at the address", errors.StaleRecord,
             r"the code at 0x[0-9a-fA-F]{40} \(DigitalTenge in .*\) is not the code the record names",
             tenge("token", "tier", "set", positionals=(PAYEE_ADDRESS, "2")), lambda w: w.token(PAYER),
             env=lambda w: {"TENGE_DEPLOYMENTS_DIR": w.records_with("swapped-records", token_at_vat)}),
    # --- configuration: schema-checked, naming the file and the key; never relaxing key safety -------------
    BadInput("tenge.toml making bsc-testnet local (raw and dev keys)", errors.ConfigError,
             r"tenge\.toml: networks\.bsc-testnet\.local: a configuration file cannot make the public network bsc-testnet local",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00"), network="bsc-testnet"),
             lambda w: Session.open("bsc-testnet", account=f"dev:{PAYER}", rpc_url=w.rpc_url), exit_code=2,
             env=lambda w: {"TENGE_CONFIG": w.config("local-bsc", "[networks.bsc-testnet]\nlocal = true\n")}),
    BadInput("chain id as a string in tenge.toml", errors.ConfigError,
             r"tenge\.toml: networks\.bsc-testnet\.chain_id: Input should be a valid integer \(got '97'\)",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00"), network="bsc-testnet", account="ops"),
             lambda w: Session.open("bsc-testnet", account="ops", rpc_url=w.rpc_url), exit_code=2,
             env=lambda w: {"TENGE_CONFIG": w.config("string-chain-id", '[networks.bsc-testnet]\nchain_id = "97"\n')}),
    BadInput("unknown display time zone in tenge.toml", errors.ConfigError,
             r"tenge\.toml: display\.timezone: Value error, unknown time zone 'Asia/Atlantis'",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00")),
             lambda w: w.session(PAYER), exit_code=2,
             env=lambda w: {"TENGE_CONFIG": w.config("bad-zone", '[display]\ntimezone = "Asia/Atlantis"\n')}),
    BadInput("negative tier cap in tenge.toml", errors.ConfigError,
             r"tenge\.toml: suite\.token\.tier_caps\.1 = '-5' is not a cap in tenge \('-5': amounts cannot be negative\)",
             tenge("deploy", account="dev:0"), lambda w: load_suite_config("local"), exit_code=2,
             env=lambda w: {"TENGE_CONFIG": w.config("negative-cap", '[suite.token.tier_caps]\n1 = "-5"\n')}),
    # --- input and messages (issue 19): refused plainly, dates in the display zone (+05:00 by default) -------
    BadInput("an RPC URL that is no URL", errors.InvalidInput, r"'notaurl' is not an RPC URL",
             tenge("token", "balance", positionals=(PAYEE_ADDRESS,), rpc_url="notaurl"),
             lambda w: Session.open("local", rpc_url="notaurl"), exit_code=2),
    BadInput("the journal of an unknown network", errors.UnknownNetwork, "unknown network 'nosuch'",
             lambda w: ["tx", "journal", "--network", "nosuch"], lambda w: get_network("nosuch"), exit_code=2),
    BadInput("a programme for a VAT category that does not exist", errors.InvalidInput,
             r"VAT category 99 does not exist \(no rate scheduled\): a programme bound to it could never be spent",
             tenge("programme", "create", "--purpose", "99", "--expires", "2099-01-01", "--budget-code", "B-1",
                   account="dev:0"),
             lambda w: w.session(0).programmes().create([99], 4_070_908_800, budget="B-1"), exit_code=2),
    BadInput("a programme that expired before it was made", errors.InvalidInput,
             r"the expiry 2020-01-01T00:00:00\+05:00 must be after the start and in the future",
             tenge("programme", "create", "--purpose", "1", "--expires", "2020-01-01", "--budget-code", "B-1",
                   account="dev:0"),
             lambda w: w.session(0).programmes().create([1], 1_577_818_800, budget="B-1"), exit_code=2),
    BadInput("a tier whose cap is below the holder's balance", errors.InvalidInput,
             r"holds 1,000\.00 KZT, above tier 7's cap of 0\.00 KZT: it would keep that balance but could receive "
             r"nothing until it is below the cap; set it anyway with --over-cap",
             tenge("token", "tier", "set", positionals=(str(ALL_DEV_KEYS[PAYER].address), "7"), account="dev:0"),
             lambda w: w.token(0).set_tier(w.address(PAYER), 7), exit_code=2),
    BadInput("an invoice reference over 32 bytes (never silently hashed)", errors.InvalidInput,
             r"invoice reference 'INV-0123456789-0123456789-0123456789' is longer than 32 bytes: give a receipt number",
             tenge("vat", "pay", positionals=(str(SHOP_ID), "11.60", "INV-0123456789-0123456789-0123456789")),
             lambda w: w.vat(PAYER).pay_with_permit(SHOP_ID, "11.60", "INV-0123456789-0123456789-0123456789"),
             exit_code=2),
    BadInput("a non-ASCII invoice reference (never silently hashed)", errors.InvalidInput,
             r"invoice reference 'INV-ü' is not printable ASCII: give a receipt number of at most 32 ASCII characters",
             tenge("vat", "pay", positionals=(str(SHOP_ID), "11.60", "INV-ü")),
             lambda w: w.vat(PAYER).pay_with_permit(SHOP_ID, "11.60", "INV-ü"), exit_code=2),
    BadInput("a report period that ends before it starts", errors.InvalidInput,
             r"the period is empty: it ends \(2026-01-02T00:00:00\+05:00\) at or before it starts "
             r"\(2026-02-01T00:00:00\+05:00\)",
             tenge("vat", "report", "--merchant", str(SHOP_ID), "--source", "scan", "--from", "2026-02-01",
                   "--to", "2026-01-01"),
             lambda w: w.vat(PAYER).report(merchants=[SHOP_ID], source="scan",
                                           period=Period.parse("2026-02-01", "2026-01-01", DEFAULT_TIMEZONE)),
             exit_code=2),
    BadInput("malformed tenge.toml", errors.ConfigError, r"tenge\.toml is not valid TOML: .*\(at line 1, column \d+\)",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00")),
             lambda w: w.session(PAYER), exit_code=2,
             env=lambda w: {"TENGE_CONFIG": w.config("malformed", "[networks.local\nrpc_url = 1\n")}),
    # --- keystores and devnets -----------------------------------------------------------------------------
    BadInput("accounts delete of an alias with no keystore", errors.KeystoreError, "no account 'ghost'",
             lambda w: ["accounts", "delete", "ghost", "--yes"], lambda w: accounts.delete_account("ghost")),
    BadInput("accounts change-password with a wrong password", errors.WrongPassword, "wrong password for account 'ops'",
             lambda w: ["accounts", "change-password", "ops"], lambda w: accounts.change_password("ops", "wrong", "new"),
             env=lambda w: {"TENGE_KEYSTORE_PASSWORD": "wrong", "TENGE_NEW_KEYSTORE_PASSWORD": "new"}),
    BadInput("devnet up --chain-id 97 on a port serving chain 31337", errors.DevnetConflict,
             r"port \d+ is already served by another node \(chain id 31337\)",
             lambda w: ["devnet", "up", "--port", port_of(w), "--chain-id", "97"],
             lambda w: anvil.up(port=int(port_of(w)), chain_id=97)),
    BadInput("TENGE_CONFIG naming a missing file", errors.ConfigError, r"\$TENGE_CONFIG names .*missing\.toml, which is not a file",
             tenge("token", "transfer", positionals=(PAYEE_ADDRESS, "1.00")), lambda w: w.session(PAYER), exit_code=2,
             env=lambda w: {"TENGE_CONFIG": str(w.home.parent / "missing.toml")}),
    # --- the bridge validator service (tests/validator runs the real processes) ---------------------------------
    BadInput("validator: an unknown peer network", errors.UnknownNetwork, r"unknown network 'nowhere'",
             _validator_cli("--peer", "nowhere"), lambda w: _validator_sdk(w, peers=("nowhere",)), exit_code=2),
    BadInput("validator: a malformed listen address", errors.InvalidInput, r"--listen 'localhost': give HOST:PORT",
             _validator_cli("--peer", "tester", "--listen", "localhost"),
             lambda w: _validator_sdk(w, peers=("tester",), listen="localhost"), exit_code=2),
    BadInput("validator: a database that does not answer", StoreError,
             r"database postgresql\+psycopg://tenge:\*\*\*@127.0.0.1:\d+/v does not answer",
             _validator_cli("--peer", "tester", "--db", "$dead_db"),
             lambda w: _validator_sdk(w, peers=("tester",), database_url=w.vars["dead_db"]), setup=_dead_database),
    # --- no project checkout (a wheel install; tests/foundation/test_wheel_install.py installs a real one) --
    BadInput("tenge compile with no project checkout", errors.ToolchainMissing, r"TENGE_PROJECT_ROOT=.* is not a project checkout",
             lambda w: ["compile"], lambda w: compile_project(),
             env=lambda w: {"TENGE_PROJECT_ROOT": w.not_a_checkout}),
    BadInput("tenge demo with no project checkout", errors.ToolchainMissing, r"TENGE_PROJECT_ROOT=.* is not a project checkout",
             lambda w: ["demo", "--out", w.not_a_checkout + "/report"],
             lambda w: run_pilot(Path(w.not_a_checkout) / "report", say=lambda line: None),
             env=lambda w: {"TENGE_PROJECT_ROOT": w.not_a_checkout}),
    # --- bridge relayer: refused before any key is unlocked or anything sent ------------------------------
    BadInput("relayer database URL that does not answer", RelayerStoreError,
             r"cannot open the relayer database '127\.0\.0\.1:\d+/relayer': .*(refused|failed)",
             lambda w: _relayer_argv(w, w.vars["pg"]), lambda w: Store(w.vars["pg"], "probe"),
             setup=_set("pg", lambda w: f"postgresql://postgres@127.0.0.1:{free_port()}/relayer")),
    BadInput("relayer validator endpoint that is not an http(s) URL", errors.ConfigError,
             r"validator endpoint 'ftp://127\.0\.0\.1:1' is not an http\(s\) URL",
             lambda w: _relayer_argv(w, "sqlite://", validator="ftp://127.0.0.1:1"),
             lambda w: load_settings(networks=("local", "other"), validators=("ftp://127.0.0.1:1",), account="dev:1"),
             exit_code=2),
    BadInput("unusable index database URL", IndexDatabaseError, r"cannot use index database URL 'nosuch://index'",
             _index_report("nosuch://index"), lambda w: w.vat(PAYER).report(source="index", index_url="nosuch://index")),
    BadInput("index database of another chain (chain id 97)", IndexDatabaseError, "this index holds chain id 97",
             _index_report("$index"), lambda w: w.vat(PAYER).report(source="index", index_url=w.vars["index"]),
             setup=_set("index", _foreign_index)),
    # --- deployers' options (issue #13): fees by hand, verification, upgrade safety --------------------------
    BadInput("--gas-price on an EIP-1559 network", errors.InvalidInput,
             r"local takes EIP-1559 transactions: --gas-price means nothing there; use --max-fee",
             tenge("token", "transfer", "--gas-price", "5", positionals=(PAYEE_ADDRESS, "1.00")),
             lambda w: w.session(PAYER).signer.fees.override(FeeOverrides(gas_price=5 * 10**9)), exit_code=2),
    BadInput("a tip above the maximum fee", errors.InvalidInput, r"--priority-fee 3 gwei exceeds --max-fee 2\.5 gwei",
             tenge("vat", "pay", "--max-fee", "2.5", "--priority-fee", "3", positionals=(str(SHOP_ID), "11.60", "INV-1")),
             lambda w: w.session(PAYER).signer.fees.override(FeeOverrides(max_fee=25 * 10**8, priority_fee=3 * 10**9)),
             exit_code=2),
    BadInput("verify on a network without an explorer API", errors.InvalidInput,
             r"network 'local' has no explorer API: set explorer_api_url under \[networks\.local\]",
             lambda w: ["verify", "--network", "local"],
             lambda w: Explorer.for_network(get_network("local"), 31337), exit_code=2),
    BadInput("verify without the explorer's API key", errors.InvalidInput,
             r"no explorer API key: set \$TENGE_BSCSCAN_API_KEY \(the key of https://api-testnet\.bscscan\.com/api\); "
             "nothing was submitted",
             lambda w: ["verify", "--network", "bsc-testnet"],
             lambda w: Explorer.for_network(get_network("bsc-testnet"), 97), exit_code=2,
             env=lambda w: {"TENGE_BSCSCAN_API_KEY": None}),
    BadInput("upgrade of a proxy whose record holds no storage layout", errors.UnsafeUpgrade,
             r"upgrade of DigitalTenge \(0x[0-9a-fA-F]{40}\) refused: the deployment record .* holds no storage layout "
             r"for its implementation DigitalTenge",
             tenge("deploy", "--upgrade", account="dev:0"), _upgrade_without_layout, exit_code=7,
             env=lambda w: {"TENGE_DEPLOYMENTS_DIR": w.records_with("no-layout-records", _without_layout)}),
    # --- offline purses: the merchant terminal refuses with no connection (tests/gates/bad_input_offline.py) ---
    BadInput("offline purse payment certified by a bank the terminal does not trust", purse_terminal.UntrustedBank,
             r"rejected \(bank\): the purse was certified by 0x[0-9a-fA-F]{40}, which is not on this terminal's list",
             lambda w: off.accept_argv(w.vars), lambda w: off.accept_sdk(w.vars), exit_code=2,
             setup=lambda w: off.accepting(lambda: off.payment(bank_key=off.ROGUE_BANK.key))(w.vars, w.home)),
    BadInput("offline purse payment replayed at the terminal", purse_terminal.SequenceNotAbove,
             r"rejected \(sequence\): sequence 1 is not above 1, the highest this terminal accepted .*replayed",
             lambda w: off.accept_argv(w.vars), lambda w: off.accept_sdk(w.vars), exit_code=2,
             setup=lambda w: off.accepting(off.payment, off.replay_prepare)(w.vars, w.home)),
    BadInput("offline purse payment to another merchant", purse_terminal.WrongMerchant,
             r"rejected \(merchant\): the payment is to merchant 0x[0-9a-fA-F]{40}, this terminal is merchant",
             lambda w: off.accept_argv(w.vars), lambda w: off.accept_sdk(w.vars), exit_code=2,
             setup=lambda w: off.accepting(lambda: off.payment(merchant=off.OTHER_MERCHANT))(w.vars, w.home)),
    BadInput("offline purse payment over the purse (tampered device)", purse_terminal.OverPurse,
             r"rejected \(over-purse\): the device has spent 1,000.01 KZT in total .* more than the purse's 1,000.00 KZT",
             lambda w: off.accept_argv(w.vars), lambda w: off.accept_sdk(w.vars), exit_code=2,
             setup=lambda w: off.accepting(off.over_purse)(w.vars, w.home)),
    BadInput("offline purse payment from a revoked purse", purse_terminal.PurseRevoked,
             r"rejected \(revoked\): purse 0x(0e){32} was revoked by its bank",
             lambda w: off.accept_argv(w.vars), lambda w: off.accept_sdk(w.vars), exit_code=2,
             setup=lambda w: off.accepting(off.payment, off.revoke_prepare)(w.vars, w.home)),
    BadInput("offline purse payment signed after the purse expired", purse_terminal.PurseExpired,
             r"rejected \(expired\): the purse expired at unix time",
             lambda w: off.accept_argv(w.vars), lambda w: off.accept_sdk(w.vars), exit_code=2,
             setup=lambda w: off.accepting(lambda: off.over_expiry())(w.vars, w.home)),
    BadInput("offline purse: paying more than the purse holds", PurseExhausted,
             r"1,000.01 KZT is more than the 1,000.00 KZT left in the purse",
             lambda w: off.pay_argv(w.vars), lambda w: off.pay_sdk(w.vars), exit_code=2,
             setup=lambda w: off.purse_file(w.vars, w.home)),
    BadInput("offline settle of a terminal kept for another purse contract", errors.InvalidInput,
             r"the terminal takes purses of contract 0x(?i:(0e){20}) on chain 31337"
             r", not 0x[0-9a-fA-F]{40} on chain 31337; "
             "nothing was sent",
             lambda w: off.settle_argv(w.vars, w.rpc_url, SHOP_ID), lambda w: off.settle_sdk(w.vars, w.session(5).offline(), SHOP_ID),
             exit_code=2, setup=lambda w: off.accepting(off.payment, off.replay_prepare)(w.vars, w.home)),
)  # fmt: skip

PARAMS = [pytest.param(case, "cli", id=f"cli: {case.name}") for case in CASES if case.cli] + [
    pytest.param(case, "sdk", id=f"sdk: {case.name}") for case in CASES if case.sdk
]


@pytest.fixture(scope="module")
def bad_world(suite: Suite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BadWorld]:
    """Built once on the suite as deployed; rolled back afterwards, so later tests see the suite as deployed."""
    w3 = Web3(Web3.HTTPProvider(suite.rpc_url))
    clean = rpc(w3, "evm_snapshot")
    world = build_world(suite, tmp_path_factory.mktemp("bad-input"))
    yield world
    assert rpc(w3, "evm_revert", [clean]), "anvil failed to roll back the bad-input world"


@pytest.fixture
def world(bad_world: BadWorld, monkeypatch: pytest.MonkeyPatch) -> Iterator[BadWorld]:
    """The bad-input world in a snapshot of its own, with the CLI's environment: no key or password in it."""
    for name, value in _base_env(bad_world).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    snapshot = rpc(bad_world.w3, "evm_snapshot")
    bad_world.vars.clear()
    yield bad_world
    assert rpc(bad_world.w3, "evm_revert", [snapshot]), "anvil failed to roll back the case"


def _base_env(w: BadWorld) -> Env:
    return {
        "TENGE_HOME": str(w.home),
        "TENGE_DEPLOYMENTS_DIR": str(w.record_dir),
        "TENGE_CONFIG": None,
        "TENGE_PROJECT_ROOT": None,
        "TENGE_KEYSTORE_PASSWORD": None,
        "TENGE_PRIVATE_KEY": None,
        "TENGE_IMPORT_KEY": None,
    }


def _apply(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


def _assert_no_key(text: str) -> None:
    lowered = text.lower()
    for key in ALL_DEV_KEYS:
        assert key_hex(key) not in lowered, "a private key was printed"


@pytest.mark.parametrize(("case", "via"), PARAMS)
def test_bad_input_is_refused_specifically_and_sends_nothing(
    world: BadWorld, case: BadInput, via: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if case.setup:
        case.setup(world)
    env = case.env(world) if case.env else {}
    before = world.chain_state()
    if via == "cli":
        assert case.cli is not None
        argv = case.cli(world)
        result = CliRunner(mix_stderr=False).invoke(cli, argv, env=env)
        output = result.stdout + result.stderr
        assert result.exit_code == case.exit_code, f"{argv}: exit {result.exit_code}\n{output}"
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in output
        assert re.search(case.message, result.stderr), result.stderr
        _assert_no_key(output)
    else:
        assert case.sdk is not None
        _apply(env, monkeypatch)
        with pytest.raises(case.error, match=case.message) as caught:
            case.sdk(world)
        assert caught.value.exit_code == case.exit_code
        _assert_no_key(str(caught.value))
    assert world.chain_state() == before, "nothing may reach the chain: block number and nonces must not move"
    count("bad-input", "bad-input matrix: {n} rows checked")


def test_every_case_runs_through_the_cli_and_the_sdk_or_says_why_not() -> None:
    """No CLI form: the delivery batches (``deliverBatch`` is the relayer's; `tenge bridge deliver` delivers one
    transfer), the expired permit (the CLI signs its own permits with a fresh deadline) and the frozen spender
    (the CLI has no transferFrom: spending allowances is for integrators and contracts)."""
    assert [c.name for c in CASES if c.cli is None] == [
        "expired permit (past its deadline)",
        "frozen spender uses an allowance it holds",
        "bridge: an empty delivery batch",
        "bridge: a delivery batch over MAX_BATCH",
    ]
    assert all(c.sdk is not None for c in CASES)
    assert len({c.name for c in CASES}) == len(CASES)


# --- keys and keystores ------------------------------------------------------------------------------------


def test_keystores_are_mode_600_in_a_700_folder_and_hold_no_plain_key(world: BadWorld) -> None:
    folder = world.home / "keystores"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    ops = folder / "ops.json"
    assert stat.S_IMODE(ops.stat().st_mode) == 0o600
    assert key_hex(world.key(OPS)) not in ops.read_text().lower()
    assert stat.S_IMODE((folder / "leaky.json").stat().st_mode) == 0o644  # set by the world: refused above
    created = CliRunner(mix_stderr=False).invoke(
        cli, ["accounts", "new", "fresh", "--json"], env={"TENGE_KEYSTORE_PASSWORD": PASSWORD}
    )
    assert created.exit_code == 0, created.stderr
    assert stat.S_IMODE((folder / "fresh.json").stat().st_mode) == 0o600
    assert os.stat(folder / "fresh.json").st_uid == os.getuid()
    (folder / "fresh.json").unlink()


def test_no_command_prints_a_private_key(world: BadWorld) -> None:
    """Commands that load, use or import keys print addresses, signatures and hashes, never a key."""
    runner = CliRunner(mix_stderr=False)
    url, payee = world.rpc_url, PAYEE_ADDRESS
    local = ["--network", "local", "--rpc-url", url]
    invocations: list[tuple[list[str], Env]] = [
        (["accounts", "import", "imported"], {"TENGE_IMPORT_KEY": "0x" + key_hex(world.key(LEAKY)), "TENGE_KEYSTORE_PASSWORD": PASSWORD}),
        (["accounts", "list", "--json"], {}),
        (["token", "balance", *local, "--account", "ops", "--json"], {"TENGE_KEYSTORE_PASSWORD": PASSWORD}),
        (["token", "transfer", *local, "--account", f"dev:{PAYER}", payee, "1.00"], {}),
        (["token", "transfer", *local, payee, "1.00"], {"TENGE_PRIVATE_KEY": "0x" + key_hex(world.key(OPS))}),
        (["token", "offline", "sign", "--network", "local", "--account", f"dev:{PAYER}", "--json", payee, "1.00"], {}),
        (["vat", "offline", "sign", "--network", "local", "--account", f"dev:{PAYER}", "--json", str(SHOP_ID), "11.60", "K-1"], {}),
        (["programme", "spend", "1", str(SHOP_ID), "1.00", "K-3", "--offline", "--network", "local", "--account", f"dev:{PAYER}", "--json"], {}),
        (["vat", "pay", *local, "--account", f"dev:{PAYER}", str(SHOP_ID), "11.60", "K-2"], {}),
    ]  # fmt: skip
    try:
        for argv, env in invocations:
            result = runner.invoke(cli, argv, env=env)
            output = result.stdout + result.stderr
            _assert_no_key(output)
            # the raw-key transfer comes from an account with no tokens: refused, and still no key shown
            assert result.exit_code == 0 or "TENGE_PRIVATE_KEY" in env, f"{argv}: {output}"
    finally:
        (world.home / "keystores" / "imported.json").unlink(missing_ok=True)
