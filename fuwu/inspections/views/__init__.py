"""The inspection pages (R9.4, R9.7): checklists and their versions, rounds, the scoring form (laid out
for a phone: supervisors score on site), results with averages, and one's own results."""
