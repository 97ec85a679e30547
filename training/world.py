"""Kineto-Shapes world: procedural clips of coloured shapes and their captions.

Everything is a pure function of a seed, so the dataset, the held-out split and
the evaluation prompts are reproducible on any machine. Clips are uint8 arrays
[frames, height, width, 3]; captions come from templates with synonyms and free
word order so the text encoder has to learn words rather than clip ids.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, asdict
from pathlib import Path

import numpy as np

FRAMES = 16
SIZE = 64

COLOURS = {
    "red": (230, 40, 40),
    "green": (40, 200, 60),
    "blue": (50, 90, 255),
    "yellow": (245, 225, 40),
    "purple": (160, 60, 220),
    "orange": (255, 140, 20),
    "white": (245, 245, 245),
}
SHAPES = ["circle", "square", "triangle", "star"]
SIZES = {"small": 10.0, "large": 16.0}  # circumradius in pixels
BACKGROUNDS = ["black", "white", "gray gradient", "teal gradient"]
# Unit direction per translational motion, image coordinates (y grows downward).
DIRECTIONS = {
    "left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1),
    "up-left": (-1, -1), "up-right": (1, -1), "down-left": (-1, 1), "down-right": (1, 1),
}
MOTIONS = list(DIRECTIONS) + ["bouncing", "growing", "shrinking", "spinning", "still"]
UPRIGHT = {"circle": 0.0, "square": math.pi / 4, "triangle": -math.pi / 2, "star": -math.pi / 2}
SPEEDS = {"slow": 1.0, "fast": 2.0}  # pixels per frame along the motion

# Whole colour × shape × motion combinations never shown in training (composition test).
HELD_OUT = [
    ("red", "star", "left"), ("blue", "triangle", "up"), ("green", "square", "right"),
    ("yellow", "circle", "down"), ("purple", "star", "right"), ("orange", "square", "up"),
    ("white", "triangle", "left"), ("blue", "circle", "down-right"),
]

SYN_SHAPE = {
    "circle": ["circle", "ball", "disc", "dot"],
    "square": ["square", "box", "block"],
    "triangle": ["triangle"],
    "star": ["star"],
}
SYN_SIZE = {"small": ["small", "little", "tiny"], "large": ["large", "big", "huge"]}
SYN_COLOUR = {c: [c] for c in COLOURS} | {"purple": ["purple", "violet"]}
SYN_MOTION = {
    "left": ["moving left", "rolling to the left", "sliding left", "drifting leftward", "going left"],
    "right": ["moving right", "rolling to the right", "sliding right", "drifting rightward", "going right"],
    "up": ["moving up", "drifting upward", "rising", "going up"],
    "down": ["moving down", "falling", "sinking", "going down"],
    "up-left": ["moving up and left", "drifting diagonally up to the left"],
    "up-right": ["moving up and right", "drifting diagonally up to the right"],
    "down-left": ["moving down and left", "falling diagonally to the left"],
    "down-right": ["moving down and right", "falling diagonally to the right"],
    "bouncing": ["bouncing", "bouncing back and forth"],
    "growing": ["growing", "getting bigger", "expanding"],
    "shrinking": ["shrinking", "getting smaller"],
    "spinning": ["spinning", "rotating", "turning"],
    "still": ["standing still", "resting", "not moving", "sitting still"],
}
SYN_SPEED = {"slow": ["slowly", "gently"], "fast": ["fast", "quickly"]}
SYN_BG = {
    "black": ["on a black background", "against a black background", "on black"],
    "white": ["on a white background", "against a white background", "on white"],
    "gray gradient": ["on a gray gradient", "over a grey gradient background"],
    "teal gradient": ["on a teal gradient", "over a teal gradient background"],
}
BG_FIRST = {"black": "on a black background", "white": "on a white background",
            "gray gradient": "on a gray gradient", "teal gradient": "on a teal gradient"}


@dataclass(frozen=True)
class Scene:
    colour: str
    shape: str
    size: str
    motion: str
    speed: str
    background: str
    x0: float
    y0: float
    angle0: float

    def triple(self) -> tuple[str, str, str]:
        return (self.colour, self.shape, self.motion)


def vocabulary() -> list[str]:
    words: set[str] = {"a", "an", "the"}
    for table in (SYN_SHAPE, SYN_SIZE, SYN_COLOUR, SYN_MOTION, SYN_SPEED, SYN_BG):
        for phrases in table.values():
            for p in phrases:
                words.update(p.split())
    return sorted(words)


def sample_scene(rng: np.random.Generator, held_out: bool = False) -> Scene:
    """A random scene; `held_out` selects only (True) or never (False) the held-out triples."""
    while True:
        colour = str(rng.choice(list(COLOURS)))
        shape = str(rng.choice(SHAPES))
        motion = str(rng.choice(MOTIONS))
        if shape == "circle" and motion == "spinning":
            continue
        if ((colour, shape, motion) in HELD_OUT) != held_out:
            continue
        break
    size = str(rng.choice(list(SIZES)))
    speed = str(rng.choice(list(SPEEDS)))
    bgs = [b for b in BACKGROUNDS if not (colour == "white" and b == "white")]
    background = str(rng.choice(bgs))
    x0, y0 = start_position(rng, motion, SIZES[size], SPEEDS[speed])
    # Upright pose unless spinning: fewer nuisance variables for a small model to learn.
    angle0 = float(rng.uniform(0, 2 * math.pi)) if motion == "spinning" else UPRIGHT[shape]
    return Scene(colour, shape, size, motion, speed, background, x0, y0, angle0)


def start_position(rng: np.random.Generator, motion: str, radius: float, speed: float) -> tuple[float, float]:
    """Start so that the whole path stays inside the frame (bouncing is reflected inside)."""
    margin = radius * (1.5 if motion == "growing" else 1.0) + 1
    travel = speed * (FRAMES - 1)
    dx, dy = DIRECTIONS.get(motion, (0, 0))
    if dx and dy:
        travel /= math.sqrt(2)

    def axis(d: int) -> float:
        lo, hi = margin, SIZE - margin
        if d < 0:
            lo += travel
        elif d > 0:
            hi -= travel
        return float(rng.uniform(lo, max(lo, hi)))

    return axis(dx), axis(dy)


def trajectory(s: Scene, t: int) -> tuple[float, float, float, float]:
    """Centre x, y, radius and angle of the object at frame t."""
    r = SIZES[s.size]
    v = SPEEDS[s.speed]
    x, y, angle = s.x0, s.y0, s.angle0
    if s.motion in DIRECTIONS:
        dx, dy = DIRECTIONS[s.motion]
        norm = math.hypot(dx, dy)
        x += dx / norm * v * t
        y += dy / norm * v * t
    elif s.motion == "bouncing":
        lo, hi = r + 1, SIZE - r - 1
        span = hi - lo
        p = (s.x0 - lo + 2.0 * v * t) % (2 * span)  # bounce at twice the speed so it turns within the clip
        x = lo + (p if p <= span else 2 * span - p)
    elif s.motion == "growing":
        r = r * (0.5 + t / (FRAMES - 1)) if s.speed == "fast" else r * (0.75 + 0.5 * t / (FRAMES - 1))
    elif s.motion == "shrinking":
        r = r * (1.5 - t / (FRAMES - 1)) if s.speed == "fast" else r * (1.25 - 0.5 * t / (FRAMES - 1))
    elif s.motion == "spinning":
        angle += (0.12 if s.speed == "slow" else 0.3) * t
    return x, y, r, angle


def background(name: str) -> np.ndarray:
    ramp = np.linspace(0.0, 1.0, SIZE, dtype=np.float32)[:, None, None]
    if name == "black":
        img = np.zeros((SIZE, SIZE, 3), np.float32)
    elif name == "white":
        img = np.full((SIZE, SIZE, 3), 255.0, np.float32)
    elif name == "gray gradient":
        img = (40 + 150 * ramp) * np.ones((1, SIZE, 3), np.float32)
    elif name == "teal gradient":
        top, bottom = np.array([10, 40, 45], np.float32), np.array([30, 110, 110], np.float32)
        img = (top + (bottom - top) * ramp) * np.ones((1, SIZE, 1), np.float32)
    else:
        raise ValueError(name)
    return img


def shape_coverage(shape: str, cx: float, cy: float, r: float, angle: float, ss: int = 4) -> np.ndarray:
    """Anti-aliased coverage in [0,1] of the shape on the SIZE×SIZE grid (ss×ss supersampling)."""
    n = SIZE * ss
    coords = (np.arange(n, dtype=np.float32) + 0.5) / ss
    X, Y = np.meshgrid(coords, coords)
    px, py = X - cx, Y - cy
    if shape == "circle":
        inside = px * px + py * py <= r * r
    else:
        k = {"square": 4, "triangle": 3, "star": 5}[shape]
        theta = np.arctan2(py, px) - angle
        rho = np.hypot(px, py)
        if shape == "star":
            inner = 0.45
            # Boundary of a 5-pointed star in polar form: linear between tip (r) and notch (inner·r).
            sector = (theta % (2 * math.pi / k)) / (2 * math.pi / k)
            f = np.abs(sector - 0.5) * 2  # 1 at tips, 0 at notches
            bound = r * (inner + (1 - inner) * f ** 1.5)
        else:
            # Regular polygon with circumradius r: r·cos(π/k) / cos((θ mod 2π/k) − π/k).
            sector = theta % (2 * math.pi / k)
            bound = r * math.cos(math.pi / k) / np.cos(sector - math.pi / k)
        inside = rho <= bound
    return inside.reshape(SIZE, ss, SIZE, ss).mean(axis=(1, 3)).astype(np.float32)


def render(s: Scene) -> np.ndarray:
    bg = background(s.background)
    colour = np.array(COLOURS[s.colour], np.float32)
    clip = np.empty((FRAMES, SIZE, SIZE, 3), np.uint8)
    for t in range(FRAMES):
        x, y, r, a = trajectory(s, t)
        cov = shape_coverage(s.shape, x, y, r, a)[..., None]
        clip[t] = np.clip(bg * (1 - cov) + colour * cov, 0, 255).round().astype(np.uint8)
    return clip


def caption(s: Scene, rng: np.random.Generator) -> str:
    """A caption with random synonyms, optional parts and free word order."""
    colour = str(rng.choice(SYN_COLOUR[s.colour]))
    shape = str(rng.choice(SYN_SHAPE[s.shape]))
    motion = str(rng.choice(SYN_MOTION[s.motion]))
    size = str(rng.choice(SYN_SIZE[s.size])) if rng.random() < 0.6 else ""
    speed = str(rng.choice(SYN_SPEED[s.speed])) if rng.random() < 0.5 and s.motion != "still" else ""
    bg = str(rng.choice(SYN_BG[s.background])) if rng.random() < 0.7 else ""
    noun = " ".join(w for w in (size, colour, shape) if w)
    if rng.random() < 0.2 and size:
        noun = " ".join((colour, size, shape))
    art = str(rng.choice(["a", "the", ""]))
    subject = f"{art} {noun}".strip()
    verb = f"{motion} {speed}".strip() if rng.random() < 0.5 else f"{speed} {motion}".strip()
    order = rng.integers(3)
    if order == 0 or not bg:
        text = f"{subject} {verb} {bg}"
    elif order == 1:
        text = f"{BG_FIRST[s.background] if rng.random() < 0.5 else bg} {subject} {verb}"
    else:
        text = f"{subject} {bg} {verb}"
    return " ".join(text.split())


def canonical_prompt(s: Scene) -> str:
    """The plain prompt used by the evaluation for a scene."""
    return f"a {s.size} {s.colour} {s.shape} {SYN_MOTION[s.motion][0]} {SYN_BG[s.background][0]}"


def write_world_spec(path: Path) -> None:
    """The world's facts the TypeScript evaluation needs (colours, held-out split), as JSON."""
    spec = {
        "frames": FRAMES, "size": SIZE, "colours": COLOURS, "shapes": SHAPES, "sizes": SIZES,
        "backgrounds": BACKGROUNDS, "motions": MOTIONS, "directions": DIRECTIONS,
        "held_out": [list(t) for t in HELD_OUT], "vocabulary": vocabulary(),
    }
    path.write_text(json.dumps(spec, indent=1) + "\n")


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    for _ in range(8):
        sc = sample_scene(rng)
        print(caption(sc, rng), "|", asdict(sc))
    print(len(vocabulary()), "words")
