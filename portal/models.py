from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What the customer reads, in their language (lazy: translated where it is shown).
RATING_QUESTION = _("How well did we put things right?")
RETURN_QUESTION = _("Will you come back to us?")
# The words beside each point of the scale, lowest first: what the customer reads.
RATING_CHOICES = [(1, _("Not at all")), (2, _("Poorly")), (3, _("Partly")), (4, _("Well")), (5, _("Very well"))]
# At or below this, the customer is still unhappy and staff hear about it.
UNHAPPY_AT_MOST = 2
COMMENT_MAX_LENGTH = 1000


class SatisfactionResponse(models.Model):
    """The customer's answer to the satisfaction check: one per case, never edited."""

    class WillReturn(models.TextChoices):
        YES = "yes", _("Yes")
        NOT_SURE = "not_sure", _("Not sure")
        NO = "no", _("No")

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="satisfaction")
    rating = models.PositiveSmallIntegerField(
        RATING_QUESTION, choices=RATING_CHOICES, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    will_return = models.CharField(RETURN_QUESTION, max_length=10, choices=WillReturn.choices)
    comment = models.TextField(blank=True, max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="satisfaction_rating_1_to_5"),
            models.CheckConstraint(
                condition=Q(will_return__in=["yes", "not_sure", "no"]), name="satisfaction_will_return_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for case {self.case_id}"

    @property
    def unhappy(self) -> bool:
        return self.rating <= UNHAPPY_AT_MOST
