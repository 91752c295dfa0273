"""The progress line of the long commands here is the suite's own (fixtures/progress.py).

The commands import it as `progress` (this folder is on their path); the suite's root is put
on the path so that this one module serves both.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fixtures.progress import Progress

__all__ = ["Progress"]
