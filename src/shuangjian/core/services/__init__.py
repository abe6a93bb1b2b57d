"""Writes of the school system, one module per use-case family (roster, accounts, ...)."""
