"""The bridge between the home ledger and BNB-side chains, from Python: ``session.bridge()``.

- :mod:`tenge.bridge.messages`: the transfer message and its id;
- :mod:`tenge.bridge.attestations`: validators' EIP-712 signatures and their JSON files;
- :mod:`tenge.bridge.client`: one end of the bridge (send, deliver, complete, cancel, refund, limits, validators);
- :mod:`tenge.bridge.status`: where a transfer is.
"""
