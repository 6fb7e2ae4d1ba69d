"""Gathering validators' signatures over HTTP (the validators' read-only API, /work/team/services.md).

Every answer is checked here before it counts: it must parse as an attestation of the expected kind, for the
exact message the relayer read from the source chain, for the verifying bridge, recover to the signer it names
(``Attestation.is_genuine``), and that signer must be in the verifying bridge's current validator set. Anything
else - garbage, an unreachable endpoint, a wrong signer, a tampered message - is logged and ignored, never sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

import requests

from tenge.bridge.attestations import Attestation, AttestationError, BridgeDomain, EscrowFigure, Kind, Subject
from tenge.bridge.messages import BridgeTransfer
from tenge.errors import InvalidInput

log = logging.getLogger("tenge.relayer")


@dataclass
class Gathered:
    """Valid attestations (one per signer) and why the other endpoints gave none."""

    valid: list[Attestation] = field(default_factory=list)
    #: endpoint -> reason ("not signed yet", "unreachable", "wrong signer 0x..", "garbage: ...")
    missing: dict[str, str] = field(default_factory=dict)


class Gatherer:
    def __init__(self, endpoints: list[str], *, timeout: float = 2.0, on_reject: Callable[[str, str], None] | None = None) -> None:
        self.endpoints = [e.rstrip("/") for e in endpoints]
        self.timeout = timeout
        self.on_reject = on_reject
        self._http = requests.Session()
        # gatherings at once (a turn's transfers; the escrow figure ahead of its batch; long polls a turn stopped
        # waiting for once it had enough signatures, until they answer): a few threads each endpoint
        self._pool = ThreadPoolExecutor(max_workers=max(1, 3 * len(self.endpoints)), thread_name_prefix="gather")

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._http.close()

    def _get(self, url: str, extra: float = 0.0) -> tuple[int, Any]:
        response = self._http.get(url, timeout=self.timeout + extra)
        if response.status_code == 404:
            return 404, None
        response.raise_for_status()
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, {"not JSON": response.text[:80]}

    def fetch(self, path: str) -> dict[str, tuple[int, Any] | Exception]:
        """GET ``path`` from every endpoint at once: endpoint -> (status, json) or the exception."""

        answers = dict(self._answers(path, 0.0))
        return {endpoint: answers[endpoint] for endpoint in self.endpoints}

    def _answers(self, path: str, timeout: float) -> Iterator[tuple[str, tuple[int, Any] | Exception]]:
        """(endpoint, answer) of ``path`` from every endpoint as each answers (long polls may take ``timeout``
        seconds more than a plain request); the caller may stop reading once it has enough."""

        def one(endpoint: str) -> tuple[int, Any] | Exception:
            try:
                return self._get(endpoint + path, timeout)
            except (requests.RequestException, ValueError) as exc:
                return exc

        futures = {self._pool.submit(one, endpoint): endpoint for endpoint in self.endpoints}
        for future in as_completed(futures):
            yield futures[future], future.result()

    def gather(self, path: str, kind: Kind, domain: BridgeDomain, subject: Subject | None, validators: set[str]) -> Gathered:
        """The genuine ``kind`` attestations of ``subject`` (any EscrowFigure when None) for ``domain``."""
        result = Gathered()
        seen: set[str] = set()
        for endpoint, answer in self.fetch(path).items():
            if isinstance(answer, Exception):
                result.missing[endpoint] = f"unreachable: {type(answer).__name__}"
                continue
            status, body = answer
            if status == 404:
                result.missing[endpoint] = "not signed yet"
                continue
            reason, attestation = check(body, kind, domain, subject, validators)
            if attestation is None:
                result.missing[endpoint] = reason
                self._reject(endpoint, reason)
            elif attestation.signer not in seen:
                seen.add(attestation.signer)
                result.valid.append(attestation)
        return result

    def gather_range(
        self, source_chain: int, from_nonce: int, limit: int, expected: dict[str, tuple[BridgeTransfer, BridgeDomain, set[str]]],
        need: int = 1 << 30, *, wrong: set[str] | None = None, unusable: set[str] | None = None, wait: float = 0.0,
    ) -> dict[str, list[Attestation]]:
        """Transfer attestations of many transfers at once (``GET /v1/transfers?source=&from_nonce=&limit=``, one
        request per validator): transfer id -> genuine attestations, each checked like :meth:`gather`'s. The ids a
        validator signed for another message than expected are added to ``wrong``; the endpoints whose list answer
        could not be used (unreachable, an error, no list) to ``unusable``. With ``wait`` (seconds), each validator
        may hold its answer until it has signed the whole range (long polling, ``wait_ms``), and the answers are
        read as they come: the call returns as soon as every expected transfer has ``need`` attestations."""
        found: dict[str, dict[str, Attestation]] = {}
        path = f"/v1/transfers?source={source_chain}&from_nonce={from_nonce}&limit={limit}"
        if wait > 0:
            path += f"&wait_ms={int(wait * 1000)}"
        for endpoint, answer in self._answers(path, wait):
            self._take_list(endpoint, answer, expected, need, found, wrong, unusable)
            if wait > 0 and all(len(found.get(i, {})) >= need for i in expected):
                break  # enough: the slower validators' answers are not needed
        return {i: list(by_signer.values()) for i, by_signer in found.items()}

    def _take_list(
        self, endpoint: str, answer: tuple[int, Any] | Exception, expected: dict[str, tuple[BridgeTransfer, BridgeDomain, set[str]]],
        need: int, found: dict[str, dict[str, Attestation]], wrong: set[str] | None, unusable: set[str] | None,
    ) -> None:  # fmt: skip
        """One validator's list answer into ``found`` (see :meth:`gather_range`)."""
        if isinstance(answer, Exception) or answer[0] != 200:
            if unusable is not None:
                unusable.add(endpoint)
            return
        body = answer[1]
        # the validators answer a bare JSON list (tolerated too: {"transfers": [...]})
        items = body.get("transfers") if isinstance(body, dict) else body
        if not isinstance(items, list):
            self._reject(endpoint, "garbage: not a list of transfer attestations")
            if unusable is not None:
                unusable.add(endpoint)
            return
        for item in items:
            message = item.get("message") if isinstance(item, dict) else None
            transfer_id = message.get("id") if isinstance(message, dict) else None
            if transfer_id not in expected or len(found.get(transfer_id, {})) >= need:
                continue  # not asked for, or already enough: spare the signature checks
            transfer, domain, validators = expected[transfer_id]
            reason, attestation = check(item, "Transfer", domain, transfer, validators)
            if attestation is None:
                self._reject(endpoint, reason)
                if wrong is not None and reason.startswith("wrong message"):
                    wrong.add(transfer_id)
            else:
                found.setdefault(transfer_id, {}).setdefault(attestation.signer, attestation)

    def escrow(self, remote_chain_id: int, domain: BridgeDomain, validators: set[str], threshold: int) -> tuple[EscrowFigure, list[Attestation]] | None:
        """The newest escrow figure a threshold of validators signed identically, with their signatures.

        Each validator's latest is read first; validators a block apart disagree on it, so when no latest figure has
        a threshold, the newest sequence that a threshold of them has reached is asked of every validator by number
        (``/v1/escrow/<remote>/<sequence>``: every validator that processed that home block signed the same figure)."""
        latest = self._agreed(self.gather(f"/v1/escrow/{remote_chain_id}/latest", "EscrowAttestation", domain, None, validators), threshold)
        if latest[0] is not None:
            return latest[0]
        reached = sorted(latest[1], reverse=True)
        if len(reached) >= threshold:
            sequence = reached[threshold - 1]  # the newest sequence at least `threshold` validators have reached
            path = f"/v1/escrow/{remote_chain_id}/{sequence}"
            return self._agreed(self.gather(path, "EscrowAttestation", domain, None, validators), threshold)[0]
        return None

    @staticmethod
    def _agreed(gathered: Gathered, threshold: int) -> tuple[tuple[EscrowFigure, list[Attestation]] | None, list[int]]:
        """The newest figure signed identically by ``threshold`` of them (or None), and every sequence seen."""
        by_figure: dict[EscrowFigure, list[Attestation]] = {}
        for attestation in gathered.valid:
            assert isinstance(attestation.subject, EscrowFigure)
            by_figure.setdefault(attestation.subject, []).append(attestation)
        agreed = [(f, a) for f, a in by_figure.items() if len(a) >= threshold]
        sequences = [f.sequence for f, a in by_figure.items() for _ in a]
        if not agreed:
            return None, sequences
        figure, attestations = max(agreed, key=lambda item: item[0].sequence)
        return (figure, attestations[:threshold]), sequences

    def _reject(self, endpoint: str, reason: str) -> None:
        log.warning("validator answer ignored", extra={"fields": {"endpoint": endpoint, "reason": reason}})
        if self.on_reject:
            self.on_reject(endpoint, reason.split(":")[0])


