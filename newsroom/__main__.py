"""``newsroom <command>`` (and ``python -m newsroom``): Django's management commands for this site."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reading a setting loads the settings module
    except ImproperlyConfigured as error:
        # A missing or wrong environment variable: the operator needs the message, not a traceback.
        sys.exit(f"newsroom: configuration error: {error}")
    execute_from_command_line(argv or sys.argv)


if __name__ == "__main__":
    main()
