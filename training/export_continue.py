"""ONNX export of a train_continue.py run: the conditioned denoiser and the VAE encoder, checked against torch.

    python training/export_continue.py --run training/runs/continue --out training/runs/continue/onnx
    python training/export_continue.py --encoder-only --ae training/runs/continue/ae.pt --out public/models/kineto-shapes
    python training/export_continue.py --run training/runs/continue --out public/models/kineto-shapes --ship
    python training/export_continue.py --run training/runs/lcm-continue --out public/models/kineto-shapes \
        --student denoiser-fast-cond.onnx      # the Fast preset's conditioned student of a distill_continue.py run

  denoiser-cond.onnx  sample float32 [B, 4, F, 16, 16], timestep float32 [B], encoder_hidden_states [B, 16, 128],
                      cond_latents float32 [B, 4, F, 16, 16] (known frames, normalised like the dataset; any value
                      where the mask is 0), cond_mask float32 [B, 1, F, 16, 16] (1 on known frames) → out_sample
  vae_encoder.onnx    sample float32 [N, 3, 64, 64] in [-1, 1] → latent_sample float32 [N, 4, 16, 16], normalised
                      per channel as the dataset was, so its output is what cond_latents takes

A sampler sets the known frames of `sample` to the known latents noised to the step's level before each call, and
to the known latents at the end, as training did (diffusion.ddim_sample): the output there is not trained.
The EMA denoiser, fp16-stored weights and no build-machine metadata, as export.py writes the shipped files.
`--encoder-only` exports just the encoder from an `ae.pt` (the autoencoder is frozen, so the shipped model's encoder
is the continuation model's) and checks it against torch and, through the package's `vae_decoder.onnx` beside it,
by the round-trip PSNR of rendered world frames. The package's manifest declares it as `components.vae_encoder`.
`--ship` exports the run's denoiser into the package as its `denoiser.onnx` (the Quality preset's; the encoder is
left as shipped: the autoencoder is frozen), rewrites `components.denoiser` with its five inputs, declares the
`conditioning` masks and adds the run's steps to `trained_steps`. A Fast preset whose denoiser inherited the
package's inputs gets its own written in (it was trained without conditioning).
`--student NAME` exports just the denoiser (same inputs as denoiser-cond.onnx), checks it against torch the same
way, and makes it the package's Fast denoiser for windows with known frames (`presets.fast.known_frames_denoiser`,
its own inputs; LCM, 4 steps, guidance folded in as the preset's), declaring the `conditioning` masks
(masks.MASKS); the preset's denoiser for clips from text and `presets.quality` stay as they are.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

import masks
import models
import world
from export import export_onnx, io_spec, sha256
from train import frames_to_tensor


class NormalisedEncoder(torch.nn.Module):
    """The frozen encoder with the dataset's per-channel normalisation (the decoder's mean/std) folded in."""

    def __init__(self, enc: models.Encoder, dec: models.Decoder):
        super().__init__()
        self.enc = enc
        self.register_buffer("mean", dec.mean.clone())
        self.register_buffer("std", dec.std.clone())

    def forward(self, sample: torch.Tensor) -> torch.Tensor:
        return (self.enc(sample) - self.mean) / self.std


def export_encoder(ae: Path, out: Path) -> None:
    """vae_encoder.onnx from `ae`, checked against torch and, with the package's decoder, by round-trip PSNR."""
    enc, dec = models.load_autoencoder(ae)
    encoder = NormalisedEncoder(enc, dec)
    path = out / "vae_encoder.onnx"
    export_onnx(encoder, (torch.rand(2, 3, 64, 64) * 2 - 1,), ["sample"], ["latent_sample"],
                {"sample": {0: torch.export.Dim("batch", min=1, max=64)}}, path, "fp16")
    rng = np.random.default_rng(5)
    frames = np.concatenate([world.render(world.sample_scene(rng)) for _ in range(4)])  # 64 frames, 4 scenes
    x = frames_to_tensor(frames).numpy()
    z = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, {"sample": x})[0]
    with torch.no_grad():
        ref = encoder(torch.from_numpy(x)).numpy()
    y = ort.InferenceSession(str(out / "vae_decoder.onnx"), providers=["CPUExecutionProvider"]).run(None, {"latent_sample": z})[0]
    mse = np.mean(((np.clip(y, -1, 1) - x) / 2) ** 2)
    print(f"{path}: {path.stat().st_size} bytes, sha256 {sha256(path)}, max abs diff vs torch fp32 "
          f"{np.abs(z - ref).max():.2e}; round trip through vae_decoder.onnx on {len(frames)} world frames: "
          f"PSNR {10 * np.log10(1 / mse):.2f} dB")


