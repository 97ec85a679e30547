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


def background(name: str, size: int = SIZE) -> np.ndarray:
    ramp = np.linspace(0.0, 1.0, size, dtype=np.float32)[:, None, None]
    if name == "black":
        img = np.zeros((size, size, 3), np.float32)
    elif name == "white":
        img = np.full((size, size, 3), 255.0, np.float32)
    elif name == "gray gradient":
        img = (40 + 150 * ramp) * np.ones((1, size, 3), np.float32)
    elif name == "teal gradient":
        top, bottom = np.array([10, 40, 45], np.float32), np.array([30, 110, 110], np.float32)
        img = (top + (bottom - top) * ramp) * np.ones((1, size, 1), np.float32)
    else:
        raise ValueError(name)
    return img


def shape_coverage(shape: str, cx: float, cy: float, r: float, angle: float, ss: int = 4, size: int = SIZE) -> np.ndarray:
    """Anti-aliased coverage in [0,1] of the shape on the size×size grid (ss×ss supersampling).

    Only the pixels within the circumradius r (which bounds every shape) are computed, with the same coordinates
    as the full grid, so the values are those of the full computation; a shape outside the frame costs nothing."""
    out = np.zeros((size, size), np.float32)
    x0, x1 = max(0, math.floor(cx - r) - 1), min(size, math.ceil(cx + r) + 1)
    y0, y1 = max(0, math.floor(cy - r) - 1), min(size, math.ceil(cy + r) + 1)
    if x0 >= x1 or y0 >= y1:
        return out
    X, Y = np.meshgrid((np.arange(x0 * ss, x1 * ss, dtype=np.float32) + 0.5) / ss,
                       (np.arange(y0 * ss, y1 * ss, dtype=np.float32) + 0.5) / ss)
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
    out[y0:y1, x0:x1] = inside.reshape(y1 - y0, ss, x1 - x0, ss).mean(axis=(1, 3))
    return out


def render(s: Scene, scale: int = 1) -> np.ndarray:
    """The clip of scene `s`, SIZE×SIZE; with `scale`, the same clip drawn on a grid `scale` times finer (the sharper
    picture a decoder can learn to draw from the same latents)."""
    n = SIZE * scale
    bg = background(s.background, n)
    colour = np.array(COLOURS[s.colour], np.float32)
    clip = np.empty((FRAMES, n, n, 3), np.uint8)
    for t in range(FRAMES):
        x, y, r, a = trajectory(s, t)
        cov = shape_coverage(s.shape, x * scale, y * scale, r * scale, a, size=n)[..., None]
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


# --------------------------------------------------------------------------- time: long trajectories
# A long clip is one object over many frames whose motion changes at some frames (`Segment.start`). Objects may
# start outside the frame and enter it, cross it and leave it, and bounce off the walls for any length. Training
# windows of FRAMES frames are cut from long clips at sample time (train_continue.py), so the known frames of a
# continuation come from the earlier part of the same trajectory, and a window can hold a change of motion.
MIN_SEGMENT = FRAMES  # every segment holds at least one whole window, so each motion can be captioned alone
RADIUS_RANGE = (0.5, 1.5)  # growing and shrinking stay within these multiples of the size's radius


@dataclass(frozen=True)
class Segment:
    start: int  # first frame displaced by this motion (frame start-1 → start is its first step)
    motion: str
    speed: str


@dataclass(frozen=True)
class LongScene:
    colour: str
    shape: str
    size: str
    background: str
    x0: float
    y0: float
    radius0: float
    angle0: float
    segments: tuple[Segment, ...]
    frames: int

    def scene_at(self, t: int) -> Scene:
        """The short-clip Scene whose caption describes frame t's motion."""
        seg = self.segment_at(t)
        return Scene(self.colour, self.shape, self.size, seg.motion, seg.speed, self.background, 0.0, 0.0, 0.0)

    def segment_at(self, t: int) -> Segment:
        return [g for g in self.segments if g.start <= t][-1]


def radius_rate(motion: str, speed: str, base: float) -> float:
    """Radius change per frame of growing/shrinking: the short clips' 16-frame ranges (trajectory())."""
    per_clip = 1.0 if speed == "fast" else 0.5
    sign = {"growing": 1, "shrinking": -1}.get(motion, 0)
    return sign * per_clip * base / (FRAMES - 1)


def _allowed(motion: str, x: float, y: float, r: float, base: float, speed: str, shape: str) -> bool:
    """Whether `motion` can start from this state: off the frame (even partly) only a direction back in on each
    axis that is out; the other motions only inside, growing/shrinking only with room for MIN_SEGMENT frames."""
    if motion in DIRECTIONS:
        return all(not (p < r and d <= 0) and not (p > SIZE - r and d >= 0) for d, p in zip(DIRECTIONS[motion], (x, y)))
    if not (r <= x <= SIZE - r and r <= y <= SIZE - r):
        return False
    if motion == "spinning":
        return shape != "circle"
    end = r + radius_rate(motion, speed, base) * MIN_SEGMENT
    return RADIUS_RANGE[0] * base - 1e-6 <= end <= RADIUS_RANGE[1] * base + 1e-6


def _segment_over(seg: Segment, x: float, y: float, r: float, base: float, gone: int) -> bool:
    """A segment ends early when growing/shrinking has no room left, or 3 frames after the object left the frame."""
    if seg.motion in ("growing", "shrinking"):
        nxt = r + radius_rate(seg.motion, seg.speed, base)
        return not (RADIUS_RANGE[0] * base - 1e-6 <= nxt <= RADIUS_RANGE[1] * base + 1e-6)
    return gone >= 3


