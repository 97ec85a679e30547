"""Noise schedule and a reference DDIM sampler (v-prediction), matching the app's scheduler config:
num_train_timesteps 1000, beta_schedule squaredcos_cap_v2, prediction_type v_prediction, timestep_spacing trailing."""
from __future__ import annotations

import math

import numpy as np
import torch

T = 1000


def alphas_cumprod() -> np.ndarray:
    """diffusers' betas_for_alpha_bar with the cosine ᾱ of Nichol & Dhariwal (2021), β capped at 0.999."""
    f = lambda t: math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2  # noqa: E731
    betas = np.array([min(1 - f((i + 1) / T) / f(i / T), 0.999) for i in range(T)], np.float64)
    return np.cumprod(1 - betas)


def ddim_sample(den, te, tok, prompts: list[str], steps: int, guidance: float, seed: int,
                cond_latents: torch.Tensor | None = None, cond_mask: torch.Tensor | None = None) -> torch.Tensor:
    """Latents [B, 4, 16, 16, 16]; a conditioned denoiser also gets `cond_latents` [B, 4, 16, 16, 16] and
    `cond_mask` [B, 1, 16, 16, 16] in both guidance branches (the guidance is on the text only). Known frames of the
    sample are set to the known latents noised to each step's level, as training made them (train_continue.py
    has no loss there, so the model's own update of them means nothing), and to the known latents at the end."""
    ac = torch.from_numpy(alphas_cumprod()).float()
    extra = () if cond_mask is None else (torch.cat([cond_latents, cond_latents]), torch.cat([cond_mask, cond_mask]))
    b = len(prompts)
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(b, 4, 16, 16, 16, generator=g)
    cond = te(torch.from_numpy(np.stack([tok.encode(p)[0] for p in prompts])))
    uncond = te(torch.from_numpy(np.stack([tok.encode("")[0]] * b)))
    ts = np.round(np.arange(T, 0, -T / steps)).astype(np.int64) - 1
    known_noise = torch.randn(x.shape, generator=g) if cond_mask is not None else None
    for i, t in enumerate(ts):
        if cond_mask is not None:
            x = cond_mask * (ac[t].sqrt() * cond_latents + (1 - ac[t]).sqrt() * known_noise) + (1 - cond_mask) * x
        tt = torch.full((2 * b,), float(t))
        v_u, v_c = den(torch.cat([x, x]), tt, torch.cat([uncond, cond]), *extra).chunk(2)
        v = v_u + guidance * (v_c - v_u)
        a = ac[t]
        a_prev = ac[ts[i + 1]] if i + 1 < len(ts) else torch.tensor(1.0)
        x0 = a.sqrt() * x - (1 - a).sqrt() * v
        eps = a.sqrt() * v + (1 - a).sqrt() * x
        x = a_prev.sqrt() * x0 + (1 - a_prev).sqrt() * eps
    return x if cond_mask is None else cond_mask * cond_latents + (1 - cond_mask) * x
