"""The auditor's view: state rebuilt from events against chain state, the event export, the privacy check."""
