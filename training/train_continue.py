"""Kineto-Shapes 2: a denoiser that continues. Fine-tunes the shipped model into a masked-conditioning one.

    python training/train_continue.py --run training/runs/continue \
        --init-from training/checkpoints/kineto-shapes-21500.pt --clips 640 --steps 8000 --batch 16

Phases, each resumable like train.py's (outputs written atomically, skipped when present):
1. seed: the autoencoder and the step-21 500 weights from the portable checkpoint. The denoiser gets COND_CHANNELS
   more input channels whose weights start at zero (models.load_denoiser), so training begins from today's model.
2. long clips: `world.sample_long_scene` trajectories of `--frames` frames, encoded by the same frozen encoder and
   per-channel normalisation as train.py's dataset, so the known latents a person's image or a clip's last frames
   become (through the same encoder, shipped later) match the ones trained on.
3. training: windows of 16 frames cut from the long clips at sample time, each with a mask from masks.MASKS.
   Checkpoint (denoiser, EMA, optimizer, RNG, step) every 200 steps, log in <run>/log.txt, previews every 1 000.

The text encoder stays frozen (the shipped text_encoder.onnx serves both models). The loss is train.py's
object-weighted v-prediction MSE on the unknown frames only: known frames are given, not generated.

Known frames get a little Gaussian noise in training (up to --cond-noise, in units of the unit-variance latents):
image-to-video models given a clean condition lean on it and stop moving (Zhao et al. 2024, "Identifying and
Solving Conditional Image Leakage in Image-to-Video Diffusion Model", arXiv 2406.15735).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
import torch

import masks
import models
import world
from diffusion import alphas_cumprod
from tokenizer import Tokenizer
from train import background_latents, cast_floats, frames_to_tensor, log, object_weight, save_atomic, take_step, warm_cosine

MIN_VISIBLE = 8  # a window shows the object in at least this many of its 16 frames


# --------------------------------------------------------------------------- phase 1: seed
def seed_from_portable(run: Path, src: Path) -> None:
    """The run's first checkpoint from `src`: the shipped run's portable checkpoint, or a continuation run's (or its
    blend's) denoiser.pt, whose folder holds its ae.pt, for a second fine-tune of a model that already continues."""
    if (run / "denoiser.pt").exists():
        return
    p = torch.load(src, weights_only=False)
    if "ae" not in p:
        shutil.copyfile(src.parent / "ae.pt", run / "ae.pt")
        save_atomic({"te": p["te"], "den": p["ema_den"], "ema_den": p["ema_den"], "opt": None, "step": 0, "rng": None,
                     "vocab": p["vocab"], "seeded_from": f"{src.parent.name} step {p['step']}"}, run / "denoiser.pt")
        log(run, f"seeded from {src.parent.name}/{src.name} (step {p['step']})")
        return
    if not (run / "ae.pt").exists():
        save_atomic({k: cast_floats(v, torch.float32) for k, v in p["ae"].items()}, run / "ae.pt")
    den = models.Denoiser(cond_channels=models.COND_CHANNELS)
    models.load_denoiser(den, cast_floats(p["ema_den"], torch.float32))
    te = cast_floats(p["ema_te"], torch.float32)
    save_atomic({"te": te, "den": den.state_dict(), "ema_den": den.state_dict(), "opt": None, "step": 0,
                 "rng": None, "vocab": p["vocab"], "seeded_from": f"{src.name} step {p['step']}"}, run / "denoiser.pt")
    log(run, f"seeded from {src.name} (step {p['step']}); conditioning input weights zero")


# --------------------------------------------------------------------------- phase 2: long clips
def build_long_dataset(run: Path, clips: int, frames: int, seed: int) -> None:
    out = run / "long-latents.npy"
    if out.exists():
        return
    enc, dec = models.load_autoencoder(run / "ae.pt")
    rng = np.random.default_rng(seed + 11)
    scenes = [world.sample_long_scene(rng, frames) for _ in range(clips)]
    lat = np.lib.format.open_memmap(run / "long-latents.tmp.npy", mode="w+", dtype=np.float16,
                                    shape=(clips, models.LATENT_CHANNELS, frames, 16, 16))
    visible = np.zeros((clips, frames), bool)
    t0 = time.time()
    with torch.no_grad():
        for i, s in enumerate(scenes):
            clip, visible[i] = world.render_long(s)
            z = (enc(frames_to_tensor(clip)) - dec.mean) / dec.std
            lat[i] = z.permute(1, 0, 2, 3).numpy()
            if i % 200 == 0:
                log(run, f"long clips {i}/{clips} ({time.time() - t0:.0f} s)")
    lat.flush()
    del lat
    meta = {"scenes": [s.__dict__ | {"segments": [g.__dict__ for g in s.segments]} for s in scenes],
            "visible": visible.astype(int).tolist()}
    (run / "long-scenes.json").write_text(json.dumps(meta))
    os.replace(run / "long-latents.tmp.npy", out)
    log(run, f"long clips done: {clips} × {frames} frames in {time.time() - t0:.0f} s")