#: signatures already recovered (an attestation is a frozen value: kind, domain, message, signer, signature), so a
#: transfer polled again while it waits for more validators costs no second ecrecover per answer (~1 ms each)
_GENUINE: dict[Attestation, bool] = {}
_GENUINE_MAX = 50_000


def genuine(attestation: Attestation) -> bool:
    """``attestation.is_genuine()``, remembered."""
    known = _GENUINE.get(attestation)
    if known is None:
        if len(_GENUINE) >= _GENUINE_MAX:
            _GENUINE.clear()
        known = _GENUINE[attestation] = attestation.is_genuine()
    return known


def check(body: Any, kind: Kind, domain: BridgeDomain, subject: Subject | None, validators: set[str]) -> tuple[str, Attestation | None]:
    """(reason, None) for an answer that must not count; ("", attestation) for one that may."""
    try:
        attestation = Attestation.from_dict(body, source="answer")
    except (AttestationError, InvalidInput) as exc:
        return f"garbage: {exc}", None
    if attestation.kind != kind:
        return f"wrong kind: {attestation.kind} where {kind} was asked", None
    if attestation.domain != domain:
        return f"wrong domain: chain {attestation.domain.chain_id} bridge {attestation.domain.verifying_contract}", None
    if subject is not None and attestation.subject != subject:
        return "wrong message: the signed message differs from the one on the source chain", None
    if not genuine(attestation):
        return f"bad signature: does not recover to {attestation.signer}", None
    if attestation.signer not in validators:
        return f"wrong signer: {attestation.signer} is not a validator of the verifying bridge", None
    return "", attestation
