"""Kineto-Shapes' sharper picture (issue 17 §5): a decoder that draws 128×128 frames from the same latents.

The app upscaled its 64×64 frames to 256 px, so every edge was a blur. The latents hold more than 64 px show: the
world is drawn at 128 (`world.render(scene, scale=2)`), the frozen encoder of the run's `ae.pt` encodes the 64-px
clip as it always did, and `models.DecoderHD` learns to draw the 128-px clip from those latents with the same loss
as the autoencoder's (object pixels weighted, a little latent noise so it tolerates the denoisers' latents). It
starts from the shipped decoder's layers up to its 64-px features and its latent normalisation, so it decodes
exactly what the denoisers make. `--head` picks its last 2× stage (models.DecoderHD; the shipped one is the default,
"subpixel"). Resumable: a checkpoint every `--checkpoint-every` steps (weights, optimizer, RNG state); the same command continues, and
`--for N` stops after N steps of this call (the schedule still runs to `--steps`).

    training/.venv/bin/python training/train_decoder_hd.py --ae <run>/ae.pt --run training/runs/decoder-hd --steps 2000
    training/.venv/bin/python training/train_decoder_hd.py --ae <run>/ae.pt --run training/runs/decoder-hd \
        --ship public/models/kineto-shapes        # the finished run as the package's vae_decoder.onnx

`--ship` exports the run's decoder as the package's `vae_decoder.onnx` (fp16-stored, as export.py writes the shipped
files), checks it against torch, and rewrites `components.vae_decoder`: its output shape [batch, 3, 128, 128] is how
the app learns that frames are twice the encoder's size (src/engine/frame-size.ts).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
import torch.nn.functional as F

import models
import world
from export import export_onnx, io_spec, sha256
from train import frames_to_tensor, log, save_atomic, take_step, warm_cosine

SCALE = 2
# Scenes per batch; each gives every one of its frames (16), so a batch is 64 frames.
SCENES_PER_BATCH = 4
PEAK_LR = 1e-3
# models.Decoder's tensors that DecoderHD has at the same place and shape: the normalisation and every layer before
# the last 2× stage.
SHARED_LAYERS = {"mean", "std"} | {f"net.{i}.{p}" for i in (0, 2, 5, 8) for p in ("weight", "bias")}


def start_from(dec64: models.Decoder, head: str) -> models.DecoderHD:
    """A DecoderHD whose first layers are `dec64`'s, up to the 64-px features, with its latent normalisation: it starts
    from what that decoder draws and learns the last 2× stage and the sharper edges. A sub-pixel head starts as
    `dec64`'s last convolution for each of the 2×2 pixels, so step 0 draws its frames, each pixel doubled."""
    dec = models.DecoderHD(head=head)
    shared = {k: v for k, v in dec64.state_dict().items() if k in SHARED_LAYERS}
    if head == "subpixel":
        last = dec64.net[-1]
        # PixelShuffle reads channel c·4 + (dy·2 + dx) as colour c of block pixel (dy, dx).
        shared[f"net.{len(dec.net) - 2}.weight"] = last.weight.detach().repeat_interleave(4, 0)
        shared[f"net.{len(dec.net) - 2}.bias"] = last.bias.detach().repeat_interleave(4, 0)
    dec.load_state_dict({**dec.state_dict(), **shared})
    return dec


