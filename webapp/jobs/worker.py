"""Entry point of the worker process: ``huey_consumer webapp.jobs.worker.huey``.

Creating the app imports every domain's tasks, so the consumer knows all of them.
"""

from webapp import create_app, jobs

app = create_app()
jobs.set_worker_app(app)
huey = jobs.huey
