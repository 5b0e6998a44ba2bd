"""`python -m localstack run | reset-data` (the Makefile's `make run` and `make reset-data`)."""
import sys

from localstack.supervisor import main

sys.exit(main())