# --------------------------------------------------------------------------- windows
class Windows:
    """Where 16-frame windows can be cut: inside one segment (one motion, one caption), or across a change of
    motion at frame k of the window for `continue` with k known frames, so the known frames show the motion before
    the change and the caption (and the frames to make) the motion after it."""

    def __init__(self, scenes: list[world.LongScene], visible: np.ndarray, motion_share: dict[str, float] | None = None):
        f = world.FRAMES
        self.inside: list[tuple[int, int]] = []
        self.motion_share = motion_share or {}
        self.by_motion: dict[str, list[tuple[int, int]]] = {m: [] for m in self.motion_share}
        self.seams: dict[int, list[tuple[int, int]]] = {k: [] for k in range(1, masks.CONTINUE_MAX + 1)}
        for i, s in enumerate(scenes):
            ends = [g.start for g in s.segments[1:]] + [s.frames]
            for g, end in zip(s.segments, ends):
                inside = [(i, a) for a in range(g.start, end - f + 1) if visible[i, a:a + f].sum() >= MIN_VISIBLE]
                self.inside += inside
                if g.motion in self.by_motion:
                    self.by_motion[g.motion] += inside
                for k in self.seams:
                    a = g.start - k
                    if g.start > 0 and a >= 0 and a + f <= end and visible[i, a:a + f].sum() >= MIN_VISIBLE:
                        self.seams[k].append((i, a))

    def pick(self, rng: np.random.Generator, mask: str, k: int) -> tuple[int, int]:
        """(clip, first frame) for a window under `mask`; half of the continuations straddle a change. With
        `motion_share`, that share of the other windows is drawn from inside segments of each named motion."""
        pool = self.seams[k] if mask == "continue" and self.seams[k] and rng.random() < 0.5 else self.inside
        if pool is self.inside and self.motion_share:
            u = rng.random()
            for motion, share in self.motion_share.items():
                if u < share and self.by_motion[motion]:
                    pool = self.by_motion[motion]
                    break
                u -= share
        return pool[int(rng.integers(len(pool)))]


def batch_of(rng: np.random.Generator, lat: np.ndarray, scenes: list[world.LongScene], windows: Windows, batch: int,
             tok: Tokenizer, bg: dict[str, torch.Tensor], empty_caption_share: float = 0.1):
    """x0 [B, 4, 16, 16, 16], the mask [B, 1, 16, 16, 16] (1 on known frames), token ids, background latents: each
    window under a mask drawn from masks.MASKS; `empty_caption_share` of the captions are "" (CFG's empty prompt)."""
    x0, known, ids, bgs = [], [], [], []
    for _ in range(batch):
        name, k = masks.sample_mask(rng)
        i, a = windows.pick(rng, name, k)
        x0.append(lat[i, :, a:a + world.FRAMES])
        m = masks.known_frames(name, k)
        known.append(m)
        free = int(np.argmin(m)) if not m.all() else 0  # the first frame to make sets the caption's motion
        s = scenes[i]
        text = world.caption(s.scene_at(a + free), rng) if rng.random() >= empty_caption_share else ""
        ids.append(tok.encode(text)[0])
        bgs.append(bg[s.background])
    x0 = torch.from_numpy(np.stack(x0).astype(np.float32))
    mask = torch.from_numpy(np.stack(known)).float()[:, None, :, None, None].expand(-1, 1, -1, 16, 16).contiguous()
    return x0, mask, torch.from_numpy(np.stack(ids)), torch.stack(bgs)


def noisy_known(x0: torch.Tensor, g: torch.Generator, cond_noise: float) -> torch.Tensor:
    """The known latents as the denoiser's `cond_latents` reads them in training: x0 plus Gaussian noise of a per-clip
    std in [0, cond_noise], so the model does not over-trust a clean condition (arXiv 2406.15735)."""
    sigma = torch.rand(x0.shape[0], 1, 1, 1, 1, generator=g) * cond_noise
    return x0 + sigma * torch.randn(x0.shape, generator=g)


def load_long_dataset(folder: Path, motion_share: dict[str, float] | None = None) -> tuple[np.ndarray, list[world.LongScene], Windows]:
    """The long clips `build_long_dataset` wrote in `folder` (read only), their scenes and where windows can be cut."""
    lat = np.ascontiguousarray(np.load(folder / "long-latents.npy", mmap_mode="r"))
    meta = json.loads((folder / "long-scenes.json").read_text())
    scenes = [world.long_scene_from_dict(d) for d in meta["scenes"]]
    return lat, scenes, Windows(scenes, np.array(meta["visible"], bool), motion_share)


def parse_motion_share(text: str) -> dict[str, float]:
    """"spinning=0.35,still=0.15" → {"spinning": 0.35, "still": 0.15}; motions of the world, shares summing to ≤ 1."""
    share = {m: float(v) for m, v in (part.split("=") for part in text.split(",") if part)}
    if not set(share) <= set(world.MOTIONS) or sum(share.values()) > 1:
        raise SystemExit(f"--motion-share: motions of {world.MOTIONS} with shares summing to at most 1 (got {text!r})")
    return share


