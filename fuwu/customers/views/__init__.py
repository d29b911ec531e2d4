"""The customer archive's pages (R2): one module per concept."""
