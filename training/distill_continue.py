"""Distil a train_continue.py teacher into the conditioned Fast student: 4 calls per window, guidance folded in.

    python training/distill_continue.py --run training/runs/lcm-continue \
        --teacher training/runs/continue/denoiser.pt --steps 2000

distill.py's latent consistency distillation (Luo et al. 2023, Algorithm 2; its docstring says why this method),
with the masked conditioning of train_continue.py (MCVD, Voleti et al. 2022):
- each training window is cut from the teacher run's long clips under a mask drawn from masks.MASKS, by
  train_continue.batch_of itself, so the student sees the teacher's mix of tasks (continuations across a change of
  motion included); every caption is given (no empty ones: guidance is folded in, the student has no
  unconditional pass);
- the known latents reach teacher, target network and student alike as `cond_latents` / `cond_mask`, noised a
  little as the teacher was trained (train_continue.noisy_known, arXiv 2406.15735); the teacher's classifier-free
  guidance (w = 3) is on the text only, the condition in both branches, as diffusion.ddim_sample and the app do;
- the known frames of the noisy sample are the clip's own at each level, as the app's sampler puts them back
  before every call (engine/continuation/window-condition.ts), and the consistency loss is on the unknown frames
  only (distill.lcd_loss with a condition).

The student (cond channels included) and the target network start as the teacher's EMA weights; the text encoder
and autoencoder are the teacher's, frozen. The first run of a folder freezes a copy of the teacher there
(`teacher.pt`, `ae.pt`), so the teacher run may train on and resuming still distils the same teacher. The dataset
is read where the teacher run wrote it (`--data`, by default the teacher's folder: long-latents.npy,
long-scenes.json), never rebuilt or written. Checkpoints every 200 steps into `<run>/denoiser.pt` (student,
target network as `ema_den`, optimizer, RNG, step; written atomically) and a copy every `--snapshot-every` steps:
the shipped Fast student was an early checkpoint (model card). Stop at any moment; the same command resumes.
Export: `export_continue.py --run <run> --student denoiser-fast-cond.onnx --out <package>`.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

import masks
import models
import world
from diffusion import alphas_cumprod
from distill import GRID, SKIP, fit, lcd_loss, start_or_resume
from tokenizer import Tokenizer
from train import background_latents, cast_floats, log, object_weight, save_atomic
from train_continue import batch_of, load_long_dataset, noisy_known, parse_motion_share


def freeze_teacher(run: Path, teacher: Path) -> None:
    """`<run>/teacher.pt` (EMA denoiser, frozen text encoder, step, vocabulary) and `<run>/ae.pt`, once, from a
    train_continue.py run's `denoiser.pt` (its `ae.pt` beside it) or a portable checkpoint (autoencoder inside)."""
    if (run / "teacher.pt").exists():
        return
    p = torch.load(teacher, weights_only=False)
    inp = p["ema_den"]["inp.weight"]
    if inp.shape[1] != 4 * (models.LATENT_CHANNELS + models.COND_CHANNELS):
        raise SystemExit(f"{teacher} takes no known frames (input channels {inp.shape[1]}): distil a "
                         "train_continue.py run")
    ae = p["ae"] if "ae" in p else torch.load(teacher.parent / "ae.pt")
    save_atomic({k: cast_floats(v, torch.float32) for k, v in ae.items()}, run / "ae.pt")
    save_atomic({"te": cast_floats(p["ema_te"] if "ema_te" in p else p["te"], torch.float32),
                 "ema_den": cast_floats(p["ema_den"], torch.float32), "step": p["step"], "vocab": p["vocab"],
                 "from": f"{teacher.parent.name}/{teacher.name}"}, run / "teacher.pt")
    log(run, f"teacher frozen: {teacher.parent.name}/{teacher.name} at step {p['step']}")


