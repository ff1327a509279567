"""Fail when a view uses a model manager directly (STYLE.md §2 rule 4).

Views call selectors and services, which scope every query to the organisation.
"""

import re
import sys
from pathlib import Path

PATTERN = re.compile(r"\b[A-Z][A-Za-z]+\.objects\b")
ROOT = Path(__file__).resolve().parent.parent / "fairhear"

problems = []
for path in sorted(ROOT.glob("*/views/*.py")) + sorted(ROOT.glob("*/views.py")):
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if PATTERN.search(line):
            rel = path.relative_to(ROOT.parent)
            problems.append(f"{rel}:{number}: use a selector instead of Model.objects in a view")
if problems:
    print("\n".join(problems))
    sys.exit(1)