def sample_long_scene(rng: np.random.Generator, frames: int) -> LongScene:
    """A long clip whose segments last MIN_SEGMENT..2.5·MIN_SEGMENT frames (less where growing runs out of room or
    the object has left the frame); never a held-out colour × shape × motion triple."""
    colour = str(rng.choice(list(COLOURS)))
    shape = str(rng.choice(SHAPES))
    size = str(rng.choice(list(SIZES)))
    base = SIZES[size]
    background = str(rng.choice([b for b in BACKGROUNDS if not (colour == "white" and b == "white")]))
    ok_motions = [m for m in MOTIONS if (colour, shape, m) not in HELD_OUT and not (shape == "circle" and m == "spinning")]
    first = str(rng.choice(ok_motions))
    speed = str(rng.choice(list(SPEEDS)))
    r = base * {"growing": 0.5 if speed == "fast" else 0.75, "shrinking": 1.5 if speed == "fast" else 1.25}.get(first, 1.0)
    angle0 = float(rng.uniform(0, 2 * math.pi)) if first == "spinning" else UPRIGHT[shape]
    x, y = start_position(rng, "growing" if first in ("growing", "shrinking") else "still", base, 0.0)
    if first in DIRECTIONS and rng.random() < 0.35:  # enter from outside the frame
        dx, dy = DIRECTIONS[first]
        x = x if dx == 0 else -r + 2 - rng.uniform(0, 8) if dx > 0 else SIZE + r - 2 + rng.uniform(0, 8)
        y = y if dy == 0 else -r + 2 - rng.uniform(0, 8) if dy > 0 else SIZE + r - 2 + rng.uniform(0, 8)
    x0, y0, r0 = x, y, r
    segments = [Segment(0, first, speed)]
    sx, t, gone = 1.0, 0, 0
    while t < frames - 1:
        seg = segments[-1]
        end = min(frames - 1, seg.start + int(rng.integers(MIN_SEGMENT, int(2.5 * MIN_SEGMENT) + 1)) - 1)
        if frames - 1 - end < MIN_SEGMENT:  # no room for a whole segment after this one: it goes on to the end
            end = frames - 1
        while t < end and not _segment_over(seg, x, y, r, base, gone):
            t += 1
            x, y, r, sx = step(seg, x, y, r, sx, base)
            gone = gone + 1 if not (-r < x < SIZE + r and -r < y < SIZE + r) else 0
        if t < frames - 1:
            speed = str(rng.choice(list(SPEEDS)))
            choices = [m for m in ok_motions if m != seg.motion and _allowed(m, x, y, r, base, speed, shape)]
            if not choices:  # in a corner whose way back in is held out: any direction towards the middle
                choices = [m for m in ok_motions if m in DIRECTIONS
                           and DIRECTIONS[m][0] * (SIZE / 2 - x) + DIRECTIONS[m][1] * (SIZE / 2 - y) > 0]
            segments.append(Segment(t + 1, str(rng.choice(choices)), speed))
            gone = 0
    return LongScene(colour, shape, size, background, x0, y0, r0, angle0, tuple(segments), frames)


def step(seg: Segment, x: float, y: float, r: float, sx: float, base: float) -> tuple[float, float, float, float]:
    """One frame of a segment's motion from (x, y, r); sx is the bouncing direction (±1)."""
    v = SPEEDS[seg.speed]
    if seg.motion in DIRECTIONS:
        dx, dy = DIRECTIONS[seg.motion]
        norm = math.hypot(dx, dy)
        return x + dx / norm * v, y + dy / norm * v, r, sx
    if seg.motion == "bouncing":  # twice the speed, reflected at the walls as in trajectory()
        lo, hi = r + 1, SIZE - r - 1
        x += 2 * v * sx
        if x > hi:
            x, sx = 2 * hi - x, -1.0
        elif x < lo:
            x, sx = 2 * lo - x, 1.0
        return x, y, r, sx
    lo, hi = RADIUS_RANGE[0] * base, RADIUS_RANGE[1] * base
    return x, y, min(hi, max(lo, r + radius_rate(seg.motion, seg.speed, base))), sx


def long_states(ls: LongScene) -> list[tuple[float, float, float, float]]:
    """Centre x, y, radius and angle of the object in every frame."""
    x, y, r, a, sx = ls.x0, ls.y0, ls.radius0, ls.angle0, 1.0
    out = [(x, y, r, a)]
    for t in range(1, ls.frames):
        seg = ls.segment_at(t)
        x, y, r, sx = step(seg, x, y, r, sx, SIZES[ls.size])
        if seg.motion == "spinning":
            a += 0.12 if seg.speed == "slow" else 0.3
        out.append((x, y, r, a))
    return out


def render_long(ls: LongScene) -> tuple[np.ndarray, np.ndarray]:
    """uint8 frames [frames, H, W, 3] and, per frame, whether at least 4 pixels of the object are in view."""
    bg = background(ls.background)
    colour = np.array(COLOURS[ls.colour], np.float32)
    clip = np.empty((ls.frames, SIZE, SIZE, 3), np.uint8)
    visible = np.zeros(ls.frames, bool)
    for t, (x, y, r, a) in enumerate(long_states(ls)):
        cov = shape_coverage(ls.shape, x, y, r, a)
        visible[t] = cov.sum() >= 4
        clip[t] = np.clip(bg * (1 - cov[..., None]) + colour * cov[..., None], 0, 255).round().astype(np.uint8)
    return clip, visible


def long_scene_from_dict(d: dict) -> LongScene:
    return LongScene(**{**d, "segments": tuple(Segment(**g) for g in d["segments"])})


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
