"""Writes the world's facts for the TypeScript evaluation (src/eval/world.json) and ground-truth clips
(tests/fixtures/world/) on which the procedural detector must score 100 %.

    python training/make_eval_fixtures.py
"""
import json
from pathlib import Path

import numpy as np

import world
from pngio import write_png

ROOT = Path(__file__).resolve().parent.parent

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
