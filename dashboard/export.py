"""The dashboard as a CSV: every figure on the page, one a row, with the range it covers."""

CSV_HEADER = ["Section", "Figure", "Value", "Detail", "From", "To"]


def dashboard_csv_rows(page: dict):
    scope = page["scope"]
    days = [scope.start.isoformat(), scope.end.isoformat()]

    def figures(section, items):
        for item in items:
            yield [section, item.label, item.value, item.detail, *days]

    yield from figures("Headline", page["headline"])
    yield from figures("Warnings", page["warnings"])
    for stack in page["incidents"]["by_category"].stacks:
        for segment in stack.segments:
            yield ["Incidents by category", f"{segment.series}, {stack.label}", segment.display, "", *days]
    yield from figures("Repeat incidents", page["incidents"]["repeat"])
    for row in page["speed"]["durations"]:
        yield [
            "Speed",
            row["label"],
            row["median"],
            f"90%: {row['p90']}; average {row['average']}; {row['count']} cases",
            *days,
        ]
    yield from figures("First contact", page["speed"]["sla"])
    yield from figures("Callbacks", [page["speed"]["callbacks"]])
    yield from figures("Money", page["money"]["totals"])
    for row in page["money"]["locations"]:
        yield ["Money by location", row["name"], row["granted_cost"], f"budget {row['budget']}", *days]
    for row in page["money"]["kinds"]:
        yield ["Money by remedy", row["label"], row["granted_cost"], f"face value {row['granted_face']}", *days]
    yield from figures("Closing the loop", page["loop"])
    yield from figures("Outcome", page["verdict"]["outcomes"])
    for row in page["verdict"]["comparison"]:
        detail = f"{row['answers']} answers; will come back {row['will_return']}"
        yield ["The customer's verdict", row["label"], row["rating"], detail, *days]
    for row in page["staff"]:
        yield ["Staff", row["name"], row["cases"], f"first contact {row['contact']}; in time {row['in_time']}", *days]
