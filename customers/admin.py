"""The customer's back-office page is registered by desk/admin.py: its anonymise action
calls desk's customer_anonymise, which changes cases, follow-ups and the portal too."""
