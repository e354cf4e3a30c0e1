"""Domain events of credit (sent after commit)."""

from django.dispatch import Signal

# sender=DishonestListing, listing=<DishonestListing>, actor — a debtor was put on the dishonest list
debtor_listed = Signal()
# sender=DishonestListing, listing, event=<RemovalEvent value> — an entry was removed
listing_removed = Signal()
