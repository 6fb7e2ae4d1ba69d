"""A seeded random mix of every token and VAT operation, sent as raw signed transactions in pipelined batches
(anvil's automine off, one `evm_mine` per batch) so a few thousand transactions take seconds.

Operations are drawn at random and may revert (a transfer beyond a balance, a wipe of an unfrozen account):
a reverted transaction is mined and changes nothing, which is part of what the audit must get right.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract

from tenge.chain.roles import role_id_of as role_id

ADMIN, BANK, TREASURY = 0, 1, 7
PAYERS = (2, 3, 8, 9)
MERCHANTS = {2001: 4, 2002: 5, 2003: 6}  # merchant id -> payout (dev account)
HOLDERS = (1, 2, 3, 4, 5, 6, 7, 8, 9)
MAX_UINT = 2**256 - 1
GAS = 700_000


def rpc(w3: Web3, method: str, params: list[Any]) -> Any:
    reply = w3.provider.make_request(method, params)  # type: ignore[arg-type]
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]


@dataclass
class History:
    w3: Web3
    keys: list[LocalAccount]
    token: Contract
    vat: Contract
    seed: int = 12
    batch: int = 40  # x 700,000 gas fits a 30M-gas block: every transaction of a batch is mined in its block
    sent: int = 0
    _nonces: dict[int, int] = field(default_factory=dict)
    _queue: list[str] = field(default_factory=list)
    _payments: list[tuple[int, int, bytes, int]] = field(default_factory=list)
    _strangers: list[str] = field(default_factory=list)
    _attested: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        #: Invoice-book payments draw from their own stream, so the rest of the mix stays the sequence it was.
        self.book_rng = random.Random(self.seed + 1)
        self.chain_id = int(self.w3.eth.chain_id)
        self.fee = int(self.w3.eth.gas_price) * 2 + 10**9

    def address(self, index: int) -> str:
        return str(self.keys[index].address)

    def send(self, signer: int, contract: Contract, fn: str, *args: Any) -> None:
        if signer not in self._nonces:
            self._nonces[signer] = int(self.w3.eth.get_transaction_count(self.address(signer)))
        tx = {
            "to": contract.address, "data": contract.encode_abi(fn, list(args)), "gas": GAS, "nonce": self._nonces[signer],
            "chainId": self.chain_id, "maxFeePerGas": self.fee, "maxPriorityFeePerGas": 1, "type": 2, "value": 0,
        }  # fmt: skip
        self._nonces[signer] += 1
        signed = self.keys[signer].sign_transaction(tx)
        self._queue.append("0x" + bytes(signed.raw_transaction).hex())
        if len(self._queue) >= self.batch:
            self.flush()

    def flush(self) -> None:
        for raw in self._queue:
            rpc(self.w3, "eth_sendRawTransaction", [raw])
        if self._queue:
            rpc(self.w3, "evm_mine", [])
        self.sent += len(self._queue)
        self._queue.clear()

    # --- setup ------------------------------------------------------------------------------------

    def setup(self) -> None:
        rpc(self.w3, "evm_setAutomine", [False])
        t, v = self.token, self.vat
        self.send(ADMIN, t, "grantRole", role_id("MINTER_ROLE"), self.address(BANK))
        self.send(ADMIN, t, "grantRole", role_id("MINTER_ROLE"), self.address(ADMIN))
        for index in HOLDERS:
            self.send(ADMIN, t, "setTier", self.address(index), 3 if index in (BANK, TREASURY, *MERCHANTS.values()) else 2)
        self.send(ADMIN, t, "setMinterAllowance", self.address(BANK), 10**13)
        self.send(ADMIN, t, "setMinterAllowance", self.address(ADMIN), 10**12)
        self.send(ADMIN, v, "setTreasury", self.address(TREASURY))
        for merchant, payout in MERCHANTS.items():
            self.send(ADMIN, v, "registerMerchant", merchant, self.address(payout), merchant != 2003, 1 if merchant != 2002 else 2)
            if merchant != 2003:  # 2003 keeps its default only: a payment under another category is refused
                self.send(ADMIN, v, "setMerchantCategories", merchant, [1, 2, 3])
        self.flush()
        for index in PAYERS:
            self.send(BANK, t, "mint", self.address(index), 3_000_000_00)
            self.send(index, t, "approve", v.address, MAX_UINT if index % 2 else 10**15)  # an unlimited approval too
        for payout in (*MERCHANTS.values(), TREASURY):
            self.send(payout, t, "approve", v.address, 10**15)
        self.flush()

    # --- the mix ----------------------------------------------------------------------------------

    def run(self, transactions: int) -> int:
        """Send about ``transactions`` random operations; returns the number sent (setup included)."""
        self.setup()
        operations = [getattr(self, name) for name in dir(self) if name.startswith("op_")]
        weights = [getattr(op, "weight", 1) for op in operations]
        drawn = books = 0
        while self.sent + len(self._queue) - books < transactions:  # the book payments come on top
            self.rng.choices(operations, weights)[0]()
            drawn += 1
            if drawn % 8 == 0:
                self.book_payment()
                books += 1
        self.flush()
        for _ in range(10):  # a batch that overflowed its block leaves transactions pending: mine them too
            if all(self.w3.eth.get_transaction_count(self.address(i), "pending") == self.w3.eth.get_transaction_count(self.address(i))
                   for i in self._nonces):  # fmt: skip
                break
            rpc(self.w3, "evm_mine", [])
        else:
            raise AssertionError("transactions of the random mix stayed pending")
        rpc(self.w3, "evm_setAutomine", [True])
        return self.sent

    def _amount(self, top: int = 50_000_00) -> int:
        return self.rng.randint(1, top)

    def _holder(self) -> int:
        return self.rng.choice(HOLDERS)

    def op_transfer(self) -> None:
        self.send(self._holder(), self.token, "transfer", self.address(self._holder()), self._amount())

    op_transfer.weight = 8  # type: ignore[attr-defined]

    def op_batch_transfer(self) -> None:
        to = [self.address(self._holder()) for _ in range(3)]
        self.send(self._holder(), self.token, "batchTransfer", to, [self._amount(1000_00) for _ in to])

    def op_pay(self) -> None:
        merchant = self.rng.choice(list(MERCHANTS))
        payer, invoice = self.rng.choice(PAYERS), self.rng.randbytes(32)
        gross = self._amount(20_000_00)
        self._payments.append((merchant, payer, invoice, gross))
        self.send(payer, self.vat, "pay", merchant, gross, self.rng.choice((0, 0, 1, 2, 3)), invoice)

    op_pay.weight = 10  # type: ignore[attr-defined]

    def book_payment(self) -> None:
        """A payment of a numbered invoice from a merchant's invoice book (numbers repeat: a repeat is refused)."""
        rng = self.book_rng
        merchant, payer = rng.choice(list(MERCHANTS)), rng.choice(PAYERS)
        self.send(payer, self.vat, "payInvoice", merchant, rng.randint(1, 120), rng.randint(1, 20_000_00),
                  rng.choice((0, 0, 1, 2, 3)), rng.randbytes(32))  # fmt: skip

    def op_refund(self) -> None:
        if not self._payments:
            return
        merchant, payer, invoice, gross = self.rng.choice(self._payments)
        self.send(MERCHANTS[merchant], self.vat, "refund", merchant, self.address(payer), invoice, self.rng.randint(1, gross))

    op_refund.weight = 4  # type: ignore[attr-defined]

    def op_withdraw(self) -> None:
        self.send(TREASURY, self.vat, "withdrawVat", self._amount(5_000_00), self.rng.randbytes(32))

    op_withdraw.weight = 2  # type: ignore[attr-defined]

    def op_vat_admin(self) -> None:
        v, merchant = self.vat, self.rng.choice(list(MERCHANTS))
        choice = self.rng.randrange(4)
        if choice == 0:
            self.send(ADMIN, v, "setVatReserve", self._amount(1_000_00))
        elif choice == 1:
            self.send(ADMIN, v, "setMerchantActive", merchant, self.rng.random() < 0.7)
        elif choice == 2:
            self.send(ADMIN, v, "updateMerchant", merchant, self.address(MERCHANTS[merchant]), merchant != 2003, self.rng.choice((1, 2)))
        else:
            self.send(ADMIN, v, "labelCategory", self.rng.choice((1, 2, 3)), self.rng.choice(("standard", "reduced", "zero")))

    def op_rates(self) -> None:
        category = self.rng.choice((1, 2, 5))
        if self.rng.random() < 0.4:
            self.send(ADMIN, self.vat, "cancelRateChange", category)
            return
        stamp = int(self.w3.eth.get_block("latest")["timestamp"])
        start = 0 if self.rng.random() < 0.4 else stamp + self.rng.randint(1, 40)  # now, or a pending change
        self.send(ADMIN, self.vat, "scheduleRate", category, self.rng.choice((0, 500, 1200, 1600)), start)

    def op_mint_burn(self) -> None:
        choice = self.rng.randrange(4)
        if choice == 0:
            self.send(BANK, self.token, "mint", self.address(self._holder()), self._amount())
        elif choice == 1:
            self.send(ADMIN, self.token, "batchMint", [self.address(self._holder()) for _ in range(2)], [self._amount(), self._amount()])
        elif choice == 2:
            self.send(BANK, self.token, "burn", self._amount(1_000_00))
        else:
            self.send(self._holder(), self.token, "redeem", self.address(BANK), self._amount(1_000_00), self.rng.randbytes(32))

    op_mint_burn.weight = 3  # type: ignore[attr-defined]

    def op_compliance(self) -> None:
        t, who = self.token, self.address(self._holder())
        choice = self.rng.randrange(8)
        if choice == 0:
            self.send(ADMIN, t, "freezeAmount", who, self._amount(20_000_00))
        elif choice == 1:
            self.send(ADMIN, t, "unfreezeAmount", who, self._amount(20_000_00))
        elif choice == 2:
            self.send(ADMIN, t, "freeze", who)
        elif choice == 3:
            self.send(ADMIN, t, "unfreeze", who)
        elif choice == 4:
            self.send(ADMIN, t, "forceTransfer", who, self.address(self._holder()), self._amount(), (b"COURT-%06d" % self.rng.randrange(10**6)).ljust(32, b"\0"))
        elif choice == 5:
            self.send(ADMIN, t, "wipe", who, self._amount(10_000_00), b"WIPE-ORDER".ljust(32, b"\0"))
        elif choice == 6:
            self.send(ADMIN, t, "setTier", who, self.rng.choice((1, 2, 3)))
        else:
            self._recover()

    op_compliance.weight = 4  # type: ignore[attr-defined]

    def _recover(self) -> None:
        """Recover a stranger account (funded first) to a fresh one: moves balance, frozen amount, tier, flags."""
        lost = Web3.to_checksum_address(self.rng.randbytes(20))
        new = Web3.to_checksum_address(self.rng.randbytes(20))
        self.send(ADMIN, self.token, "setTier", lost, 2)
        self.send(self._holder(), self.token, "transfer", lost, self._amount(1_000_00))
        self.send(ADMIN, self.token, "freezeAmount", lost, self._amount(500_00))
        self.send(ADMIN, self.token, "setTier", new, 1)
        self.send(ADMIN, self.token, "recover", lost, new, b"RECOVERY".ljust(32, b"\0"))

    def op_token_admin(self) -> None:
        t = self.token
        choice = self.rng.randrange(5)
        if choice == 0:
            self.send(ADMIN, t, "setMinterAllowance", self.address(BANK), self._amount(10**12))
        elif choice == 1:
            self.send(ADMIN, t, "setTierCap", self.rng.choice((1, 2)), self._amount(10**10))
        elif choice == 2:
            stamp = int(self.w3.eth.get_block("latest")["timestamp"])
            if stamp > self._attested:
                self._attested = stamp
                self.send(ADMIN, t, "attestReserve", self._amount(10**14), stamp)
        elif choice == 3:
            pausable = self.rng.choice((self.token, self.vat))
            self.send(ADMIN, pausable, "pause")
            self.send(ADMIN, pausable, "unpause")
        else:
            who = self.address(self._holder())
            self.send(ADMIN, t, "grantRole", role_id("PAUSER_ROLE"), who)
            if self.rng.random() < 0.5:
                self.send(ADMIN, t, "revokeRole", role_id("PAUSER_ROLE"), who)
