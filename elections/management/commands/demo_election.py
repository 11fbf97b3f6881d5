"""`manage.py demo_election`: try the whole online ballot box on the demo election (see the README).

- no option: print what the demo election needs now (a voting code, the key holders' shares);
- `--ceremony`: rebuild the demo election just before its key ceremony (to hold it on screen);
- `--close`: bring the demo election's closing forward to now and close the vote (to open the box and count).

Only the demo election loaded by `load_demo` is touched.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from elections import demo
from elections.models import Election


class Command(BaseCommand):
    help = (
        "The demo election: print its voting code and key shares, rebuild it for a key ceremony, or close it."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--ceremony", action="store_true", help="Rebuild it, waiting for its key ceremony."
        )
        group.add_argument("--close", action="store_true", help="Close its vote now, to try the count.")

    def handle(self, *args, **options):
        try:
            if options["ceremony"]:
                election = demo.rebuild_for_ceremony()
            elif options["close"]:
                election = demo.close_now()
            else:
                election = Election.objects.filter(slug=demo.SLUG).first()
                if election is None:
                    raise CommandError("No demo election: run `manage.py load_demo` first.")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(demo.instructions(election))
