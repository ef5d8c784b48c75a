"""The one entry point: `minga <command>`.

`minga demo`, `minga serve`, `minga worker` and `minga audit verify` are shortcuts; every other
word is passed to Django's manage.py machinery, so `minga migrate` or `minga check --deploy`
work as expected."""

import os
import sys

# `minga worker` is a command of its own (core/management/commands/worker.py): the database
# task worker plus the scheduler of periodic jobs.
SHORTCUTS: dict[str, list[str]] = {}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minga.settings.dev")
    if len(argv) > 1 and argv[1] in SHORTCUTS:
        argv = [argv[0], *SHORTCUTS[argv[1]], *argv[2:]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
