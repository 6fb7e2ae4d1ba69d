"""The bridge validator (``tenge bridge validator run``): watches both bridges, waits for finality, signs
Transfer, Refund and EscrowAttestation messages with its own key, stores them and serves them over HTTP."""
