import sys

from caves.cli import main

sys.exit(main())
