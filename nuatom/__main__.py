import sys

from nuatom.cli import main

sys.exit(main())
