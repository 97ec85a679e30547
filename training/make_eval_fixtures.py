"""Writes the world's facts for the TypeScript evaluation (src/eval/world.json), ground-truth clips on which the
procedural detector must score 100 % (tests/fixtures/world/: a random sample; tests/fixtures/world-motions/: more of
the motions that are not straight lines), and the continuity evaluation's ground truth (eval/ground-truth/: clips
whose first frame starts a clip and whose first and last frames are keyframes for in-betweens).

    python training/make_eval_fixtures.py
"""
import json
import math
from pathlib import Path

import numpy as np

import world
from make_sound_fixtures import bounce_frames
from pngio import write_png

ROOT = Path(__file__).resolve().parent.parent


def write_clips(out: Path, name: str, scenes: list[world.Scene]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    labels = []
    for i, s in enumerate(scenes):
        file = f"{name}-{i:02d}.png"
        write_png(str(out / file), np.concatenate(list(world.render(s)), axis=1))
        labels.append({"file": file, **s.__dict__})
    (out / "labels.json").write_text(json.dumps(labels, indent=1) + "\n")


def scene(rng: np.random.Generator, colour: str, shape: str, size: str, motion: str, speed: str) -> world.Scene:
    """A scene of these words on a random background; a bouncing one turns back inside the clip where a tracker can
    see it (a step on each side), or it would be a straight line to the eye."""
    background = str(rng.choice([b for b in world.BACKGROUNDS if not (colour == "white" and b == "white")]))
    angle0 = float(rng.uniform(0, 2 * math.pi)) if motion == "spinning" else world.UPRIGHT[shape]
    while True:
        x0, y0 = world.start_position(rng, motion, world.SIZES[size], world.SPEEDS[speed])
        s = world.Scene(colour, shape, size, motion, speed, background, x0, y0, angle0)
        if motion != "bouncing" or any(1.5 <= t <= world.FRAMES - 2.5 for t in bounce_frames(s)):
            return s


def motion_scenes(rng: np.random.Generator) -> list[world.Scene]:
    """Five clips of each motion that is not a straight line, through every shape, size and speed."""
    scenes = []
    for motion in ("bouncing", "growing", "shrinking", "spinning", "still"):
        shapes = [s for s in world.SHAPES if not (motion == "spinning" and s == "circle")]
        for i in range(5):
            colour = str(rng.choice(list(world.COLOURS)))
            scenes.append(scene(rng, colour, shapes[i % len(shapes)], list(world.SIZES)[i % 2], motion, list(world.SPEEDS)[(i // 2) % 2]))
    return scenes


# The continuity evaluation's starts and keyframes: seen colour × shape × motion triples, every motion once and four
# straight lines (their first and last frames are the in-betweens' keyframes).
CONTINUITY = [
    ("orange", "circle", "large", "right", "fast"), ("green", "triangle", "large", "up-left", "slow"),
    ("purple", "square", "small", "down", "fast"), ("yellow", "star", "large", "left", "fast"),
    ("red", "circle", "large", "bouncing", "slow"), ("blue", "square", "large", "growing", "slow"),
    ("white", "triangle", "large", "shrinking", "slow"), ("green", "star", "large", "spinning", "slow"),
    ("red", "square", "large", "still", "slow"),
]

if __name__ == "__main__":
    world.write_world_spec(ROOT / "src/eval/world.json")
    out = ROOT / "tests/fixtures/world"
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2024)
    labels = []
    for i in range(32):
        s = world.sample_scene(rng, held_out=i % 4 == 0)
        clip = world.render(s)
        write_png(str(out / f"clip-{i:02d}.png"), np.concatenate(list(clip), axis=1))
        labels.append({"file": f"clip-{i:02d}.png", **s.__dict__})
    (out / "labels.json").write_text(json.dumps(labels, indent=1) + "\n")
    write_clips(ROOT / "tests/fixtures/world-motions", "motion", motion_scenes(np.random.default_rng(17)))
    rng = np.random.default_rng(1717)
    assert not any(c[:2] + (c[3],) in world.HELD_OUT for c in CONTINUITY)
    write_clips(ROOT / "eval/ground-truth", "start", [scene(rng, c, sh, si, m, sp) for c, sh, si, m, sp in CONTINUITY])
