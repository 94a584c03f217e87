"""The words seed_bench makes its customers and cases from: real phrases, so that search has hits and misses."""

BRANCHES = [
    "Soho",
    "Camden",
    "Shoreditch",
    "Brixton",
    "Manchester",
    "Leeds",
    "Bristol",
    "Glasgow",
    "Cardiff",
    "York",
]
FIRST_NAMES = (  # noqa: SIM905 - names read best as words
    "Alice Ben Chloe David Ella Farid Grace Hugo Isla Jamal Kira Liam Maya Noah Olivia Priya Quinn Rosa Sam "
    "Tariq Uma Victor Wendy Xavier Yusuf Zoe Aoife Bogdan Carmen Dmitri Eilidh Fatima Gareth Hannah Ingrid "
    "Jorge Keisha Lukas Mei Niamh Oskar Pedro Rhys Sofia Tomasz Valentina Wei Yasmin"
).split()
LAST_NAMES = (  # noqa: SIM905 - names read best as words
    "Moreno Carter Nguyen Osei Fitzgerald Haddad Kim Lyons Okafor Hart Patel Shah Byrne Schmidt Rossi Novak "
    "Silva Walsh Dubois Tanaka Murphy Kowalski Evans Hughes Mensah Ahmed Jansen Costa Lindqvist Brennan "
    "O'Neill Achterberg Fernandes Zielinski Campbell Begum Ferreira Wright Yilmaz Andersen"
).split()

CATEGORY_WEIGHTS = {
    "billing_error": 12,
    "product_quality": 18,
    "delay": 22,
    "defective_product": 12,
    "missed_appointment": 8,
    "staff_conduct": 10,
    "broken_promise": 10,
    "other": 8,
}
WHAT = {
    "billing_error": [
        "was charged twice for the same order",
        "found a service charge nobody had mentioned",
        "was billed for a booking they had cancelled",
        "got the wrong discount on the invoice",
        "was refunded the wrong amount",
    ],
    "product_quality": [
        "said the coffee beans were stale",
        "found the sourdough hard and dry",
        "said the jacket's fabric tore on the first wash",
        "found the paint peeling after a week",
        "said the steak was overcooked and tough",
    ],
    "delay": [
        "waited fifty minutes for a booked table",
        "had the delivery arrive three days late",
        "waited an hour on hold",
        "saw the main course arrive cold after a long wait",
        "had the kitchen fitting slip by two weeks",
    ],
    "defective_product": [
        "had the repaired car break down on the motorway",
        "found the kettle would not heat",
        "received a laptop with a cracked screen",
        "got a bicycle with a faulty brake",
        "found the washing machine leaking",
    ],
    "missed_appointment": [
        "arrived for a fitting that was double-booked",
        "took the afternoon off and the engineer never came",
        "found the salon closed at the appointment time",
    ],
    "staff_conduct": [
        "was spoken to rudely at the counter",
        "was ignored while staff chatted",
        "was told the complaint was their own fault",
    ],
    "broken_promise": [
        "never got the callback we promised",
        "was promised a refund that never came",
        "ordered a birthday cake that was not ready",
    ],
    "other": [
        "kept getting newsletters after unsubscribing",
        "found the car park locked",
        "could not use the gift card online",
    ],
}
# What the mistake cost the customer beyond the price, where it can cost them something.
HIDDEN_COSTS = {
    "billing_error": "Bank charges for the overdraft",
    "product_quality": "Bought a replacement elsewhere",
    "delay": "Taxi home after the last train",
    "defective_product": "Tow truck and a hire car",
    "missed_appointment": "Half a day's unpaid leave",
    "broken_promise": "Bought a cake elsewhere at short notice",
}
OCCASION = [
    "",
    "",
    "",
    " It was their anniversary.",
    " They had guests with them.",
    " It was a birthday celebration.",
    " They were on their lunch break.",
    " It was a wedding order.",
]
CONSEQUENCE = [
    "",
    "",
    " They asked for a manager.",
    " They posted about it online.",
    " They said they would not come back.",
    " This is the second time this month.",
    " They had to take a taxi home.",
    " They missed a client meeting.",
]
NOTES = [
    "Called the customer back; they accepted a voucher.",
    "Customer asked to be contacted by email only.",
    "Spoke to the supplier about the fault.",
    "Manager apologised in person.",
]

