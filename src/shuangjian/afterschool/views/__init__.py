"""The after-school pages under /afterschool/: one module per audience."""
