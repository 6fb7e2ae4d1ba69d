"""Offline purses (issue 22): a bank-certified purse bound to a device key, paid from offline.

Import-light on purpose: a merchant terminal is a small POS device (pure Python + coincurve), so nothing here
pulls in web3. Modules: ``types`` (the shared EIP-712 typed data, dataclasses, digests, signing and recovery),
``device`` (the payer's side: signs the next payment), ``codec`` (the compact ``dtoff1:`` string),
``terminal`` (the merchant's side: verifies with no connection and stores durably). The on-chain side (purse
contract client, settlement) lives elsewhere and may import web3; this package never imports it.
"""