DENOISER_INPUTS = ["sample", "timestep", "encoder_hidden_states", "cond_latents", "cond_mask"]


def export_denoiser(den: models.Denoiser, path: Path) -> None:
    b = torch.export.Dim("batch", min=1, max=64)
    f = torch.export.Dim("frames4", min=1, max=8)
    torch.manual_seed(0)
    x = torch.randn(2, 4, 16, 16, 16)
    mask = torch.zeros(2, 1, 16, 16, 16)
    mask[:, :, :4] = 1
    dummy = (x, torch.tensor([999.0, 500.0]), torch.randn(2, 16, 128), torch.randn(2, 4, 16, 16, 16), mask)
    export_onnx(den, dummy, DENOISER_INPUTS, ["out_sample"],
                {"sample": {0: b, 2: 4 * f}, "timestep": {0: b}, "encoder_hidden_states": {0: b},
                 "cond_latents": {0: b, 2: 4 * f}, "cond_mask": {0: b, 2: 4 * f}}, path, "fp16")


# Trained, but the app's training-free fallback does it better: keyframes → in-betweens, 4 seeds × 16 straight world
# clips, the object's path ran one way in 100 % of the fallback's clips against 68.8 % of the conditioned denoisers'
# (Fast and Quality alike), and the given keyframes met the frames made without a jump in 100 % against 72–75 %.
LEFT_TO_THE_FALLBACK = ("keyframes",)


def declare_conditioning(manifest: Path) -> None:
    """The manifest's `conditioning`: the masks its conditioned denoisers take through their inputs — those they were
    trained on (masks.MASKS) but LEFT_TO_THE_FALLBACK — which the app needs beside any denoiser with `cond_latents` /
    `cond_mask` inputs (engine/manifest-conditioning.ts); the other masks take the fallback."""
    m = json.loads(manifest.read_text())
    taken = [name for name in masks.MASKS if name not in LEFT_TO_THE_FALLBACK]
    m["conditioning"] = {"masks": taken, "continue_max_known": masks.CONTINUE_MAX}
    manifest.write_text(json.dumps(m, indent=1) + "\n")


def ship_denoiser(den_file: Path, state: dict) -> None:
    """Points the package's `components.denoiser` at `den_file` (see `--ship` above)."""
    mpath = den_file.parent / "manifest.json"
    m = json.loads(mpath.read_text())
    old_inputs = {k: m["components"]["denoiser"][k] for k in ("inputs", "outputs")}
    fast = m.get("presets", {}).get("fast", {}).get("denoiser")
    if fast is not None and "inputs" not in fast:
        fast.update(old_inputs)  # it was trained without conditioning: keep it declared as it is
    m["components"]["denoiser"] = {"file": den_file.name, **io_spec(den_file), "bytes": den_file.stat().st_size,
                                   "sha256": sha256(den_file)}
    m["trained_steps"] = int(state["seeded_from"].rsplit(" ", 1)[1]) + state["step"]  # "<file> step N"
    mpath.write_text(json.dumps(m, indent=1) + "\n")
    declare_conditioning(mpath)


