"""Pages of the standards domain (R3.2, R10): one module per concept, thin (parse, call, render).

`fuwu.standards.urls` gathers each module's `urlpatterns`.
"""