# Why a manager turned a proposal down (a reason is required; the proposer reads it).
REJECTIONS = [
    "Too generous for what went wrong: offer the partial refund instead.",
    "Offer a free redo first; we can add more if they are still unhappy.",
    "They had a goodwill gesture last month: the apology and a fix will do.",
    "The order was not ours: the supplier is refunding them directly.",
]
# What staff note when a remedy reaches the customer, by the first word of the reference.
DELIVERY_REFERENCES = {
    "full_refund": "Refund",
    "partial_refund": "Refund",
    "correction": "Refund",
    "reimbursement": "Bank transfer",
    "gift_card": "Gift card",
    "discount": "Voucher",
    "free_redo": "Job",
    "free_item": "Parcel",
}
# What a failed send leaves in last_error, by channel.
SEND_ERRORS = {
    "email": [
        "550 5.1.1 Recipient address rejected: user unknown",
        "552 5.2.2 Mailbox full",
    ],
    "sms": [
        "The number is not reachable (carrier error 30003).",
        "The number cannot receive text messages.",
    ],
}
# What customers write beside their rating (most write nothing), from the lowest rating up.
SATISFACTION_COMMENTS = {
    1: ["Nobody got back to me.", "Still waiting for the refund."],
    2: ["An apology is not much after a ruined evening.", "It took three calls to sort out."],
    3: ["Fine in the end, but it took a while."],
    4: ["Thank you for sorting it out quickly.", "The manager's call was appreciated."],
    5: ["More than fair. We will be back.", "Really impressed by how you handled it."],
}
# Fixes of the cause, by the category of case they come from: (kind, title, what changes,
# what the customers are told). Titles are unique: seed_bench finds an action's category by it.
CORRECTIVE = {
    "billing_error": [
        (
            "process",
            "Check every bill against the order before it goes out",
            "A second person checks bills over 100 against the order.",
            "Every bill is now checked against your order before we send it.",
        ),
        (
            "training",
            "Till training on split bills and cancellations",
            "Half a day for every till user on split bills, voids and cancelled bookings.",
            "Our staff have been retrained on splitting bills and cancelling bookings.",
        ),
    ],
    "product_quality": [
        (
            "product",
            "New recipe card and tasting at the pass",
            "The head chef tastes every dish of the new menu at the pass on Friday and Saturday nights.",
            "Every dish is now checked by the head chef before it leaves the kitchen.",
        ),
        (
            "supplier",
            "Change of produce supplier",
            "The vegetable supplier is replaced after three failed deliveries.",
            "We have changed the supplier whose produce let you down.",
        ),
    ],
    "delay": [
        (
            "process",
            "A second runner on busy nights",
            "A second runner on Friday and Saturday evenings, and tables released 15 minutes later.",
            "We now have more staff on busy evenings, so you are not kept waiting.",
        ),
        (
            "policy",
            "Tell customers the wait when they arrive",
            "Hosts give an honest wait time and offer a drink or a later slot.",
            "We now tell you how long the wait is when you arrive, and offer you a choice.",
        ),
    ],
    "defective_product": [
        (
            "supplier",
            "Inspect every delivery from the warehouse",
            "Deliveries are opened and checked before they are shelved.",
            "We now check every delivery before it goes on sale.",
        ),
        (
            "process",
            "Test returned items before reselling them",
            "Returned items are tested and tagged before they go back on sale.",
            "Returned items are now tested before anyone can buy them again.",
        ),
    ],
    "missed_appointment": [
        (
            "process",
            "Text reminders the day before each appointment",
            "The booking system texts the customer and the technician the day before.",
            "You now get a reminder the day before, and so does your technician.",
        ),
        (
            "training",
            "Diary training for the booking team",
            "The booking team is trained on double-booking checks in the new diary.",
            "Our booking team has been trained so that appointments are not double-booked.",
        ),
    ],
    "staff_conduct": [
        (
            "training",
            "Customer care refresher for the whole team",
            "A refresher on listening, apologising and putting things right.",
            "Our whole team has had training in how to treat every customer with respect.",
        ),
        (
            "policy",
            "A manager on the floor at every shift",
            "Every shift has a named manager customers can ask for.",
            "There is now always a manager on duty you can ask for.",
        ),
    ],
    "broken_promise": [
        (
            "process",
            "Promises written on the order",
            "Any promise made to a customer is written on the order and checked at handover.",
            "Any promise we make you is now written on your order and checked.",
        ),
        (
            "policy",
            "Only promise what the diary shows",
            "Staff promise dates only from the live diary, never from memory.",
            "We now only promise dates our diary shows we can keep.",
        ),
    ],
    "other": [
        (
            "process",
            "Weekly review of every complaint",
            "The manager reads every case of the week on Monday and names one fix.",
            "We now review every complaint each week and fix what caused it.",
        ),
        (
            "policy",
            "Clearer signs and opening hours",
            "New signs for opening hours and the accessible entrance.",
            "Our opening hours and the accessible entrance are now clearly signed.",
        ),
    ],
}
