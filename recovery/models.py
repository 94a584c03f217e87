# Remedies, proposals and approvals arrive with the recovery engine (issue 3).
