"""Child for the race test: a sync tool bringing another device's versions of the journal.

Reads lines "PATH SEED COUNT" on stdin; for each, puts COUNT versions of the journal in
place one after another (temp file + ``os.replace``, as sync tools do), each the base file
plus one more attempt of "another device", with a seeded random pause (0-4 ms) before each;
then prints "done". The base is the journal as it was when the line came.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time

OTHER = "0ther0device0000"


def attempt(n: int, trial: str) -> dict[str, object]:
    return {
        "id": f"other-{trial}-{n}",
        "challenge_id": "ask-the-time",
        "challenge_title": f"Another device's ask {n}",
        "level": 2,
        "category": "small_talk",
        "status": "planned",
        "created_at": "2026-11-20T18:30:00+01:00",
        "done_at": None,
        "fear_before": 40,
        "p_rejection": 50,
        "worry": "",
        "worry_cost": None,
        "fear_after": None,
        "outcome": None,
        "worry_happened": None,
        "lesson": "",
        "note": "",
        "safety_behaviours": [],
        "updated_at": f"2026-11-20T17:30:00.{n:06d}+00:00",
        "updated_by": OTHER,
    }


for line in sys.stdin:
    path, seed, count = line.split()
    rng = random.Random(int(seed))
    with open(path, encoding="utf-8") as handle:
        base = json.load(handle)
    table = dict(base.get("attempts", {}))
    for n in range(1, int(count) + 1):
        table[str(10_000 + n)] = attempt(n, seed)
        version = json.dumps({**base, "attempts": table}).encode()
        time.sleep(rng.uniform(0, 0.004))
        temp = f"{path}.synctool-{n}"
        with open(temp, "wb") as out:
            out.write(version)
        os.replace(temp, path)
    print("done", flush=True)
