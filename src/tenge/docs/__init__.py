"""Generated documentation: the CLI reference (``docs/cli.md``), the API reference (``docs/api.md``) and the
named contract-error classes (``src/tenge/contract_errors.py``).

Regenerate everything with one command from the checkout: ``python -m tenge.docs`` (``--check`` only reports
what is stale, exit 1). Tests fail when a committed file differs from what the generators produce.
"""
