"""Distil Kineto-Shapes into a few-step student: latent consistency distillation with guidance folded in.

    python training/distill.py --run training/runs/lcm --teacher training/checkpoints/kineto-shapes-21500.pt --steps 6000

Why consistency distillation and not progressive distillation:
- Progressive distillation (Salimans & Ho 2022, "Progressive Distillation for Fast Sampling of Diffusion Models"),
  with guidance first distilled into the student (Meng et al. 2023, "On Distillation of Guided Diffusion Models"),
  needs one training phase to fold in guidance and then one per halving (32 → 16 → 8 → 4): four phases on two CPU
  cores, each inheriting the previous phase's errors.
- Latent consistency distillation (Luo et al. 2023, "Latent Consistency Models", Algorithm 2; after Song et al.
  2023, "Consistency Models") is one phase: the student learns f_θ(x_t, t) ≈ x̂0 such that f is the same at two
  points of one teacher ODE trajectory. Guidance is folded in by taking the teacher's ODE step with classifier-free
  guidance (one fixed w: the app's default 3), so the student needs no unconditional pass. The app already ships
  the matching sampler (`src/engine/schedulers/lcm.ts`: multistep consistency sampling, Algorithm 1).

One training step (Algorithm 2 with a skipping interval k, the paper's "skipping-step" technique):
  1. x0 from the latent dataset, a caption c, n uniform on the 50-step DDIM grid τ_n ∈ {19, 39, …, 999};
  2. x_{τ_n} = √ᾱ·x0 + √(1−ᾱ)·ε;
  3. teacher, with CFG: one DDIM step from τ_n to τ_n − k (k = 20) → x_{τ_n − k}  (no gradient);
  4. loss = ‖f_θ(x_{τ_n}, τ_n) − f_θ⁻(x_{τ_n − k}, τ_n − k)‖², with f_θ⁻ an EMA of θ (the "target network");
  f_θ(x, t) = c_skip(t)·x + c_out(t)·x̂0_θ(x, t) with diffusers' LCM scalings (σ_data 0.5, timestep scaling 10), so
  f is the identity at t = 0 — the boundary condition that anchors the chain.

The loss is weighted on latent positions covered by the object (`train.object_weight`), as in the teacher's
training. The student starts as a copy of the teacher; the text encoder and the autoencoder are the teacher's,
frozen. Checkpoints every 200 steps into `<run>/denoiser.pt` in `train.py`'s format (`ema_den` = the target
network), so `export.py --run` exports the student unchanged; stop at any moment and rerun the same command to
resume. `distill_continue.py` distils a conditioned teacher (train_continue.py) with the same step and loop.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Callable

import numpy as np
import torch

import models
import world
from diffusion import T, alphas_cumprod
from tokenizer import Tokenizer
from train import background_latents, build_dataset, cast_floats, log, object_weight, save_atomic

#: The DDIM grid of the distillation (diffusers' `original_inference_steps`): τ_n = 20·n − 1.
GRID = 50
SKIP = T // GRID
SIGMA_DATA = 0.5
TIMESTEP_SCALING = 10


def boundary(t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """c_skip(t), c_out(t) of LCM eq. 4, shaped to broadcast over [B, C, F, H, W]; equal to the app's scheduler."""
    st = (t.float() * TIMESTEP_SCALING)[:, None, None, None, None]
    return SIGMA_DATA ** 2 / (st ** 2 + SIGMA_DATA ** 2), st / (st ** 2 + SIGMA_DATA ** 2).sqrt()


