"""The conditioning masks of Kineto-Shapes 2: which of a window's 16 latent frames are given as known.

Masked conditioning after MCVD (Voleti et al. 2022, "MCVD: Masked Conditional Video Diffusion for Prediction,
Generation, and Interpolation", arXiv 2205.09853): one denoiser trained on a mix of masks does generation,
prediction and interpolation, chosen by the mask at sampling time. Wan2.1's image-to-video (arXiv 2503.20314) feeds
its condition the same way, as concatenated masked latents plus the mask.
"""
from __future__ import annotations

import numpy as np

from world import FRAMES

# name: (share of training windows, what a person does with it)
MASKS: dict[str, tuple[float, str]] = {
    "text_to_video": (0.2, "no known frame: text→video as today, so the model keeps what it could do"),
    "image_to_video": (0.2, "the first frame: start a clip from an image"),
    "continue": (0.3, "the first 1–8 frames: continue a clip (the next window of a longer video)"),
    "keyframes": (0.15, "the first and the last frame: in-betweens between two keyframes"),
    "double_frame_rate": (0.15, "every other frame: the frames between, doubling a clip's frame rate"),
}
CONTINUE_MAX = 8


def known_frames(name: str, k: int = 0) -> np.ndarray:
    """bool [FRAMES]: the known frames of mask `name` (`k`: how many frames `continue` keeps)."""
    m = np.zeros(FRAMES, bool)
    if name == "image_to_video":
        m[0] = True
    elif name == "continue":
        m[:k] = True
    elif name == "keyframes":
        m[[0, -1]] = True
    elif name == "double_frame_rate":
        m[::2] = True
    elif name != "text_to_video":
        raise ValueError(name)
    return m


def sample_mask(rng: np.random.Generator) -> tuple[str, int]:
    """A mask name drawn by its share, and k (1..CONTINUE_MAX) for `continue` (0 otherwise)."""
    names = list(MASKS)
    shares = np.array([MASKS[n][0] for n in names])
    name = names[int(rng.choice(len(names), p=shares / shares.sum()))]
    return name, int(rng.integers(1, CONTINUE_MAX + 1)) if name == "continue" else 0
