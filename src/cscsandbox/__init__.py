"""Reference CSC service (PrimeSign stand-in)."""
