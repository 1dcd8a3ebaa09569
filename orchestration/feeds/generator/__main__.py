import sys

from orchestration.feeds.generator.cli import main

sys.exit(main())
