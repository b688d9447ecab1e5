"""Allow ``python -m onboard``."""

from onboard.cli import main

raise SystemExit(main())
