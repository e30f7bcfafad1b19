"""Background jobs of the testimonies: fetching the neighbours' open data (on adding one, then every hour)
and deleting the files of withdrawn testimonies once ``TESTIMONY_DROP_DAYS`` have passed (every night)."""

from huey import crontab

from webapp.jobs import periodic_task, task


@task(retries=2, retry_delay=60)
def fetch_neighbour(neighbour_id: str) -> None:
    import uuid

    from webapp.testimonies import neighbours

    neighbour = neighbours.get(uuid.UUID(neighbour_id))
    if neighbour is not None:
        neighbours.refresh(neighbour)


@periodic_task(crontab(minute="20"))
def refresh_neighbours() -> int:
    """Every hour: a fresh copy of every neighbour's open data (each kept until a good one replaces it)."""
    from webapp.testimonies import neighbours

    found = neighbours.neighbours()
    for neighbour in found:
        neighbours.refresh(neighbour)
    return len(found)


@periodic_task(crontab(minute="40", hour="3"))
def drop_withdrawn_files() -> int:
    """Every night: delete the video and poster of testimonies withdrawn more than TESTIMONY_DROP_DAYS ago."""
    from webapp.testimonies import service

    return service.drop_withdrawn_files()
