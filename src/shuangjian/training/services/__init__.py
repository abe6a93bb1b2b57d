"""Training writes: the registry and licences, sites and staff, sanctions, guidance prices, courses."""
