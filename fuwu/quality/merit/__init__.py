"""Rewards and penalties linked to results (R9.5, R11.5): result rules, the period results they judge
and the outcomes a manager confirms or waives. `rules` is pure; `actions`, `selectors`, `views` and
`api` follow the house's skeleton inside this package."""
