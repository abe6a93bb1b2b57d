"""The training pages: the public lookup (no login) and the supervision desk."""