def batch(rng: np.random.Generator, enc: models.Encoder) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Latents of fresh 64-px clips (never the held-out combinations), their 128-px frames and the object weights."""
    scenes = [world.sample_scene(rng) for _ in range(SCENES_PER_BATCH)]
    low = np.concatenate([world.render(s) for s in scenes])
    high = np.concatenate([world.render(s, SCALE) for s in scenes])
    bgs = np.concatenate([np.repeat(world.background(s.background, world.SIZE * SCALE)[None], world.FRAMES, 0) for s in scenes])
    # Objects cover a few % of pixels: weight (dilated) object pixels 10× so shapes come out sharp, as train.py does.
    diff = np.abs(high.astype(np.float32) - bgs).max(-1) > 12
    weight = 1 + 9 * F.max_pool2d(torch.from_numpy(diff).float()[:, None], 9, 1, 4)
    with torch.no_grad():
        z = enc(frames_to_tensor(low))
    return z, frames_to_tensor(high), weight


def psnr(dec: models.DecoderHD, enc: models.Encoder, seed: int) -> float:
    """PSNR (dB) of the 128-px frames drawn from latents of 16 held-back scenes (their own generator)."""
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        ys, xs = [], []
        for _ in range(4):
            z, x, _ = batch(rng, enc)
            ys.append(dec.decode_raw(z).clamp(-1, 1))
            xs.append(x)
        return float(-10 * torch.log10(((torch.cat(ys) - torch.cat(xs)) / 2).pow(2).mean()))


def train(ae: Path, run: Path, steps: int, checkpoint_every: int, seed: int, budget: int | None = None,
          head: str = "subpixel") -> float | None:
    """Trains (or resumes) toward `steps`, at most `budget` steps in this call (then checkpoints and stops; the
    learning-rate schedule still runs to `steps`); returns the held-back PSNR once `steps` is reached."""
    run.mkdir(parents=True, exist_ok=True)
    enc, dec64 = models.load_autoencoder(ae)
    enc.eval()
    dec = start_from(dec64, head)
    opt = torch.optim.AdamW(dec.parameters(), lr=PEAK_LR, weight_decay=0.0)
    rng = np.random.default_rng(seed)
    ckpt = run / "decoder-hd.pt"
    step = 0
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        dec.load_state_dict(state["decoder"])
        opt.load_state_dict(state["optimizer"])
        rng.bit_generator.state = state["rng"]
        torch.set_rng_state(state["torch_rng"])
        step = state["step"]
        log(run, f"decoder-hd: resumed at step {step}")
    stop = steps if budget is None else min(steps, step + budget)
    while step < stop:
        z, x, weight = batch(rng, enc)
        z = z + 0.05 * torch.randn_like(z)
        err = dec.decode_raw(z) - x
        loss = (weight * (err.pow(2) + 0.5 * err.abs())).mean()
        take_step(opt, loss, dec.parameters(), warm_cosine(PEAK_LR, step, 100, step / steps))
        step += 1
        if step % 50 == 0 or step == steps:
            log(run, f"decoder-hd step {step} loss {loss.item():.4f}")
        if step % checkpoint_every == 0 or step == stop:
            save_atomic({"decoder": dec.state_dict(), "head": head, "optimizer": opt.state_dict(),
                         "rng": rng.bit_generator.state, "torch_rng": torch.get_rng_state(), "step": step}, ckpt)
    if step < steps:
        log(run, f"decoder-hd: stopped at step {step} of {steps} (--for); the same command goes on")
        return None
    quality = psnr(dec, enc, seed + 1)
    log(run, f"decoder-hd done at step {step}: held-back PSNR {quality:.2f} dB")
    return quality


def ship(run: Path, package: Path) -> None:
    """The run's decoder as `package`/vae_decoder.onnx, checked against torch, declared in its manifest."""
    state = torch.load(run / "decoder-hd.pt", weights_only=False)
    dec = models.DecoderHD(head=state.get("head", "upsample"))  # the first run's checkpoints name no head
    dec.load_state_dict(state["decoder"])
    path = package / "vae_decoder.onnx"
    export_onnx(dec, (torch.randn(2, 4, 16, 16),), ["latent_sample"], ["sample"],
                {"z_normalised": {0: torch.export.Dim("batch", min=1, max=64)}}, path, "fp16")
    z = torch.randn(16, 4, 16, 16)  # another batch than traced
    with torch.no_grad():
        ref = dec(z).numpy()
    got = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, {"latent_sample": z.numpy()})[0]
    mpath = package / "manifest.json"
    m = json.loads(mpath.read_text())
    m["components"]["vae_decoder"] = {"file": path.name, **io_spec(path), "bytes": path.stat().st_size, "sha256": sha256(path)}
    mpath.write_text(json.dumps(m, indent=1) + "\n")
    print(f"{path}: step {state['step']}, {path.stat().st_size} bytes, max abs diff vs torch fp32 "
          f"{np.abs(got - ref).max():.2e}; components.vae_decoder rewritten")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ae", type=Path, required=True, help="the run's ae.pt (its encoder is frozen)")
    ap.add_argument("--run", type=Path, required=True)
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--checkpoint-every", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--for", dest="budget", type=int, help="stop after this many steps in this call (a session's share)")
    ap.add_argument("--ship", type=Path, metavar="PACKAGE", help="export the run's decoder into this model package")
    ap.add_argument("--head", choices=("subpixel", "upsample"), default="subpixel", help="models.DecoderHD's last 2× stage")
    args = ap.parse_args()
    torch.set_num_threads(2)
    if args.ship:
        ship(args.run, args.ship)
        return
    torch.manual_seed(args.seed)
    train(args.ae, args.run, args.steps, args.checkpoint_every, args.seed, args.budget, args.head)


if __name__ == "__main__":
    main()
