"""Replay the last months' cases under a draft policy (the one in force with some values changed):

    python manage.py recovery_replay [--location ID] [--months 12] [--set generosity=1.2 ...] [--json]

The same replay as the policy page's preview (recovery.replays.replay_now); nothing is saved.
"""

import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Location
from recovery.approval_rules import plain_money
from recovery.forms import POLICY_FIELDS, PolicyForm
from recovery.models import PolicyVersion
from recovery.replay import FIGURES
from recovery.replays import MONTHS_MAX, draft_to_json, replay_now
from recovery.selectors import policy_in_force


class Command(BaseCommand):
    help = "Replay the last months' cases under the policy in force with --set values changed, and print the summary."

    def add_arguments(self, parser):
        parser.add_argument("--location", type=int, help="Only this location's cases (its id).")
        parser.add_argument("--months", type=int, default=12, help=f"How far back (1 to {MONTHS_MAX}).")
        parser.add_argument(
            "--set", action="append", default=[], dest="changes", metavar="NAME=VALUE", help="A value of the draft."
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the whole result as JSON.")

    def handle(self, *args, location, months, changes, as_json, **options):
        if not 1 <= months <= MONTHS_MAX:
            raise CommandError(f"--months must be from 1 to {MONTHS_MAX}.")
        if location is not None and not Location.objects.filter(pk=location).exists():
            raise CommandError(f"No location has the id {location}.")
        in_force = policy_in_force()
        values = self.draft_values(in_force.row, changes)
        draft = draft_to_json(values, in_force.catalogue)
        result = replay_now(draft=draft, location_ids=None if location is None else [location], months=months)
        if as_json:
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self.print_summary(result, changes)

    def draft_values(self, row: PolicyVersion, changes: list[str]) -> dict:
        """The policy in force with the changes, checked as the policy page checks them."""
        form = PolicyForm(instance=row)
        data = {name: "" if value is None else value for name, value in form.initial.items() if name in POLICY_FIELDS}
        data["note"] = "recovery_replay"
        for change in changes:
            name, sep, value = change.partition("=")
            if not sep or name not in POLICY_FIELDS or name == "note":
                raise CommandError(f"--set {change}: expected NAME=VALUE, NAME one of {', '.join(POLICY_FIELDS[:-1])}.")
            data[name] = value
        form = PolicyForm(data, instance=PolicyVersion())
        if not form.is_valid():
            errors = "; ".join(
                f"{name}: {' '.join(messages)}"  # type: ignore[arg-type]  # an ErrorList's items are its messages
                for name, messages in form.errors.items()
            )
            raise CommandError(f"The draft is not a valid policy: {errors}")
        return {name: form.cleaned_data[name] for name in POLICY_FIELDS}

    def print_summary(self, result: dict, changes: list[str]):
        out = self.stdout.write
        out(
            f"Replay of {result['months']} months ({result['since'][:10]} to {result['until'][:10]}): "
            f"the draft ({', '.join(changes) or 'no change'}) against v{result['in_force']} in force."
        )
        for scope in result["scopes"].values():
            out("")
            out(f"{scope['name']}: {scope['draft']['cases']:,} cases")
            out(f"  {'':<44}{'draft':>16}{'in force':>16}")
            for label, pick, kind in FIGURES:
                draft, now = SHOW[kind](pick(scope["draft"])), SHOW[kind](pick(scope["in_force"]))
                out(f"  {label:<44}{draft:>16}{now:>16}")
            largest = scope["draft"]["largest"]
            if largest:
                out("  Largest differences under the draft (suggested - approved):")
                for row in largest:
                    amounts = f"{row['suggested']:>12} - {row['given']:>12} = {row['difference']:>12}"
                    out(f"    {row['reference']}  {amounts}")


SHOW = {
    "money": lambda text: plain_money(Decimal(text)),
    "count": lambda n: f"{n:,}",
    "share": lambda share: f"{share:.0%}",
}
