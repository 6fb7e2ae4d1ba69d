"""EIP-712 signatures the benchmark submits: EIP-2612 permits and EIP-3009 transfer authorizations.

The domain is read from the token itself (ERC-5267 ``eip712Domain()``), so one signer serves every peer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from web3.contract import Contract

PERMIT_TYPES = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}

TRANSFER_WITH_AUTHORIZATION_TYPES = {
    "TransferWithAuthorization": [
        {"name": "from", "type": "address"},
        {"name": "to", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "validAfter", "type": "uint256"},
        {"name": "validBefore", "type": "uint256"},
        {"name": "nonce", "type": "bytes32"},
    ]
}


@dataclass(frozen=True)
class Signature:
    v: int
    r: bytes
    s: bytes


def eip712_domain(token: Contract) -> dict[str, Any]:
    _fields, name, version, chain_id, verifying_contract, _salt, _extensions = token.functions.eip712Domain().call()
    return {"name": name, "version": version, "chainId": chain_id, "verifyingContract": verifying_contract}


def _sign(signer: LocalAccount, token: Contract, types: dict[str, Any], message: dict[str, Any]) -> Signature:
    encoded = encode_typed_data(domain_data=eip712_domain(token), message_types=types, message_data=message)
    signed = signer.sign_message(encoded)
    return Signature(signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big"))


def sign_permit(signer: LocalAccount, token: Contract, spender: str, value: int, deadline: int) -> Signature:
    nonce = token.functions.nonces(signer.address).call()
    message = {"owner": signer.address, "spender": spender, "value": value, "nonce": nonce, "deadline": deadline}
    return _sign(signer, token, PERMIT_TYPES, message)


def sign_transfer_authorization(
    signer: LocalAccount, token: Contract, to: str, value: int, valid_after: int, valid_before: int, nonce: bytes
) -> Signature:
    message = {
        "from": signer.address,
        "to": to,
        "value": value,
        "validAfter": valid_after,
        "validBefore": valid_before,
        "nonce": nonce,
    }
    return _sign(signer, token, TRANSFER_WITH_AUTHORIZATION_TYPES, message)
