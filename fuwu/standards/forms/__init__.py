"""Forms of the standards pages (R10): they validate shape and hand the values to the actions."""
