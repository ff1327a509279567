"""How big a policy pack may be: every number, list and text in a pack has an upper bound.

The bounds are far above anything a real complaints policy needs (the Housing Ombudsman Code
has two stages, 5 and 10 working-day clocks and a 12-month time limit), and low enough that
no pack can make Fairhear count working days for ever or fill the memory. Each message says
the bound, so the person editing the pack knows what to write instead.
"""

from __future__ import annotations

from fairhear.domain.clock import Unit

# The largest pack file read, in bytes (the shipped packs are about 20 kB).
MAX_PACK_BYTES = 1_000_000
# The most stages a pack may have (the Code has 2; MMBM has 3 after local resolution).
MAX_STAGES = 10
# The longest duration of each unit: about eight years of working days, ten years of days,
# ten years of months.
MAX_DURATION = {Unit.WORKING_DAYS: 2_000, Unit.CALENDAR_DAYS: 3_650, Unit.MONTHS: 120}
# The longest time limit for making a complaint, in months (the Code: 12).
MAX_TIME_LIMIT_MONTHS = 120
# The most entries in any list or table of a pack (clocks, reasons, worked examples, names).
MAX_ENTRIES = 200
# The longest text in a pack (a letter paragraph, a citation, a label), in characters.
MAX_TEXT = 10_000
