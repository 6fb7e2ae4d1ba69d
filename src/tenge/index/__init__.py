"""The event index: every event of the suite's contracts, decoded, in SQLite (default) or PostgreSQL."""
