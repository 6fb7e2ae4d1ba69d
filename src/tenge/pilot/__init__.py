"""The digital-tenge pilot end to end across two chains with real services (`make demo`): see :mod:`tenge.pilot.run`."""
