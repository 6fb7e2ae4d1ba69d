"""Shared CLI plumbing: error handling, network/account options, text or --json output."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import click

from tenge.cli.display import JSON_META, error_document, json_ready, plain, wants_json
from tenge.errors import InvalidAddress, InvalidAmount, InvalidInput, TengeError

if TYPE_CHECKING:
    from tenge.chain.fees import FeeOverrides
    from tenge.chain.networks import Network
    from tenge.chain.transactions import TxSender
    from tenge.session import Session

F = TypeVar("F", bound=Callable[..., Any])


class TengeGroup(click.Group):
    """A click group that turns every :class:`TengeError` into a one-line message and a non-zero exit.

    With ``--json`` the error is a JSON document on stdout instead (see :mod:`tenge.cli.display`), for bad
    input click refuses (exit 2) as well; the exit code is the same either way."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if wants_json(args):
            ctx.meta[JSON_META] = True
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        from tenge.cli.exit_codes import INTERRUPTED
        from tenge.cli.progress import IN_FLIGHT

        try:
            return super().invoke(ctx)
        except TengeError as exc:
            from tenge.errors import TransactionPending

            if ctx.meta.get(JSON_META):
                _echo_json(error_document(exc, exc.exit_code))
            else:
                # A transaction on its way is not an error: it may have happened (exit 4/5, see `tenge --help`).
                click.echo(f"{'Pending' if isinstance(exc, TransactionPending) else 'Error'}: {exc}", err=True)
            raise click.exceptions.Exit(exc.exit_code) from None
        except click.ClickException as exc:
            if not ctx.meta.get(JSON_META):
                raise
            _echo_json(error_document(exc, exc.exit_code))
            raise click.exceptions.Exit(exc.exit_code) from None
        except (KeyboardInterrupt, click.Abort):
            # Ctrl-C: say what was on its way (hash, step) and how to pick it up, instead of "Aborted!"; with
            # --json as the error document every error is.
            message = IN_FLIGHT.interrupted_message()
            if ctx.meta.get(JSON_META):
                _echo_json(IN_FLIGHT.error_document(message, INTERRUPTED))
            else:
                click.echo(message, err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None


class RpcUrlType(click.ParamType):
    """An RPC URL: http(s):// and a host; anything else is a usage error (exit 2)."""

    name = "url"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from tenge.chain.connection import check_rpc_url
        from tenge.errors import InvalidInput

        try:
            return check_rpc_url(value)
        except InvalidInput as exc:
            self.fail(str(exc), param, ctx)


def network_options(func: F) -> F:
    func = click.option("--rpc-url", type=RpcUrlType(), default=None, help="Override the network's RPC URL.")(func)
    func = click.option(
        "--network", "-n", default="local", show_default=True,
        help="local, tester, bsc-testnet, bsc, opbnb-testnet, opbnb, or a network of tenge.toml ([networks.NAME]).",
    )(func)
    return func


def _store(name: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is not None:
            ctx.meta[name] = value
        return value

    return callback


class GweiType(click.ParamType):
    """A fee per gas in gwei (Decimal, up to 9 decimals: whole wei), non-negative; converted to wei."""

    name = "gwei"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from decimal import InvalidOperation

        if isinstance(value, int):
            return value
        try:
            gwei = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(f"{value!r} is not a number of gwei", param, ctx)
        wei = gwei * 10**9
        if not gwei.is_finite() or gwei < 0 or wei != wei.to_integral_value():
            self.fail(f"{value!r} is not a fee in gwei (non-negative, at most 9 decimals)", param, ctx)
        return int(wei)


GWEI = GweiType()
DUPLICATES_META = "tenge.duplicates"


def _duplicates(policy: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """--again / --replace: the sender's duplicate policy (:mod:`tenge.chain.duplicates`); not both."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value:
            if ctx.meta.get(DUPLICATES_META, policy) != policy:
                raise click.UsageError("--again and --replace exclude each other", ctx)
            ctx.meta[DUPLICATES_META] = policy
        return value

    return callback

#: option, ctx.meta key, help
FEE_OPTIONS = (
    ("--gas-price", "tenge.gas_price", "Gas price in gwei, instead of the node's (legacy networks: bsc, bsc-testnet)."),
    ("--max-fee", "tenge.max_fee", "Most paid per gas in gwei, tip included (EIP-1559 networks: opbnb, local)."),
    ("--priority-fee", "tenge.priority_fee", "Tip per gas in gwei (EIP-1559 networks: opbnb, local)."),
)


def fee_overrides() -> "FeeOverrides":
    """The --gas-price / --max-fee / --priority-fee of the running command (wei)."""
    from tenge.chain.fees import FeeOverrides

    ctx = click.get_current_context(silent=True)
    meta = ctx.meta if ctx is not None else {}
    return FeeOverrides(meta.get("tenge.gas_price"), meta.get("tenge.max_fee"), meta.get("tenge.priority_fee"))


def signer_options(func: F) -> F:
    func = network_options(func)
    func = click.option(
        "--timeout", type=click.FloatRange(min=0, min_open=True), default=None, expose_value=False,
        callback=_store("tenge.tx_timeout"), metavar="SECONDS",
        help="How long a write waits for its receipt and confirmations (default 180, or $TENGE_TX_TIMEOUT). "
        "When it ends first: exit 4 (sent, not mined) or 5 (mined, not confirmed) - do not resend.",
    )(func)
    func = click.option(
        "--confirmations", type=click.IntRange(min=1), default=None, expose_value=False,
        callback=_store("tenge.tx_confirmations"),
        help="Confirmations to wait for (default: the network's, e.g. 3 on bsc-testnet).",
    )(func)  # fmt: skip
    func = click.option(
        "--replace", is_flag=True, default=False, expose_value=False, callback=_duplicates("replace"),
        help="Replace an identical pending transaction from this account (same nonce, higher fee: only one lands).",
    )(func)
    func = click.option(
        "--again", is_flag=True, default=False, expose_value=False, callback=_duplicates("again"),
        help="Send even though an identical transaction from this account is pending or was just mined "
        "(refused by default: a re-run must not do it twice).",
    )(func)
    for flag, key, meaning in FEE_OPTIONS:
        func = click.option(
            flag, type=GWEI, default=None, expose_value=False, callback=_store(key), metavar="GWEI", help=meaning,
        )(func)
    func = click.option(
        "--account", "-a", default=None,
        help="Keystore alias (tenge accounts list), or dev:N for anvil's dev keys on local networks.",
    )(func)  # fmt: skip
    return func


def reader_options(func: F) -> F:
    """--network, --rpc-url and --account for a command that sends nothing: no fee, timeout, confirmation or
    duplicate options (they would mean nothing)."""
    func = network_options(func)
    func = click.option(
        "--account", "-a", default=None,
        help="Keystore alias (tenge accounts list), or dev:N for anvil's dev keys on local networks.",
    )(func)  # fmt: skip
    return func


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")(func)


def open_session(
    network: str, rpc_url: str | None, account: str | None = None, *, read_only: bool = False
) -> "Session":
    """Open a session: network and account are checked first; a keystore password is asked for (when not
    in ``$TENGE_KEYSTORE_PASSWORD``) only when the first transaction is signed, never for reads."""
    from tenge.chain.networks import get_network
    from tenge.session import Session

    fee_overrides().check(get_network(network))  # a meaningless fee option is refused before connecting
    return Session.open(
        network, account=account, rpc_url=rpc_url, read_only=read_only,
        password_prompt=prompt_password, sender_hook=configure_sender,
    )


def configure_sender(sender: "TxSender") -> None:
    """CLI senders journal every transaction, print each hash as it is sent and honour --timeout/--confirmations
    and the fee options (--gas-price, --max-fee, --priority-fee)."""
    from tenge.chain.journal import TxJournal
    from tenge.cli.progress import IN_FLIGHT

    ctx = click.get_current_context(silent=True)
    meta = ctx.meta if ctx is not None else {}
    sender.timeout = meta.get("tenge.tx_timeout", sender.timeout)
    sender.confirmations = meta.get("tenge.tx_confirmations", sender.confirmations)
    overrides = fee_overrides()
    if overrides:
        sender.fees.override(overrides)
    sender.journal = TxJournal.default()
    sender.duplicates = meta.get(DUPLICATES_META, "refuse")
    sender.listener = IN_FLIGHT.listener
    IN_FLIGHT.network = sender.network.name


def prompt_password(alias: str) -> str:
    """The hidden prompt for keystore ``alias`` (an alias: never a key; those are refused before)."""
    return str(click.prompt(f"Password for {alias}", hide_input=True))


def emit(as_json: bool, data: Any, text: str | None = None) -> None:
    """Print a command's result: with ``as_json`` as JSON in the CLI's one style (snake_case keys, amounts as
    decimal strings, ISO 8601 dates: :func:`tenge.cli.display.json_ready`), else ``text`` or ``data`` as
    aligned lines (amounts ``1,300.00 KZT``, ISO dates)."""
    if as_json:
        _echo_json(data)
    else:
        click.echo(text if text is not None else plain(data))


def json_text(data: Any) -> str:
    """``data`` as the CLI's JSON (see :func:`emit`)."""
    return json.dumps(json_ready(data), indent=2, default=_json_default)


def _echo_json(data: Any) -> None:
    click.echo(json_text(data))


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, Mapping):  # web3's AttributeDict, e.g. a struct argument of a decoded event
        return dict(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class AmountType(click.ParamType):
    """An amount of tenge: up to 2 decimals, non-negative; rejected before anything is sent."""

    name = "amount"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Decimal:
        from tenge.amounts import parse_tenge

        try:
            return parse_tenge(value)
        except InvalidAmount as exc:
            self.fail(str(exc), param, ctx)


class AddressType(click.ParamType):
    """An address with a valid EIP-55 checksum (all-lowercase is accepted as unchecked)."""

    name = "address"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from tenge.addresses import checksum_address

        try:
            return checksum_address(value)
        except InvalidAddress as exc:
            self.fail(str(exc), param, ctx)


AMOUNT = AmountType()
ADDRESS = AddressType()


def signer_address(network: "Network", account: str | None) -> str:
    """The address ``account`` signs as, without unlocking anything: a keystore's address is in its file."""
    from tenge.chain.signers import locate_signer

    return locate_signer(network, account).address


def json_object_argument(text_or_file: str, what: str) -> dict[str, Any]:
    """A command argument holding a JSON object (a signed claim, a signed quote) either as text or in a file,
    parsed; ``what`` names it in the error (``InvalidInput``: neither JSON nor a readable file, not valid JSON, not
    an object)."""
    from pathlib import Path

    text = text_or_file.strip()
    if not text.startswith("{"):
        try:
            text = Path(text_or_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"{text_or_file!r} is neither {what} JSON nor a readable file ({exc.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"the {what} is not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"the {what} must be a JSON object")
    return data
