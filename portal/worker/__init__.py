"""The background worker's safety net: a heartbeat per worker process and the recovery of tasks it left running.

`manage.py db_worker` (django-tasks-db's worker, overridden by `portal/management/commands/db_worker.py`) starts
a heartbeat thread (`heartbeat.py`) that records the worker as alive every `PORTAL_WORKER_HEARTBEAT_SECONDS`
and, at start and then periodically, runs `recovery.tasks_recover_stale`: a task left RUNNING by a worker that
has not been seen for `PORTAL_WORKER_DEAD_AFTER_SECONDS` (killed, out of memory, machine lost) is queued again
when its function is declared re-runnable (`recovery.rerunnable`), and marked failed otherwise, or after
`PORTAL_TASKS_MAX_RUNS` runs that all died. `manage.py recover_tasks` runs the same step by hand or from a timer.
django-tasks-db itself has no such recovery: it marks a task RUNNING when a worker claims it and nothing ever
looks at it again if that worker dies.
"""