def add_known_frames_student(student: Path) -> None:
    """The package's Fast preset runs `student` on windows with known frames (`presets.fast.known_frames_denoiser`,
    its own tensors) and keeps its denoiser for clips from text: the conditioned student, distilled from the blended
    teacher, scores lower than the shipped student from text alone on held-out combinations (model card)."""
    mpath = student.parent / "manifest.json"
    m = json.loads(mpath.read_text())
    m["presets"]["fast"]["known_frames_denoiser"] = {"file": student.name, **io_spec(student),
                                                    "bytes": student.stat().st_size, "sha256": sha256(student)}
    mpath.write_text(json.dumps(m, indent=1) + "\n")
    declare_conditioning(mpath)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--encoder-only", action="store_true", help="only vae_encoder.onnx, from --ae")
    ap.add_argument("--ae", type=Path, help="the autoencoder (ae.pt) for --encoder-only")
    ap.add_argument("--student", help="only the Fast preset's denoiser of a distill_continue.py run, under this file "
                                      "name in --out (a package: its manifest's presets are rewritten)")
    ap.add_argument("--ship", action="store_true", help="the run's denoiser into the package --out as denoiser.onnx")
    args = ap.parse_args()
    torch.set_num_threads(2)
    if args.encoder_only:
        export_encoder(args.ae, args.out)
        return
    state = torch.load(args.run / "denoiser.pt", weights_only=False)
    den = models.Denoiser(cond_channels=models.COND_CHANNELS)
    den.load_state_dict(state["ema_den"])  # the EMA; of a distill_continue.py run, the target network (as distill.py)
    enc, dec = models.load_autoencoder(args.run / "ae.pt")
    encoder = NormalisedEncoder(enc, dec)
    args.out.mkdir(parents=True, exist_ok=True)
    den_file = args.student or ("denoiser.onnx" if args.ship else "denoiser-cond.onnx")
    export_denoiser(den, args.out / den_file)
    if not (args.student or args.ship):
        b = torch.export.Dim("batch", min=1, max=64)
        export_onnx(encoder, (torch.rand(2, 3, 64, 64) * 2 - 1,), ["sample"], ["latent_sample"], {"sample": {0: b}},
                    args.out / "vae_encoder.onnx", "fp16")
    # Against torch on fresh inputs: 8 frames (another frame count than traced), first frame known.
    sess = lambda n: ort.InferenceSession(str(args.out / n), providers=["CPUExecutionProvider"])  # noqa: E731
    torch.manual_seed(1)
    with torch.no_grad():
        frames = torch.rand(8, 3, 64, 64) * 2 - 1
        z = encoder(frames)
        checks = []
        if not (args.student or args.ship):
            checks.append(("vae_encoder.onnx", sess("vae_encoder.onnx").run(None, {"sample": frames.numpy()})[0], z))
        cond = z[None].permute(0, 2, 1, 3, 4).repeat(2, 1, 1, 1, 1)
        m = torch.zeros(2, 1, 8, 16, 16)
        m[:, :, 0] = 1
        feed = (torch.randn(2, 4, 8, 16, 16), torch.tensor([999.0, 10.0]), torch.randn(2, 16, 128), cond, m)
        y = den(*feed)
        checks.append((den_file, sess(den_file).run(None, {k: v.numpy() for k, v in zip(DENOISER_INPUTS, feed)})[0], y))
    for name, got, ref in checks:
        p = args.out / name
        print(f"{p}: {p.stat().st_size} bytes, sha256 {sha256(p)}, max abs diff vs torch fp32 "
              f"{np.abs(got - ref.numpy()).max():.2e} (|y|max {ref.abs().max():.2f})")
    if args.ship:
        ship_denoiser(args.out / den_file, state)
        print(f"{args.out / 'manifest.json'}: components.denoiser is {den_file} (step {state['step']}), conditioning declared")
    if args.student:
        add_known_frames_student(args.out / den_file)
        print(f"{args.out / 'manifest.json'}: presets.fast runs {den_file} on windows with known frames; "
              f"conditioning declared")


if __name__ == "__main__":
    main()
