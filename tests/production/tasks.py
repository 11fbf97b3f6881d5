"""A task of the tests' own, so that the worker's smoke test depends on no product task's signature."""

from django.core.mail import send_mail
from django_tasks import task


@task()
def send_probe_mail(to: str) -> None:
    send_mail("Probe", "Sent by the worker of the production stack.", None, [to])
