"""The suggestion engine: what to offer a customer we let down (no Django import).
The amounts it starts from are recovery/amounts.py's.

Input: the case's facts, the customer, who is asking, the policy and the
catalogue. Output: two or three ranked options, each a bundle of remedies
with amounts, what they cost the business, one plain reason a line, and
whether the person asking may grant it or who must approve it.

The rules (docs/recovery-policy.md has worked examples):
1. Always a sincere apology and an honest explanation; a minor failure put right
   on the spot may be just that and the fix, offered first.
2. An overcharge recorded on the case is given back in full first; a correction
   is owed, so it is not compensation and counts against no cap or budget, but
   it is money all the same: it counts against the asker's limit.
3. The customer's hidden costs are reimbursed in full.
4. What failed is compensated by what the customer lost, counted once: a little
   past the price when they lost all of it (60-120%), the same for the share of the
   price they lost when they lost part; when they used it despite the flaw, a share
   of the price that grows more slowly past a knee; nothing but the gesture when
   they lost nothing. An occasion raises the aim; the time it cost them is added at
   an hourly value, minute by minute. Severity does not multiply the price (the price
   already raised it): it sets the least gesture, so moderate and worse never get
   words alone.
5. A repeat incident counts once, in the severity the case records (cases/severity.py);
   here it brings someone more senior to the phone and a step to fix the cause, never
   more money, and never an apology alone (a third apology in a quarter is worse than none).
6. A personal call from the manager (the owner when critical or a third time) for
   staff conduct, a broken promise, poor treatment, a repeat, major or critical harm,
   and customers of high value, whatever the money.
7. Compensation is capped at a multiple of the loss and at a share of the
   customer's yearly value (an unknown value counts as a typical customer's), but
   value never caps below a generous remedy for the loss: it only raises.
8. The rules hold whatever the catalogue: a disabled remedy gives way to the
   nearest enabled one, and from moderate up an option is never words alone.
Every amount is a non-decreasing, continuous function of every amount and harm fact,
and of the customer's value (tests check it with hypothesis).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Protocol

from cases.severity import Lost, Severity, duration_words
from core.translatable import Translate, as_it_is, gettext_noop

from .amounts import (
    CENT,
    ZERO,
    effective_severity,
    failure_compensation,
    loss_of,
    round_down,
    round_up,
    value_of,
)
from .amounts import (
    CaseFacts as CaseFacts,  # re-exported: the engine's input
)
from .amounts import (
    compensation_cap as compensation_cap,  # re-exported
)
from .approval_rules import approval_needed as approval_needed  # re-exported
from .approval_rules import money_granted as money_granted  # re-exported: part of the engine's interface
from .approval_rules import plain_money
from .policy import DEFAULT_CATALOGUE, DEFAULT_POLICY, Policy, RemedyKind, RemedyType, Role
from .totals import Totals, totals_of
from .words import SaidFacts, Voice, ordinal, to_customer

SEVERITIES = list(Severity)
FAILURE_REMEDY = {
    # Roschk & Gelbrich (2014): match the remedy to the kind of failure.
    "billing_error": RemedyKind.PARTIAL_REFUND,
    "product_quality": RemedyKind.FREE_REDO,
    "defective_product": RemedyKind.FREE_REDO,
    "missed_appointment": RemedyKind.FREE_REDO,
    "delay": RemedyKind.PARTIAL_REFUND,
    "staff_conduct": RemedyKind.FREE_ITEM,
    "broken_promise": RemedyKind.FREE_ITEM,
    "other": RemedyKind.GIFT_CARD,
}
PERSONAL_CATEGORIES = {"staff_conduct", "broken_promise"}
REFUNDS = {RemedyKind.FULL_REFUND, RemedyKind.PARTIAL_REFUND}
# Giving back or redoing what was paid for: nothing to give back when nothing was paid.
NEEDS_PAYMENT = REFUNDS | {RemedyKind.FREE_REDO}
# The nearest money remedies, in order, when the one a rule needs is disabled.
MONEY_REMEDIES = (
    RemedyKind.PARTIAL_REFUND,
    RemedyKind.FREE_ITEM,
    RemedyKind.GIFT_CARD,
    RemedyKind.DISCOUNT,
    RemedyKind.FREE_REDO,
)
MAX_OPTIONS = 3

# What staff read, marked for translation: said in the asker's language (`translate`); a
# proposal keeps its title and reasons as they were said.
APOLOGY_AND_FIX_AT_ONCE = gettext_noop("Apology and the fix, there and then")
APOLOGY_AND_FIX = gettext_noop("Apology and a fix")
APOLOGY_AND_GESTURE = gettext_noop("Apology and a personal gesture")
APOLOGY_AND_CARD = gettext_noop("Apology and a handwritten card")
MATCHED = gettext_noop("Matched to what went wrong")
MONEY_BACK = gettext_noop("Money back now")
CREDIT = gettext_noop("Credit for next time")
SAME_WORTH = gettext_noop("Something else of the same worth")
MANAGER_DECIDES = gettext_noop("A manager decides")
ALWAYS_APOLOGISE = gettext_noop("Always: a prompt, sincere apology and an honest explanation.")
GIVES_BACK = gettext_noop("gives back the {amount} overcharged, in full: owed, not compensation")
REIMBURSES = gettext_noop("reimburses the {amount} the customer paid: {what}")
COSTS_OF_THE_MISTAKE = gettext_noop("costs the mistake caused")
CALL_FROM = {
    RemedyKind.MANAGER_CALL: gettext_noop("a call from the manager within {hours} hours: {why}"),
    RemedyKind.OWNER_CALL: gettext_noop("a call from the owner within {hours} hours: {why}"),
}
REPEAT_CALL = gettext_noop(
    "it is the {ordinal} time in 90 days: link a corrective action on this case to fix the cause"
)
TREATED = gettext_noop("the failure was in how we treated them")
HARM_WAS = {
    Severity.MAJOR: gettext_noop("the harm was major"),
    Severity.CRITICAL: gettext_noop("the harm was critical"),
}
MOST_VALUED = gettext_noop("they are one of our most valued customers")
SERIOUS_CARD = gettext_noop("a handwritten card: it was serious")
CARD_SHOWS_CARE = gettext_noop("a personal note shows someone cares")
NO_MONEY_REMEDY = gettext_noop("no money remedy is enabled in the catalogue: a manager calls and decides what to give")
AS_MONEY_BACK = gettext_noop("{why}, as money back now")
AS_CREDIT = gettext_noop("{why}; as credit, worth a little more than money now")
AS_CREDIT_FOR_NEXT_TIME = gettext_noop("{why}; as credit, for next time")
WITH_NOTE = gettext_noop("{reason} ({note})")
UNKNOWN_CATEGORY = gettext_noop(
    "“{category}” is not a category the policy knows: suggested as for “other”; set the category."
)
NOTHING_PAID = gettext_noop("nothing was paid, so no {remedy}")
NOT_ENABLED = gettext_noop("{remedy} is not enabled in the catalogue")
A_FAILURE = {
    Severity.MINOR: gettext_noop("a minor failure"),
    Severity.MODERATE: gettext_noop("a moderate failure"),
    Severity.MAJOR: gettext_noop("a major failure"),
    Severity.CRITICAL: gettext_noop("a critical failure"),
}
GESTURE = gettext_noop("a {amount} gesture for {failure}")
FOR_ALL_LOST = gettext_noop("{amount} for the {loss} they did not get, a little past the price")
FOR_PART_LOST = gettext_noop("{amount} for the part of the {loss} they did not get, a little past it")
FOR_USED = gettext_noop("{amount} for {failure} on a {loss} purchase they used despite the flaw")
MORE_FOR_OCCASION = gettext_noop("more, as it was for an occasion")
WITH_THEIR_TIME = gettext_noop("with {time} of their time")
REDONE = gettext_noop("{why}: done again or replaced, free")
A_LITTLE_EXTRA = gettext_noop("a little extra in the customer's favour")


@dataclass(frozen=True)
class Asker:
    """Who asks for the suggestion: their role and their own limit, if set."""

    role: Role
    limit_override: Decimal | None = None
    # Whose limit a reason names: "your" for the person reading the suggestion, a name where
    # others read it (the approval queue, the case's timeline).
    name: str = ""


@dataclass(frozen=True)
class Line:
    kind: RemedyKind
    face_value: Decimal
    cost: Decimal
    reason: str
    # A discount given as a share of a future purchase; face_value is then its estimated worth.
    percent: Decimal | None = None

    @property
    def counts_as_compensation(self) -> bool:
        return self.kind is not RemedyKind.CORRECTION


@dataclass(frozen=True)
class Option:
    rank: int
    title: str
    lines: tuple[Line, ...]
    needs_approval: bool
    approver: Role | None
    approval_reason: str
    policy_version: int
    # What staff can say to the customer for this option (recovery/words.py).
    words: str = ""

    @property
    def face_value(self) -> Decimal:
        return sum((line.face_value for line in self.lines), ZERO)

    @property
    def compensation(self) -> Decimal:
        """What counts against caps and budgets: everything but a correction."""
        return compensation_of(self.lines)

    @property
    def cost(self) -> Decimal:
        return sum((line.cost for line in self.lines), ZERO)

    @property
    def totals(self) -> Totals:
        """Compensation, its cost to us and what is owed back, apart (recovery/totals.py)."""
        return totals_of(self.lines)


def compensation_of(lines: Iterable[Line]) -> Decimal:
    """What counts against caps and budgets: every amount but a correction."""
    return sum((line.face_value for line in lines if line.counts_as_compensation), ZERO)


def _personal_reason(facts: CaseFacts, severity: Severity, value: Decimal, policy: Policy, _: Translate) -> str:
    """Why the manager or owner calls, or "" when no call is due."""
    if facts.is_repeat:
        return _(REPEAT_CALL).format(ordinal=ordinal(facts.incident_number, _))
    if facts.category in PERSONAL_CATEGORIES or facts.treated_poorly:
        return _(TREATED)
    if severity in HARM_WAS:
        return _(HARM_WAS[severity])
    if value >= policy.high_value_from:
        return _(MOST_VALUED)
    return ""


class MakeLine(Protocol):
    """A line of `kind` worth `face`, at its cost to us from the catalogue (suggest's `line`)."""

    def __call__(self, kind: RemedyKind, face: Decimal, reason: str) -> "Line": ...


class Enabled(Protocol):
    """The first of `kinds` the catalogue offers for this case, if any (suggest's `enabled`)."""

    def __call__(self, *kinds: RemedyKind) -> RemedyKind | None: ...


Bundle = tuple[str, list["Line"]]  # an option's title and the remedies it adds


def suggest(
    facts: CaseFacts,
    *,
    asker: Asker,
    yearly_value: Decimal | None = None,
    policy: Policy = DEFAULT_POLICY,
    catalogue: dict[RemedyKind, RemedyType] = DEFAULT_CATALOGUE,
    budget_left: Decimal | None = None,
    money: Callable[[Decimal], str] = plain_money,
    on_case: Decimal = ZERO,
    words: bool = True,
    translate: Translate = as_it_is,
    customer: Voice | None = None,
) -> list[Option]:
    """Two or three ranked options for this case. Deterministic: same input, same output.
    `on_case` is the money the case already has granted or waiting (see `approval_needed`).
    Titles and reasons are for the asker: in English unless `translate` (gettext in their
    language) says otherwise, amounts written by `money`. What staff can say to the customer is
    in the `customer`'s voice (their language; the asker's if not given); `words=False` leaves it
    out: the what-if replay reads only the amounts, and the sentences were a fifth of its time."""
    _ = translate
    _check(facts)
    severity = effective_severity(facts)
    cap = compensation_cap(facts, yearly_value, policy)
    reimbursement = min(facts.hidden_costs, cap)
    for_failure = round_down(min(round_up(failure_compensation(facts, policy)), cap - reimbursement))
    loss = loss_of(facts)
    paid = facts.order_value > 0 or facts.overcharge > 0

    def line(kind: RemedyKind, face: Decimal, reason: str) -> Line:
        ratio = catalogue[kind].cost_ratio if kind in catalogue else Decimal(1)
        return Line(kind, face.quantize(CENT), round_down(face * ratio), reason)

    def enabled(*kinds: RemedyKind) -> RemedyKind | None:
        return next(
            (k for k in kinds if (k not in catalogue or catalogue[k].enabled) and (paid or k not in NEEDS_PAYMENT)),
            None,
        )

    before = _before(facts, line, money, _)
    after = _after(facts, severity, reimbursement, value_of(yearly_value, policy), policy, line, enabled, money, _)
    why_amount = _why(facts, loss, for_failure, money, _)
    bundles: list[Bundle] = []
    if facts.fixed_on_spot and severity is Severity.MINOR and not facts.is_repeat:
        bundles.append((_(APOLOGY_AND_FIX_AT_ONCE), []))
    if for_failure > 0:
        bundles += _money_bundles(
            facts, for_failure, loss, cap - reimbursement, why_amount, policy, catalogue, paid, line, enabled, _
        )
        # The rules above can collapse into one option (nothing paid, so no refund; credit
        # capped at the cash): staff still get a choice, of another remedy of the same worth.
        offered = {ln.kind for _title, extra in bundles for ln in extra}
        for kind in MONEY_REMEDIES:
            if len(_distinct(bundles, before, after)) >= 2:
                break
            if kind not in offered and enabled(kind):
                bundles.append((_(SAME_WORTH), [line(kind, for_failure, why_amount)]))
    if not any(extra for _title, extra in bundles):
        bundles += _without_money(severity, facts.is_repeat, after, line, enabled, _)

    voice = customer or Voice(translate, money)
    options: list[Option] = []
    for title, chosen in _distinct(bundles, before, after)[:MAX_OPTIONS]:
        needs, approver, reason = approval_needed(
            chosen, asker, policy, catalogue, budget_left, money, on_case=on_case, translate=translate
        )
        said = (
            to_customer(chosen, facts=_said_facts(facts), hours=policy.personal_call_within_hours, voice=voice)
            if words
            else ""
        )
        options.append(Option(len(options) + 1, title, chosen, needs, approver, reason, policy.version, said))
    return options


def _check(facts: CaseFacts) -> None:
    if any(amount < 0 for amount in (facts.order_value, facts.hidden_costs, facts.overcharge, facts.time_lost_minutes)):
        raise ValueError("Amounts cannot be negative.")
    if facts.earlier_recoveries < 0:
        raise ValueError("Earlier recoveries cannot be negative.")


def _before(facts: CaseFacts, line: MakeLine, money: Callable[[Decimal], str], _: Translate) -> list["Line"]:
    """What every option starts with: the apology, and any overcharge given back."""
    before = [line(RemedyKind.APOLOGY, ZERO, _(ALWAYS_APOLOGISE))]
    if facts.overcharge > 0:
        gives_back = _(GIVES_BACK).format(amount=money(facts.overcharge))
        before.append(line(RemedyKind.CORRECTION, facts.overcharge, gives_back))
    return before


def _after(
    facts: CaseFacts,
    severity: Severity,
    reimbursement: Decimal,
    value: Decimal,
    policy: Policy,
    line: MakeLine,
    enabled: Enabled,
    money: Callable[[Decimal], str],
    _: Translate,
) -> list["Line"]:
    """What every option ends with: the customer's costs paid back, a personal call when one is
    due, and a handwritten card for critical harm."""
    after = []
    if reimbursement > 0:
        what = facts.hidden_costs_description.strip().rstrip(".").lower() or _(COSTS_OF_THE_MISTAKE)
        reimburses = _(REIMBURSES).format(amount=money(reimbursement), what=what)
        after.append(line(RemedyKind.REIMBURSEMENT, reimbursement, reimburses))
    why_call = _personal_reason(facts, severity, value, policy, _)
    if why_call:
        # A second time brings the manager; a third or more, or critical harm, the owner.
        senior = severity is Severity.CRITICAL or facts.incident_number >= 3
        kind = enabled(RemedyKind.OWNER_CALL if senior else RemedyKind.MANAGER_CALL, RemedyKind.MANAGER_CALL)
        if kind:
            call = _(CALL_FROM[kind]).format(hours=policy.personal_call_within_hours, why=why_call)
            after.append(line(kind, ZERO, call))
    if severity is Severity.CRITICAL and enabled(RemedyKind.HANDWRITTEN_CARD):
        after.append(line(RemedyKind.HANDWRITTEN_CARD, ZERO, _(SERIOUS_CARD)))
    return after


def _money_bundles(
    facts: CaseFacts,
    for_failure: Decimal,
    loss: Decimal,
    room: Decimal,
    why_amount: str,
    policy: Policy,
    catalogue: dict[RemedyKind, RemedyType],
    paid: bool,
    line: MakeLine,
    enabled: Enabled,
    _: Translate,
) -> list[Bundle]:
    """The options that give money for the failure: matched to what went wrong, money back now,
    credit for next time (worth a little more, up to `room`, the cap left after reimbursement)."""
    bundles: list[Bundle] = []
    wanted = FAILURE_REMEDY.get(facts.category, FAILURE_REMEDY["other"])
    matched = enabled(wanted, *MONEY_REMEDIES)
    refund = enabled(
        RemedyKind.FULL_REFUND if loss and for_failure >= loss else RemedyKind.PARTIAL_REFUND,
        RemedyKind.PARTIAL_REFUND,
    )
    credit = enabled(RemedyKind.GIFT_CARD, RemedyKind.DISCOUNT)
    if matched:
        lines = _matched(matched, for_failure, loss, why_amount, line, enabled, _)
        note = _catalogue_note(facts, wanted, matched, catalogue, paid, _)
        if note:
            lines[0] = replace(lines[0], reason=_(WITH_NOTE).format(reason=lines[0].reason, note=note))
        bundles.append((_(MATCHED), lines))
    if refund and matched not in REFUNDS:
        bundles.append((_(MONEY_BACK), [line(refund, for_failure, _(AS_MONEY_BACK).format(why=why_amount))]))
    if credit:
        face = min(round_up(for_failure * policy.credit_multiple), room)
        as_credit = _(AS_CREDIT if face > for_failure else AS_CREDIT_FOR_NEXT_TIME).format(why=why_amount)
        bundles.append((_(CREDIT), [line(credit, face, as_credit)]))
    return bundles


def _distinct(bundles: list[Bundle], before: list[Line], after: list[Line]) -> list[tuple[str, tuple[Line, ...]]]:
    """The bundles as whole options, each once: two that give the same remedies are one choice."""
    options, seen = [], set()
    for title, extra in bundles:
        lines = tuple(before + extra + after)
        key = tuple((ln.kind, ln.face_value) for ln in lines)
        if key not in seen:
            seen.add(key)
            options.append((title, lines))
    return options


def _catalogue_note(
    facts: CaseFacts,
    wanted: RemedyKind,
    matched: RemedyKind,
    catalogue: dict[RemedyKind, RemedyType],
    paid: bool,
    _: Translate,
) -> str:
    """Why the remedy is not the one the failure calls for, said to staff."""
    if facts.category not in FAILURE_REMEDY:
        return _(UNKNOWN_CATEGORY).format(category=facts.category)
    if matched is wanted or (wanted in REFUNDS and matched in REFUNDS):
        return ""
    label = _(wanted.label)
    remedy = label[:1].lower() + label[1:]
    return _(NOTHING_PAID if not paid and wanted in NEEDS_PAYMENT else NOT_ENABLED).format(remedy=remedy)


def _said_facts(facts: CaseFacts) -> SaidFacts:
    return SaidFacts(
        category=facts.category,
        lost=facts.lost if loss_of(facts) > 0 else Lost.NONE,
        occasion=facts.occasion_mattered,
        minutes=facts.time_lost_minutes,
        costs=facts.hidden_costs_description if facts.hidden_costs > 0 else "",
        times=facts.incident_number,
    )


def _without_money(
    severity: Severity, repeat: bool, after: list[Line], line: MakeLine, enabled: Enabled, _: Translate
) -> list[Bundle]:
    """When there is no money to give (minor, nothing lost) or the catalogue has no money remedy
    enabled. From moderate up, and for a repeat, never words alone: a personal gesture, or a
    manager decides."""
    bundles: list[tuple[str, list[Line]]] = []
    words_may_do = severity is Severity.MINOR and not repeat
    if words_may_do:
        bundles.append((_(APOLOGY_AND_FIX), []))
    elif after:
        bundles.append((_(APOLOGY_AND_GESTURE), []))
    if enabled(RemedyKind.HANDWRITTEN_CARD) and not any(ln.kind is RemedyKind.HANDWRITTEN_CARD for ln in after):
        card = line(RemedyKind.HANDWRITTEN_CARD, ZERO, _(CARD_SHOWS_CARE))
        bundles.append((_(APOLOGY_AND_CARD), [card]))
    if not bundles or (not words_may_do and not after and len(bundles) < 2):
        kind = enabled(RemedyKind.MANAGER_CALL, RemedyKind.OWNER_CALL) or RemedyKind.MANAGER_CALL
        bundles.insert(0, (_(MANAGER_DECIDES), [line(kind, ZERO, _(NO_MONEY_REMEDY))]))
    return bundles


def _why(facts: CaseFacts, loss: Decimal, amount: Decimal, money: Callable[[Decimal], str], _: Translate) -> str:
    """Why this amount, in the case's own severity (the one staff set, overridden or not)."""
    failure = _(A_FAILURE[facts.severity])
    why = GESTURE
    if loss > 0 and facts.lost is Lost.ALL:
        why = FOR_ALL_LOST
    elif loss > 0 and facts.lost is Lost.PART:
        why = FOR_PART_LOST
    elif loss > 0 and facts.lost is Lost.USED:
        why = FOR_USED
    said = [_(why).format(amount=money(amount), loss=money(loss), failure=failure)]
    if facts.occasion_mattered and loss > 0 and facts.lost is not Lost.NONE:
        said.append(_(MORE_FOR_OCCASION))
    if facts.time_lost_minutes > 0:
        said.append(_(WITH_THEIR_TIME).format(time=duration_words(facts.time_lost_minutes, _)))
    return "; ".join(said)


def _matched(
    kind: RemedyKind, amount: Decimal, loss: Decimal, why: str, line: MakeLine, enabled: Enabled, _: Translate
) -> list[Line]:
    """A redo replaces what failed (worth the price); anything above it comes as money."""
    if kind is RemedyKind.FREE_REDO and loss > 0:
        redo = min(amount, loss)
        lines = [line(kind, redo, _(REDONE).format(why=why))]
        extra = amount - redo
        top_up = enabled(*(k for k in MONEY_REMEDIES if k is not RemedyKind.FREE_REDO))
        if extra > 0 and top_up:
            lines.append(line(top_up, extra, _(A_LITTLE_EXTRA)))
        return lines
    if kind in REFUNDS:
        # `kind` itself is enabled (the caller chose it), so this finds one.
        kind = enabled(RemedyKind.FULL_REFUND if loss and amount >= loss else RemedyKind.PARTIAL_REFUND, kind) or kind
    return [line(kind, amount, why)]
