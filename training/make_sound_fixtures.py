"""Ground-truth bouncing clips for the foley tests (tests/fixtures/world-sound/): every shape and size, slow and fast,
each with the frame times at which it truly touches a wall, computed from world.trajectory's reflection.

    python training/make_sound_fixtures.py
"""
import json
import math
from pathlib import Path

import numpy as np

import world
from pngio import write_png

ROOT = Path(__file__).resolve().parent.parent


def bounce_frames(s: world.Scene) -> list[float]:
    """Frame times t at which the reflected position x0 - lo + 2·v·t reaches a multiple of the span (a wall)."""
    r, v = world.SIZES[s.size], world.SPEEDS[s.speed]
    lo, hi = r + 1, world.SIZE - r - 1
    span = hi - lo
    times = []
    k = 1
    while (t := (k * span - (s.x0 - lo)) / (2.0 * v)) <= world.FRAMES - 1:
        if t > 0:
            times.append(t)
        k += 1
    return times


if __name__ == "__main__":
    out = ROOT / "tests/fixtures/world-sound"
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(19)
    labels = []
    for i, (shape, size, speed) in enumerate((sh, si, sp) for sh in world.SHAPES for si in world.SIZES for sp in world.SPEEDS):
        colour = str(rng.choice(list(world.COLOURS)))
        background = str(rng.choice([b for b in world.BACKGROUNDS if not (colour == "white" and b == "white")]))
        # Draw start positions until the clip holds a bounce the tracker can see from both sides.
        while True:
            x0, y0 = world.start_position(rng, "bouncing", world.SIZES[size], world.SPEEDS[speed])
            s = world.Scene(colour, shape, size, "bouncing", speed, background, x0, y0, world.UPRIGHT[shape])
            bounces = bounce_frames(s)
            if any(1.5 <= t <= world.FRAMES - 2.5 for t in bounces):
                break
        file = f"bounce-{i:02d}.png"
        write_png(str(out / file), np.concatenate(list(world.render(s)), axis=1))
        labels.append({"file": file, **s.__dict__, "bounces": bounces})
    (out / "labels.json").write_text(json.dumps(labels, indent=1) + "\n")
