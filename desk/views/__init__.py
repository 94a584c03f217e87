"""The pages that span apps: the case page and its actions, the case list, the customer page,
where people land, the notifications and /health/. They import the domain apps; no domain app
imports them."""
