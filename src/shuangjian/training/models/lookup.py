"""The public lookup's name index: every two-character piece of every institution's name, in name order.

Searching names for a fragment is "contains", which no ordinary index answers, and the lookup is the busiest public
page. Each piece of a name (启明培训: 启明, 明培, 培训) is a row here, indexed by (piece, name, institution), so a
search walks one piece's rows in name order and stops at the first page: for two characters that is the answer,
for a longer fragment the rarest of its pieces narrows the walk and the name itself is checked on the way
(selectors_public.public_listing). Kept by `InstitutionNameGram.reindex` whenever a name is written; licence status
is not copied (the search joins the institution), so a licence change needs nothing here.
"""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import models

from shuangjian.training import rules
from shuangjian.training.models.registry import Institution

_REINDEX_BATCH = 2000


class InstitutionNameGram(models.Model):
    gram = models.CharField(max_length=2)
    name = models.CharField(max_length=128)  # the institution's name, so the index itself is in name order
    institution = models.ForeignKey(Institution, models.CASCADE, related_name="name_grams", db_index=False)

    class Meta:
        indexes = [models.Index(fields=["gram", "name", "institution"], name="training_name_gram_order")]
        # Also the index that finds an institution's rows when its name changes.
        constraints = [models.UniqueConstraint(fields=["institution", "gram"], name="training_name_gram_once")]

    def __str__(self) -> str:
        return f"{self.gram} ({self.name})"

    @staticmethod
    def reindex(institutions: Iterable[Institution]) -> None:
        """Replace the pieces of these institutions' names (call it in the transaction that writes the names)."""
        for batch in _batches(iter(institutions)):
            InstitutionNameGram.objects.filter(institution__in=[i.pk for i in batch]).delete()
            pieces = [
                InstitutionNameGram(gram=gram, name=i.name, institution_id=i.pk)
                for i in batch
                for gram in rules.name_grams(i.name)
            ]
            InstitutionNameGram.objects.bulk_create(pieces)


def _batches(items: Iterator[Institution]) -> Iterator[list[Institution]]:
    while batch := list(islice(items, _REINDEX_BATCH)):
        yield batch
