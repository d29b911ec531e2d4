"""Admin of the standards domain: commitments."""