def distil(run: Path, data: Path, steps: int, seed: int, batch: int, lr: float, guidance: float, object_gain: float,
           cond_noise: float, target_decay: float, snapshot_every: int, motion_share: dict[str, float]) -> None:
    lat, scenes, windows = load_long_dataset(data, motion_share)
    log(run, f"dataset {data}: {len(scenes)} long clips, {len(windows.inside)} one-motion windows")
    bg = background_latents(run)
    p = torch.load(run / "teacher.pt", weights_only=False)
    tok = Tokenizer(p["vocab"])
    assert p["vocab"] == world.vocabulary(), "vocabulary changed since the teacher was trained"
    te = models.TextEncoder(tok.vocab_size)
    te.load_state_dict(p["te"])
    teacher, student, target = (models.Denoiser(cond_channels=models.COND_CHANNELS) for _ in range(3))
    teacher.load_state_dict(p["ema_den"])
    for m in (te, teacher, target):
        m.requires_grad_(False)
    opt = torch.optim.AdamW(student.parameters(), lr=lr, weight_decay=0.0)
    ac = torch.from_numpy(alphas_cumprod()).float()
    rng = np.random.default_rng(seed + 13)
    step = start_or_resume(run, student, target, teacher, opt, rng, f"{p['from']} step {p['step']}")
    with torch.no_grad():
        uncond = te(torch.from_numpy(tok.encode("")[0][None]))

    def next_loss() -> torch.Tensor:
        x0, mask, ids, bgs = batch_of(rng, lat, scenes, windows, batch, tok, bg, empty_caption_share=0.0)
        g = torch.Generator().manual_seed(int(rng.integers(1 << 31)))
        cond = noisy_known(x0, g, cond_noise)
        n = torch.from_numpy(rng.integers(1, GRID + 1, batch))
        noise = torch.randn(x0.shape, generator=g)
        with torch.no_grad():
            text = te(ids)
            wgt = object_weight(x0, bgs, object_gain) * (1 - mask)  # known frames are given: no loss there
        return lcd_loss(student, target, teacher, x0, noise, n, text, uncond, wgt, guidance, ac, cond, mask)

    fit(run, student, target, opt, rng, step, steps, lr, target_decay, next_loss,
        lambda: {"te": p["te"], "vocab": tok.words,
                 "distill": {"method": "lcd", "teacher": p["from"], "teacher_step": p["step"], "guidance": guidance,
                             "grid": GRID, "skip": SKIP, "cond_noise": cond_noise, "masks": list(masks.MASKS)}},
        snapshot_every)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", type=Path, default=Path("training/runs/lcm-continue"))
    ap.add_argument("--teacher", type=Path, default=Path("training/runs/continue/denoiser.pt"),
                    help="a train_continue.py run's denoiser.pt (EMA weights) or a portable checkpoint of one; "
                         "read on the first run only")
    ap.add_argument("--data", type=Path, help="folder of long-latents.npy and long-scenes.json (read only); "
                                              "default: the teacher's folder")
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--guidance", type=float, default=3.0, help="the teacher's classifier-free guidance, folded in")
    ap.add_argument("--object-gain", type=float, default=4.0)
    ap.add_argument("--cond-noise", type=float, default=0.1, help="largest noise std on known latents (as the teacher)")
    ap.add_argument("--target-decay", type=float, default=0.95, help="EMA decay of the target network f_θ⁻")
    ap.add_argument("--snapshot-every", type=int, default=200, help="keep a copy of the checkpoint every N steps")
    ap.add_argument("--motion-share", default="", help="as train_continue.py's: windows drawn from those motions")
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    args.run.mkdir(parents=True, exist_ok=True)
    freeze_teacher(args.run, args.teacher)
    data = args.data or args.teacher.parent
    if not (data / "long-latents.npy").exists():
        raise SystemExit(f"no long-latents.npy in {data}: pass --data, the folder of a train_continue.py run")
    distil(args.run, data, args.steps, args.seed, args.batch, args.lr, args.guidance, args.object_gain,
           args.cond_noise, args.target_decay, args.snapshot_every, parse_motion_share(args.motion_share))


if __name__ == "__main__":
    main()
