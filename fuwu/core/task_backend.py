"""A `django.tasks` backend that hands tasks to huey (docs/operations.md: Processes).

Code enqueues with Django's task API (`my_task.enqueue(...)`); huey's worker (`manage.py run_huey`)
executes them. With HUEY["immediate"] (tests) huey runs them in-process at once.
"""

from django.tasks import TaskResult, TaskResultStatus
from django.tasks.backends.base import BaseTaskBackend
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from huey.contrib.djhuey import task as huey_task


@huey_task()
def run_django_task(func_path: str, args: list, kwargs: dict) -> None:
    task = import_string(func_path)
    task.call(*args, **kwargs)


class HueyTaskBackend(BaseTaskBackend):
    supports_defer = True

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        func_path = f"{task.func.__module__}.{task.func.__qualname__}"
        eta = task.run_after
        if eta:
            run_django_task.schedule((func_path, list(args), dict(kwargs)), eta=eta)
        else:
            run_django_task(func_path, list(args), dict(kwargs))
        return TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
