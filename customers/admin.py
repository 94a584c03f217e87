"""The customer's back-office page is registered by desk/admin.py: its anonymise action
calls privacy's customer_anonymise, which changes cases, follow-ups and the portal too."""
