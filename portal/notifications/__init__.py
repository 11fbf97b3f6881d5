"""The notification service: reach the tenants concerned by e-mail or, failing that, by printed letter.

The one way for an app to send a message (to tenants, applicants, organisations or visitors)::

    from portal.notifications.services import Address, Audience, notification_send

    notification_send(audience=Audience(neighbourhoods=[hood]), message=meetings.notifications.INVITATION,
                      context={"meeting_id": meeting.pk}, hall_notices=True, related=meeting,
                      actor=request.user, title="Invitation ...")
    notification_send(audience=Audience(addresses=[Address(email="asbl@example.org", language="nl")]), ...)

Every message leaves with a delivery record (status, attempts, error), is retried, and is shown in the office
(the admin's "Mailings > Notifications").

How an app defines a message
----------------------------
An app declares each message as a ``kinds.MessageKind`` object (its name ``"<app>/<message>"``, its context
builders, whether it has a letter) in its ``notifications.py`` and registers them from its ``AppConfig.ready()``
(see ``kinds.py``); a system check (``checks.py``) verifies the templates at start-up. The kind's templates are
a directory ``templates/notifications/<app>/<message>/`` holding:

``subject.txt`` (required)
    One line; translated with ``{% translate %}``. Also the heading of the letter and of the hall notice.
``email.txt`` (required)
    Plain-text body of the e-mail (a fragment: greeting, text). The shared ``notifications/email_base.txt`` adds
    the subject, the company name and address and the "prefer letters?" footer.
``email.html`` (optional)
    HTML body fragment (``<p>`` etc.); without it the HTML part is made from ``email.txt``. Wrapped by
    ``notifications/email_base.html`` and ``notifications/email_document.html``.
``letter.html`` (required, unless the kind is e-mail only: ``letter=False``)
    Body fragment of the printed letter. The shared ``notifications/letter_base.html`` adds the sender (settings
    ``PORTAL_COMPANY_NAME`` / ``PORTAL_COMPANY_ADDRESS``), the address in the envelope window, the date and the
    subject as heading. Keep it to one A4 page.
``notice.html`` (optional)
    Body of the building-hall notice (``hall_notices=True``), in large print, French then Dutch on one A4 page
    per building; without it ``letter.html`` is used.

Every template is rendered inside ``translation.override(language)`` (the recipient's language; French then
Dutch when unknown) with this context: the batch ``context`` dict, plus what the kind's ``context(context)``
returns (called once per language), plus what its ``recipient_context(person, household, context)`` returns
(called once per recipient), plus ``person`` (None for a letter to the occupants or a plain address),
``household``, ``dwelling``, ``building`` (None for a plain address), ``tenant`` (whether the recipient is in
the register), ``recipient_name``, ``address_lines``, ``language``, ``date``, ``batch``, ``company_name``,
``company_address``, ``site_url``. Example: ``templates/notifications/portal/test_message/``.

Reading back: ``NotificationBatch.objects.for_object(meeting)`` lists the batches sent about an object;
``batch.delivery_counts()`` gives ``{"email": {"sent": 400, "failed": 2}, "letter": {"ready": 600}}``;
``NotificationBatch.objects.with_counts()`` annotates the same for a list. Delivery statuses: e-mails go
``queued`` -> ``sending`` -> ``sent``, or back to ``queued`` for a retry, or ``failed`` (after the retries), each
step committed as it happens; an e-mail found ``sending`` after its worker died becomes ``uncertain`` (not sent
again unless the office asks: ``notification_resend_uncertain``). Letters go ``queued`` -> ``ready`` (in the
batch's PDF, ready to print) -> ``printed`` (when a worker marks the batch printed), or ``failed`` if rendering
failed. A batch that made no progress for ``PORTAL_NOTIFICATIONS_STUCK_AFTER`` seconds is shown interrupted
(``selectors.batch_is_interrupted``) and can be resumed (``notification_resume``); the tasks themselves are run
again by the worker's recovery when their worker died (``portal/worker/``).

Settings (optional): ``PORTAL_NOTIFICATIONS_EMAIL_CHUNK`` (e-mails per task and SMTP connection, 200),
``PORTAL_NOTIFICATIONS_EMAIL_ATTEMPTS`` (3), ``PORTAL_NOTIFICATIONS_RETRY_DELAY`` (seconds between attempts,
300), ``PORTAL_NOTIFICATIONS_PDF_PROCESSES`` (processes rendering a big batch of letters, default: CPUs),
``PORTAL_NOTIFICATIONS_LETTERS_PER_PROCESS`` (400), ``PORTAL_NOTIFICATIONS_UNKNOWN_LANGUAGES`` (``["fr", "nl"]``),
``PORTAL_NOTIFICATIONS_FROM_EMAIL``, ``PORTAL_NOTIFICATIONS_STUCK_AFTER`` (seconds without progress before a batch
is shown interrupted, 900).

Where things live: models in ``models.py`` (imported by ``portal/models.py``), state changes in ``services.py``,
message kinds in ``kinds.py`` (the portal's own in ``messages.py``) and their checks in ``checks.py``, the
audience in ``audience.py``, recipients in ``recipients.py``, templates and PDFs in ``rendering.py``
(WeasyPrint through ``portal.documents``), background work in ``tasks.py``,
the Wagtail admin ("Mailings > Notifications") in ``views.py`` / ``wagtail_hooks.py``.
"""
