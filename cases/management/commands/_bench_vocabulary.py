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
