"""Ledger writes: every movement of money goes through services.posting.post."""