def x0_from_v(x: torch.Tensor, v: torch.Tensor, a: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
    """v-prediction (Salimans & Ho 2022): x̂0 = √ᾱ·x − √(1−ᾱ)·v."""
    return a * x - s * v


def consistency(den: models.Denoiser, x: torch.Tensor, t: torch.Tensor, text: torch.Tensor, ac: torch.Tensor,
                *cond: torch.Tensor):
    """f_θ(x, t); `cond` is a conditioned denoiser's (cond_latents, cond_mask)."""
    a, s = (ac[t].sqrt()[:, None, None, None, None], (1 - ac[t]).sqrt()[:, None, None, None, None])
    c_skip, c_out = boundary(t)
    return c_skip * x + c_out * x0_from_v(x, den(x, t.float(), text, *cond), a, s)


def lcd_loss(student: models.Denoiser, target: models.Denoiser, teacher: models.Denoiser, x0: torch.Tensor,
             noise: torch.Tensor, n: torch.Tensor, text: torch.Tensor, uncond: torch.Tensor, weight: torch.Tensor,
             guidance: float, ac: torch.Tensor, *cond: torch.Tensor) -> torch.Tensor:
    """Steps 2–4 of one training step for grid indices `n`, weighted by `weight` [B, 1, F, H, W].

    `cond` = (cond_latents, cond_mask) for a conditioned teacher (distill_continue.py): every network reads them,
    both guidance branches included (the guidance is on the text only, as diffusion.ddim_sample), and the known
    frames of x_{τ_n − k} are the clip's own at that level with the same noise, as the sampler puts them back before
    each call; the teacher's own update of them is not trained, so it is dropped."""
    t_hi = n * SKIP - 1
    t_lo = (t_hi - SKIP).clamp(min=0)
    a_hi, s_hi = ac[t_hi].sqrt()[:, None, None, None, None], (1 - ac[t_hi]).sqrt()[:, None, None, None, None]
    x_hi = a_hi * x0 + s_hi * noise
    batch = len(x0)
    with torch.no_grad():
        both = tuple(torch.cat([c, c]) for c in cond)
        v_u, v_c = teacher(torch.cat([x_hi, x_hi]), torch.cat([t_hi, t_hi]).float(),
                           torch.cat([uncond.expand(batch, -1, -1), text]), *both).chunk(2)
        v = v_u + guidance * (v_c - v_u)
        # The teacher's ODE step (DDIM, η = 0) from τ_n to τ_n − k; at τ_n = 19 it lands on t = 0 (ᾱ ≈ 1).
        x0_t = x0_from_v(x_hi, v, a_hi, s_hi)
        eps_t = a_hi * v + s_hi * x_hi
        a_lo = torch.where(t_hi - SKIP < 0, torch.ones(()), ac[t_lo]).sqrt()[:, None, None, None, None]
        s_lo = (1 - a_lo ** 2).clamp(min=0).sqrt()
        x_lo = a_lo * x0_t + s_lo * eps_t
        if cond:
            mask = cond[1]
            x_lo = mask * (a_lo * x0 + s_lo * noise) + (1 - mask) * x_lo
        target_out = consistency(target, x_lo, t_lo, text, ac, *cond)
    pred = consistency(student, x_hi, t_hi, text, ac, *cond)
    return (weight * (pred - target_out).pow(2)).mean() / weight.mean()


def start_or_resume(run: Path, student: models.Denoiser, target: models.Denoiser, teacher: models.Denoiser,
                    opt: torch.optim.Optimizer, rng: np.random.Generator, teacher_name: str) -> int:
    """The step to go on from: `<run>/denoiser.pt`'s, with its student, target, optimizer and RNG, or 0 with the
    student and the target network copies of the teacher."""
    ck = run / "denoiser.pt"
    if ck.exists():
        state = torch.load(ck, weights_only=False)
        student.load_state_dict(state["den"]); target.load_state_dict(state["ema_den"])
        opt.load_state_dict(state["opt"])
        rng.bit_generator.state = state["rng"]
        log(run, f"resumed at step {state['step']}")
        return state["step"]
    student.load_state_dict(teacher.state_dict()); target.load_state_dict(teacher.state_dict())
    log(run, f"student and target start as the teacher ({teacher_name})")
    return 0


def fit(run: Path, student: models.Denoiser, target: models.Denoiser, opt: torch.optim.Optimizer,
        rng: np.random.Generator, step: int, steps: int, lr: float, target_decay: float,
        next_loss: Callable[[], torch.Tensor], saved: Callable[[], dict], snapshot_every: int = 1000) -> None:
    """The training loop from `step` to `steps`: `next_loss` draws a batch (from `rng`) and returns its loss. Logs
    every 50 steps; every 200 writes `<run>/denoiser.pt` (student `den`, target network `ema_den`, optimizer, RNG,
    step, and `saved()`'s fields) atomically, and a copy (`denoiser-<step>.pt`) every `snapshot_every`."""
    t_last, losses = time.time(), []
    while step < steps:
        loss = next_loss()
        for g in opt.param_groups:
            g["lr"] = lr * min(1.0, (step + 1) / 100)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(student.parameters(), 1.0)
        opt.step()
        with torch.no_grad():
            for q, w in zip(target.parameters(), student.parameters()):
                q.lerp_(w, 1 - target_decay)
        losses.append(loss.item())
        step += 1
        if step % 50 == 0:
            log(run, f"step {step} loss {np.mean(losses):.5f} {(time.time() - t_last) / 50:.2f} s/step")
            losses, t_last = [], time.time()
        if step % 200 == 0 or step % snapshot_every == 0 or step == steps:
            ck = run / "denoiser.pt"
            save_atomic({"den": student.state_dict(), "ema_den": target.state_dict(), "opt": opt.state_dict(),
                         "step": step, "rng": rng.bit_generator.state, **saved()}, ck)
            if step % snapshot_every == 0:
                save_atomic(torch.load(ck, weights_only=False), run / f"denoiser-{step:06d}.pt")


def seed_run(run: Path, teacher: Path) -> None:
    """The run folder gets the teacher's autoencoder (for the dataset and export) once."""
    if (run / "ae.pt").exists():
        return
    p = torch.load(teacher, weights_only=False)
    save_atomic({k: cast_floats(v, torch.float32) for k, v in p["ae"].items()}, run / "ae.pt")


def distil(run: Path, teacher_path: Path, steps: int, seed: int, batch: int, lr: float, guidance: float,
           object_gain: float, target_decay: float) -> None:
    lat = np.ascontiguousarray(np.load(run / "latents.npy", mmap_mode="r"))
    scenes = [world.Scene(**d) for d in json.loads((run / "scenes.json").read_text())]
    bg_lat = background_latents(run)
    bg_of = torch.stack([bg_lat[s.background] for s in scenes])
    tok = Tokenizer(world.vocabulary())
    p = torch.load(teacher_path, weights_only=False)
    assert p["vocab"] == tok.words, "vocabulary changed since the teacher was trained"
    te, teacher = models.TextEncoder(tok.vocab_size), models.Denoiser()
    te.load_state_dict(cast_floats(p["ema_te"], torch.float32))
    teacher.load_state_dict(cast_floats(p["ema_den"], torch.float32))
    student, target = models.Denoiser(), models.Denoiser()
    for m in (te, teacher, target):
        m.requires_grad_(False)
    opt = torch.optim.AdamW(student.parameters(), lr=lr, weight_decay=0.0)
    ac = torch.from_numpy(alphas_cumprod()).float()
    rng = np.random.default_rng(seed + 3)
    step = start_or_resume(run, student, target, teacher, opt, rng, f"step {p['step']}")
    with torch.no_grad():
        uncond_one = te(torch.from_numpy(tok.encode("")[0][None]))

    def next_loss() -> torch.Tensor:
        idx = rng.integers(0, len(lat), batch)
        x0 = torch.from_numpy(lat[idx].astype(np.float32))
        captions = [world.caption(scenes[i], rng) for i in idx]
        n = torch.from_numpy(rng.integers(1, GRID + 1, batch))
        noise = torch.randn(x0.shape, generator=torch.Generator().manual_seed(int(rng.integers(1 << 31))))
        with torch.no_grad():
            text = te(torch.from_numpy(np.stack([tok.encode(c)[0] for c in captions])))
            wgt = object_weight(x0, bg_of[torch.from_numpy(idx)], object_gain)
        return lcd_loss(student, target, teacher, x0, noise, n, text, uncond_one, wgt, guidance, ac)

    te_sd = te.state_dict()
    fit(run, student, target, opt, rng, step, steps, lr, target_decay, next_loss,
        lambda: {"te": te_sd, "ema_te": te_sd, "vocab": tok.words,
                 "distill": {"method": "lcd", "teacher_step": p["step"], "guidance": guidance, "grid": GRID,
                             "skip": SKIP}})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", type=Path, default=Path("training/runs/lcm"))
    ap.add_argument("--teacher", type=Path, default=Path("training/checkpoints/kineto-shapes-21500.pt"))
    ap.add_argument("--clips", type=int, default=8000)
    ap.add_argument("--steps", type=int, default=6000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--guidance", type=float, default=3.0, help="the teacher's classifier-free guidance, folded in")
    ap.add_argument("--object-gain", type=float, default=4.0)
    ap.add_argument("--target-decay", type=float, default=0.95, help="EMA decay of the target network f_θ⁻")
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    args.run.mkdir(parents=True, exist_ok=True)
    seed_run(args.run, args.teacher)
    build_dataset(args.run, args.clips, args.seed)
    distil(args.run, args.teacher, args.steps, args.seed, args.batch, args.lr, args.guidance, args.object_gain,
           args.target_decay)


if __name__ == "__main__":
    main()
