"""Demo notification: works in a building of Les Marolles, by e-mail or letter, with hall notices.

Called from `portal/demo.py`. Idempotent: the batch is created once (the worker of `make run` then sends it).
"""

from django.db import transaction

from portal.models import Building, NotificationBatch

from .messages import INFORMATION
from .services import Audience, notification_send

TITLE = "Travaux de chauffage / Verwarmingswerken: Rue Haute"


def load(stdout) -> None:
    if NotificationBatch.objects.filter(title=TITLE).exists():
        return
    buildings = list(Building.objects.filter(external_ref__startswith="B-marolles-0-"))
    if not buildings:
        return
    with transaction.atomic():
        notification_send(
            audience=Audience(buildings=buildings),
            message=INFORMATION,
            context={
                "subject": {
                    "fr": "Travaux de chauffage du 2 au 4 décembre",
                    "nl": "Verwarmingswerken van 2 tot 4 december",
                    "en": "Heating works from 2 to 4 December",
                },
                "text": {
                    "fr": "Le chauffage sera coupé du mardi 2 au jeudi 4 décembre, de 8 h à 16 h, pour remplacer "
                    "la chaudière.\n\nDes radiateurs électriques sont disponibles au bureau du site pour les "
                    "personnes âgées ou malades. Appelez-nous si vous en avez besoin.",
                    "nl": "De verwarming wordt van dinsdag 2 tot donderdag 4 december afgesloten, van 8 tot "
                    "16 uur, om de ketel te vervangen.\n\nOp het sitebureau zijn elektrische radiatoren voor "
                    "ouderen of zieken. Bel ons als u er een nodig hebt.",
                    "en": "The heating will be off from Tuesday 2 to Thursday 4 December, 8 am to 4 pm, to "
                    "replace the boiler.\n\nElectric heaters are available at the site office for elderly or "
                    "sick people. Call us if you need one.",
                },
            },
            hall_notices=True,
            title=TITLE,
        )
    stdout.write("Notifications: demo batch queued (run the worker to send it).")
