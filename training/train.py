"""Train Kineto-Shapes in three resumable phases: autoencoder → latent dataset → text encoder + denoiser.

    python training/train.py --run training/runs/main [--ae-steps 1500] [--clips 16000] [--steps 12000]

Every phase writes its result atomically into the run folder and is skipped when already there, and the
denoiser phase checkpoints every 200 steps, so a run can be stopped at any time and continued with the same
command.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

import models
import world
from diffusion import alphas_cumprod, ddim_sample
from pngio import contact_sheet, write_png
from tokenizer import Tokenizer


def warm_cosine(peak: float, step: int, warmup: int, progress: float) -> float:
    """The learning rate of Kineto's runs: a linear warm-up over `warmup` steps, then a cosine from `peak` down to a
    tenth of it as `progress` goes from 0 to 1."""
    return peak * min(1.0, (step + 1) / warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def take_step(opt: torch.optim.Optimizer, loss: torch.Tensor, params, lr: float) -> None:
    """One optimiser step at `lr`, the gradients clipped to norm 1."""
    for g in opt.param_groups:
        g["lr"] = lr
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()


def save_atomic(obj: object, path: Path) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def log(run: Path, msg: str) -> None:
    line = f"{time.strftime('%H:%M:%S')} {msg}"
    print(line, flush=True)
    with open(run / "log.txt", "a") as f:
        f.write(line + "\n")


def frames_to_tensor(frames: np.ndarray) -> torch.Tensor:
    """uint8 [N, H, W, 3] → float [N, 3, H, W] in [-1, 1]."""
    return torch.from_numpy(frames).permute(0, 3, 1, 2).float() / 127.5 - 1


# --------------------------------------------------------------------------- phase 1: autoencoder
def train_autoencoder(run: Path, steps: int, seed: int) -> None:
    out = run / "ae.pt"
    if out.exists():
        return
    rng = np.random.default_rng(seed)
    pool_scenes = [world.sample_scene(rng, held_out=bool(rng.random() < 0.05)) for _ in range(1500)]
    pool = np.stack([world.render(s) for s in pool_scenes]).reshape(-1, world.SIZE, world.SIZE, 3)
    bgs = np.stack([np.repeat(world.background(s.background)[None], world.FRAMES, 0) for s in pool_scenes])
    bgs = bgs.reshape(-1, world.SIZE, world.SIZE, 3)
    log(run, f"ae: pool of {len(pool)} frames")
    enc, dec = models.Encoder(), models.Decoder()
    params = list(enc.parameters()) + list(dec.parameters())
    opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.0)
    for step in range(steps):
        idx = rng.integers(0, len(pool), 64)
        x = frames_to_tensor(pool[idx])
        # Objects cover a few % of pixels: weight (dilated) object pixels 10× so shapes survive.
        diff = np.abs(pool[idx].astype(np.float32) - bgs[idx]).max(-1) > 12
        mask = F.max_pool2d(torch.from_numpy(diff).float()[:, None], 5, 1, 2)
        weight = 1 + 9 * mask
        z = enc(x)
        z = z + 0.05 * torch.randn_like(z)  # a little latent noise: the decoder must tolerate imperfect latents
        y = dec.decode_raw(z)
        err = (y - x)
        loss = (weight * (err.pow(2) + 0.5 * err.abs())).mean()
        take_step(opt, loss, params, warm_cosine(1e-3, step, 100, step / steps))
        if step % 100 == 0 or step == steps - 1:
            log(run, f"ae step {step} loss {loss.item():.4f}")
    with torch.no_grad():
        z = torch.cat([enc(frames_to_tensor(pool[i:i + 512])) for i in range(0, len(pool), 512)])
        dec.mean.copy_(z.mean(dim=(0, 2, 3), keepdim=True))
        dec.std.copy_(z.std(dim=(0, 2, 3), keepdim=True))
        recon = dec.decode_raw(z[: 16 * 8]).clamp(-1, 1)
        psnr = -10 * torch.log10(((recon - frames_to_tensor(pool[: 16 * 8])) / 2).pow(2).mean())
    log(run, f"ae done: latent mean {dec.mean.flatten().tolist()} std {dec.std.flatten().tolist()} psnr {psnr:.1f} dB")
    sheet = np.concatenate([pool[: 16 * 4].reshape(4, 16, 64, 64, 3),
                            ((recon[: 64].permute(0, 2, 3, 1).numpy() + 1) * 127.5).round().astype(np.uint8)
                            .reshape(4, 16, 64, 64, 3)])
    write_png(str(run / "ae-recon.png"), contact_sheet(sheet, 2))
    save_atomic({"encoder": enc.state_dict(), "decoder": dec.state_dict()}, out)


# --------------------------------------------------------------------------- phase 2: latent dataset
def build_dataset(run: Path, clips: int, seed: int) -> None:
    out = run / "latents.npy"
    if out.exists():
        return
    enc, dec = models.load_autoencoder(run / "ae.pt")
    rng = np.random.default_rng(seed + 1)
    scenes = [world.sample_scene(rng) for _ in range(clips)]
    lat = np.lib.format.open_memmap(run / "latents.tmp.npy", mode="w+", dtype=np.float16,
                                    shape=(clips, models.LATENT_CHANNELS, world.FRAMES, 16, 16))
    t0 = time.time()
    with torch.no_grad():
        for i in range(0, clips, 32):
            batch = np.stack([world.render(s) for s in scenes[i:i + 32]])
            z = enc(frames_to_tensor(batch.reshape(-1, 64, 64, 3)))
            z = (z - dec.mean) / dec.std
            lat[i:i + len(batch)] = z.reshape(len(batch), world.FRAMES, 4, 16, 16).permute(0, 2, 1, 3, 4).numpy()
            if i % 1600 == 0:
                log(run, f"data {i}/{clips} ({time.time() - t0:.0f} s)")
    lat.flush()
    del lat
    (run / "scenes.json").write_text(json.dumps([s.__dict__ for s in scenes]))
    os.replace(run / "latents.tmp.npy", out)


# --------------------------------------------------------------------------- phase 3: denoiser
def cast_floats(sd: dict, dtype: torch.dtype) -> dict:
    """A state dict with its floating-point tensors cast (portable checkpoints keep fp16)."""
    return {k: v.to(dtype) if v.is_floating_point() else v for k, v in sd.items()}


def save_portable(run: Path, out: Path) -> None:
    """A compact checkpoint for the repository (fp16 autoencoder with its encoder, text encoder and denoiser, live
    and EMA; no optimizer state): the shipped model can be re-exported from it, and `--init-from` seeds a new run
    with it."""
    ck = torch.load(run / "denoiser.pt", weights_only=False)
    ae = torch.load(run / "ae.pt")
    out.parent.mkdir(parents=True, exist_ok=True)
    save_atomic({"step": ck["step"], "vocab": ck["vocab"], "ae": {k: cast_floats(v, torch.float16) for k, v in ae.items()},
                 **{k: cast_floats(ck[k], torch.float16) for k in ("te", "den", "ema_te", "ema_den")}}, out)


def background_latents(run: Path) -> dict[str, torch.Tensor]:
    """Each background encoded and normalised like the dataset: [4, 1, 16, 16] per name."""
    enc, dec = models.load_autoencoder(run / "ae.pt")
    with torch.no_grad():
        return {b: ((enc(frames_to_tensor(world.background(b).round().astype(np.uint8)[None])) - dec.mean) / dec.std)
                .permute(1, 0, 2, 3) for b in world.BACKGROUNDS}


def object_weight(x0: torch.Tensor, bg: torch.Tensor, gain: float) -> torch.Tensor:
    """1 on background, 1 + gain where (dilated) the clip differs from its empty background.

    An object covers a few % of the latent, so with a flat loss most of the gradient teaches backgrounds, which
    the model already gets right; small objects on white even vanish. Any positive weighting of an MSE keeps the
    same minimiser (the posterior mean), so this only changes what the model learns first."""
    diff = (x0 - bg).abs().amax(1, keepdim=True) > 0.5
    b, _, f, h, w = diff.shape
    mask = F.max_pool2d(diff.float().reshape(b * f, 1, h, w), 3, 1, 1).reshape(b, 1, f, h, w)
    return 1 + gain * mask


def init_from_portable(run: Path, src: Path) -> None:
    """Seed an empty run folder from a portable checkpoint: the autoencoder and the denoiser checkpoint are written
    as if the run had reached that step. The optimizer moments were not kept (`opt` is None), so training re-warms
    the learning rate and starts a new schedule segment; the latent dataset is rebuilt from the same seed by
    `build_dataset`."""
    if (run / "denoiser.pt").exists() or (run / "ae.pt").exists():
        raise SystemExit(f"{run} already holds a run; --init-from needs an empty folder")
    p = torch.load(src, weights_only=False)
    save_atomic({k: cast_floats(v, torch.float32) for k, v in p["ae"].items()}, run / "ae.pt")
    rng = np.random.default_rng(int(p["step"]))  # a fresh stream: the original one was not kept
    save_atomic({**{k: cast_floats(p[k], torch.float32) for k in ("te", "den", "ema_te", "ema_den")},
                 "opt": None, "step": p["step"], "rng": rng.bit_generator.state, "vocab": p["vocab"], "rewarm_from": p["step"],
                 "segment": (0, p["step"])}, run / "denoiser.pt")
    log(run, f"seeded from {src} at step {p['step']}")


def train_denoiser(run: Path, steps: int, seed: int, batch: int, peak_lr: float, object_gain: float) -> None:
    lat = np.load(run / "latents.npy", mmap_mode="r")
    lat = np.ascontiguousarray(lat)  # ~0.5 GB: fits in memory, avoids page-cache thrash
    scenes = [world.Scene(**d) for d in json.loads((run / "scenes.json").read_text())]
    bg_of = None
    if object_gain:
        bg_lat = background_latents(run)
        bg_of = torch.stack([bg_lat[s.background] for s in scenes])
    tok = Tokenizer(world.vocabulary())
    te, den = models.TextEncoder(tok.vocab_size), models.Denoiser()
    ema_te, ema_den = models.TextEncoder(tok.vocab_size), models.Denoiser()
    params = list(te.parameters()) + list(den.parameters())
    opt = torch.optim.AdamW(params, lr=5e-4, weight_decay=0.01)
    ac = torch.from_numpy(alphas_cumprod()).float()
    ck = run / "denoiser.pt"
    step = 0
    rng = np.random.default_rng(seed + 2)
    # The learning rate follows one warm-up + cosine segment per training session: a run extended past the end of
    # its schedule (a larger --steps) starts a new segment where it stands, instead of crawling at the floor.
    seg_start, seg_end = 0, steps
    rewarm_from = 0
    if ck.exists():
        state = torch.load(ck, weights_only=False)
        te.load_state_dict(state["te"]); ema_te.load_state_dict(state["ema_te"])
        # strict=False: parameters added to the architecture mid-run (zero-initialised) start fresh.
        missing = den.load_state_dict(state["den"], strict=False).missing_keys
        ema_den.load_state_dict(state["ema_den"], strict=False)
        step = state["step"]
        rewarm_from = state.get("rewarm_from", 0)
        if missing:
            ema_den.load_state_dict({**ema_den.state_dict(), **{k: den.state_dict()[k] for k in missing}})
            rewarm_from = step  # fresh Adam moments: warm the learning rate up again
            log(run, f"new parameters {missing}: optimizer state reset, re-warming from step {step}")
        elif state["opt"] is not None:  # None: seeded by --init-from, whose rewarm_from is already set
            opt.load_state_dict(state["opt"])
        rng.bit_generator.state = state["rng"]
        # Checkpoints from before segments existed ran a single schedule that had ended.
        seg_start, seg_end = state.get("segment", (0, step))
        if step >= seg_end and steps > step:
            seg_start, seg_end = step, steps
            rewarm_from = step
            log(run, f"new learning-rate segment {seg_start}→{seg_end}, peak {peak_lr:.1e}")
        log(run, f"resumed at step {step}")
    else:
        ema_te.load_state_dict(te.state_dict()); ema_den.load_state_dict(den.state_dict())
    t_last = time.time()
    losses: list[float] = []
    while step < steps:
        idx = rng.integers(0, len(lat), batch)
        x0 = torch.from_numpy(lat[idx].astype(np.float32))
        captions = [world.caption(scenes[i], rng) if rng.random() >= 0.1 else "" for i in idx]
        ids = torch.from_numpy(np.stack([tok.encode(c)[0] for c in captions]))
        t = torch.from_numpy(rng.integers(0, 1000, batch))
        noise = torch.randn(x0.shape, generator=torch.Generator().manual_seed(int(rng.integers(1 << 31))))
        a = ac[t].sqrt()[:, None, None, None, None]
        s = (1 - ac[t]).sqrt()[:, None, None, None, None]
        xt = a * x0 + s * noise
        v = a * noise - s * x0  # v-prediction target (Salimans & Ho 2022)
        pred = den(xt, t.float(), te(ids))
        if bg_of is not None:
            wgt = object_weight(x0, bg_of[torch.from_numpy(idx)], object_gain)
            loss = (wgt * (pred - v).pow(2)).mean() / wgt.mean()
        else:
            loss = F.mse_loss(pred, v)
        progress = min((step - seg_start) / max(seg_end - seg_start, 1), 1)
        lr = warm_cosine(peak_lr, step - rewarm_from, 300, progress)
        take_step(opt, loss, params, lr)
        decay = min(0.999, (1 + step) / (10 + step))
        with torch.no_grad():
            for m, e in ((te, ema_te), (den, ema_den)):
                for p, q in zip(m.parameters(), e.parameters()):
                    q.lerp_(p, 1 - decay)
        losses.append(loss.item())
        step += 1
        if step % 50 == 0:
            log(run, f"step {step} loss {np.mean(losses):.4f} lr {lr:.2e} {(time.time() - t_last) / 50:.2f} s/step")
            losses, t_last = [], time.time()
        if step % 200 == 0 or step == steps:
            save_atomic({"te": te.state_dict(), "den": den.state_dict(), "ema_te": ema_te.state_dict(),
                         "ema_den": ema_den.state_dict(), "opt": opt.state_dict(), "step": step,
                         "rng": rng.bit_generator.state, "vocab": tok.words, "rewarm_from": rewarm_from,
                         "segment": (seg_start, seg_end)}, ck)
        if step % 1000 == 0 or step == steps:
            preview(run, step, tok, ema_te, ema_den)
            t_last = time.time()


def preview(run: Path, step: int, tok: Tokenizer, te: models.TextEncoder, den: models.Denoiser) -> None:
    prompts = ["a red circle moving left on a black background", "a large blue square moving up on white",
               "a yellow star spinning on a gray gradient", "a small green triangle moving right"]
    _, dec = models.load_autoencoder(run / "ae.pt")
    with torch.no_grad():
        z = ddim_sample(den, te, tok, prompts, steps=20, guidance=3.0, seed=0)
        frames = dec(z.permute(0, 2, 1, 3, 4).reshape(-1, 4, 16, 16)).clamp(-1, 1)
    clips = ((frames.permute(0, 2, 3, 1).numpy() + 1) * 127.5).round().astype(np.uint8).reshape(len(prompts), 16, 64, 64, 3)
    write_png(str(run / f"preview-{step:06d}.png"), contact_sheet(clips, 3))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", type=Path, default=Path("training/runs/main"))
    ap.add_argument("--ae-steps", type=int, default=1500)
    ap.add_argument("--clips", type=int, default=16000)
    ap.add_argument("--steps", type=int, default=12000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--peak-lr", type=float, default=5e-4, help="peak learning rate of a new schedule segment")
    ap.add_argument("--object-gain", type=float, default=0.0,
                    help="extra loss weight on latent positions covered by the object (0: flat MSE)")
    ap.add_argument("--save-portable", type=Path, help="write a portable checkpoint of the run and exit")
    ap.add_argument("--init-from", type=Path, help="seed a new run folder from a portable checkpoint, then train")
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    args.run.mkdir(parents=True, exist_ok=True)
    if args.save_portable:
        save_portable(args.run, args.save_portable)
        return
    if args.init_from:
        init_from_portable(args.run, args.init_from)
    train_autoencoder(args.run, args.ae_steps, args.seed)
    build_dataset(args.run, args.clips, args.seed)
    train_denoiser(args.run, args.steps, args.seed, args.batch, args.peak_lr, args.object_gain)


if __name__ == "__main__":
    main()
