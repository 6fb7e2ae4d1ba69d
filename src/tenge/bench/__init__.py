"""The gas benchmark: our token and VAT payments beside OpenZeppelin peers and Request Network's ERC20FeeProxy.

Everything runs on one throw-away anvil: :mod:`tenge.bench.runner` starts it, deploys (ours through the suite's
real deploy plan, the peers from ``contracts/bench/`` and the fee proxy from ``node_modules``), brings every token
to the same state, measures each operation's exact ``gasUsed`` and stops anvil.
"""

from tenge.bench.runner import run_gas_benchmark

__all__ = ["run_gas_benchmark"]
