from celery import shared_task

from .models import Court


@shared_task(name="core.ping")
def ping() -> dict:
    """Proves a worker is alive and reaches the database: returns the number of courts it sees."""
    return {"pong": True, "courts": Court.objects.count()}
