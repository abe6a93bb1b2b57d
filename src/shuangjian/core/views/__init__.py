"""Web pages of the school system, one module per area."""