# --------------------------------------------------------------------------- phase 3: training
def train(run: Path, steps: int, batch: int, peak_lr: float, object_gain: float, cond_noise: float, seed: int,
          data: Path, motion_share: dict[str, float]) -> None:
    lat, scenes, windows = load_long_dataset(data, motion_share)
    log(run, f"{len(scenes)} long clips from {data.name}: {len(windows.inside)} one-motion windows, "
             f"{sum(map(len, windows.seams.values()))} windows across a change"
             + "".join(f", {m} {len(w)} windows drawn {motion_share[m]:.0%} of the time" for m, w in windows.by_motion.items()))
    bg = background_latents(run)
    state = torch.load(run / "denoiser.pt", weights_only=False)
    tok = Tokenizer(state["vocab"])
    te = models.TextEncoder(tok.vocab_size)
    te.load_state_dict(state["te"])
    te.requires_grad_(False)
    den, ema = (models.Denoiser(cond_channels=models.COND_CHANNELS) for _ in range(2))
    den.load_state_dict(state["den"]); ema.load_state_dict(state["ema_den"])
    opt = torch.optim.AdamW(den.parameters(), lr=peak_lr, weight_decay=0.01)
    if state["opt"] is not None:
        opt.load_state_dict(state["opt"])
    step = state["step"]
    rng = np.random.default_rng(seed + 12)
    if state["rng"] is not None:
        rng.bit_generator.state = state["rng"]
    log(run, f"training from step {step} to {steps}, peak lr {peak_lr:.1e}")
    ac = torch.from_numpy(alphas_cumprod()).float()
    losses: list[float] = []
    t_last = time.time()
    while step < steps:
        x0, mask, ids, bgs = batch_of(rng, lat, scenes, windows, batch, tok, bg)
        g = torch.Generator().manual_seed(int(rng.integers(1 << 31)))
        cond = noisy_known(x0, g, cond_noise)
        t = torch.from_numpy(rng.integers(0, 1000, batch))
        noise = torch.randn(x0.shape, generator=g)
        a = ac[t].sqrt()[:, None, None, None, None]
        s = (1 - ac[t]).sqrt()[:, None, None, None, None]
        with torch.no_grad():
            text = te(ids)
        pred = den(a * x0 + s * noise, t.float(), text, cond, mask)
        v = a * noise - s * x0
        wgt = object_weight(x0, bgs, object_gain) * (1 - mask)  # known frames are given: no loss there
        loss = (wgt * (pred - v).pow(2)).mean() / wgt.mean()  # train.py's normalisation: comparable losses
        lr = warm_cosine(peak_lr, step, 300, min(step / steps, 1))
        take_step(opt, loss, den.parameters(), lr)
        with torch.no_grad():
            for p, q in zip(den.parameters(), ema.parameters()):
                q.lerp_(p, 1 - 0.999)
        losses.append(loss.item())
        step += 1
        if step % 50 == 0:
            log(run, f"step {step} loss {np.mean(losses):.4f} lr {lr:.2e} {(time.time() - t_last) / 50:.2f} s/step")
            losses, t_last = [], time.time()
        if step % 200 == 0 or step == steps:
            save_atomic({"te": state["te"], "den": den.state_dict(), "ema_den": ema.state_dict(),
                         "opt": opt.state_dict(), "step": step, "rng": rng.bit_generator.state, "vocab": tok.words,
                         "seeded_from": state.get("seeded_from")}, run / "denoiser.pt")
        if step % 1000 == 0 or step == steps:
            from preview_continue import preview  # late import: preview imports this module
            preview(run, step)
            t_last = time.time()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", type=Path, default=Path("training/runs/continue"))
    ap.add_argument("--init-from", type=Path, default=Path("training/checkpoints/kineto-shapes-21500.pt"))
    ap.add_argument("--clips", type=int, default=640, help="long clips in the dataset")
    ap.add_argument("--frames", type=int, default=64, help="frames per long clip")
    ap.add_argument("--steps", type=int, default=8000)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--peak-lr", type=float, default=1e-4, help="fine-tuning: the last segment of the shipped run")
    ap.add_argument("--object-gain", type=float, default=4.0)
    ap.add_argument("--cond-noise", type=float, default=0.1, help="largest noise std on known latents in training")
    ap.add_argument("--data", type=Path, default=None, help="read the long clips of another run (default: build them in --run)")
    ap.add_argument("--motion-share", default="", help='e.g. "spinning=0.35,still=0.15": windows drawn from those motions')
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    args.run.mkdir(parents=True, exist_ok=True)
    seed_from_portable(args.run, args.init_from)
    if args.data is None:
        build_long_dataset(args.run, args.clips, args.frames, args.seed)
    train(args.run, args.steps, args.batch, args.peak_lr, args.object_gain, args.cond_noise, args.seed,
          args.data or args.run, parse_motion_share(args.motion_share))


if __name__ == "__main__":
    main()
