"""The `xeploai` command: Django's management commands, plus `xeploai rules …` for the rule core."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "rules":
        from xeploai.rules.cli import main as rules_main

        raise SystemExit(rules_main(argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xeploai.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xeploai", *argv[1:]])


if __name__ == "__main__":
    main()
