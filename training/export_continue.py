"""ONNX export of a train_continue.py run: the conditioned denoiser and the VAE encoder, checked against torch.

    python training/export_continue.py --run training/runs/continue --out training/runs/continue/onnx
    python training/export_continue.py --encoder-only --ae training/runs/continue/ae.pt --out public/models/kineto-shapes

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
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

import models
import world
from export import export_onnx, sha256
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--encoder-only", action="store_true", help="only vae_encoder.onnx, from --ae")
    ap.add_argument("--ae", type=Path, help="the autoencoder (ae.pt) for --encoder-only")
    args = ap.parse_args()
    torch.set_num_threads(2)
    if args.encoder_only:
        export_encoder(args.ae, args.out)
        return
    state = torch.load(args.run / "denoiser.pt", weights_only=False)
    den = models.Denoiser(cond_channels=models.COND_CHANNELS)
    den.load_state_dict(state["ema_den"])
    enc, dec = models.load_autoencoder(args.run / "ae.pt")
    encoder = NormalisedEncoder(enc, dec)
    args.out.mkdir(parents=True, exist_ok=True)
    b = torch.export.Dim("batch", min=1, max=64)
    f = torch.export.Dim("frames4", min=1, max=8)
    torch.manual_seed(0)
    x = torch.randn(2, 4, 16, 16, 16)
    mask = torch.zeros(2, 1, 16, 16, 16)
    mask[:, :, :4] = 1
    dummy = (x, torch.tensor([999.0, 500.0]), torch.randn(2, 16, 128), torch.randn(2, 4, 16, 16, 16), mask)
    names = ["sample", "timestep", "encoder_hidden_states", "cond_latents", "cond_mask"]
    export_onnx(den, dummy, names, ["out_sample"],
                {"sample": {0: b, 2: 4 * f}, "timestep": {0: b}, "encoder_hidden_states": {0: b},
                 "cond_latents": {0: b, 2: 4 * f}, "cond_mask": {0: b, 2: 4 * f}},
                args.out / "denoiser-cond.onnx", "fp16")
    export_onnx(encoder, (torch.rand(2, 3, 64, 64) * 2 - 1,), ["sample"], ["latent_sample"], {"sample": {0: b}},
                args.out / "vae_encoder.onnx", "fp16")
    # Against torch on fresh inputs: 8 frames (another frame count than traced), first frame known.
    sess = lambda n: ort.InferenceSession(str(args.out / n), providers=["CPUExecutionProvider"])  # noqa: E731
    torch.manual_seed(1)
    with torch.no_grad():
        frames = torch.rand(8, 3, 64, 64) * 2 - 1
        z = encoder(frames)
        got_z = sess("vae_encoder.onnx").run(None, {"sample": frames.numpy()})[0]
        cond = z[None].permute(0, 2, 1, 3, 4).repeat(2, 1, 1, 1, 1)
        m = torch.zeros(2, 1, 8, 16, 16)
        m[:, :, 0] = 1
        feed = (torch.randn(2, 4, 8, 16, 16), torch.tensor([999.0, 10.0]), torch.randn(2, 16, 128), cond, m)
        y = den(*feed)
        got_y = sess("denoiser-cond.onnx").run(None, {k: v.numpy() for k, v in zip(names, feed)})[0]
    for name, got, ref in (("vae_encoder.onnx", got_z, z), ("denoiser-cond.onnx", got_y, y)):
        p = args.out / name
        print(f"{p}: {p.stat().st_size} bytes, sha256 {sha256(p)}, max abs diff vs torch fp32 "
              f"{np.abs(got - ref.numpy()).max():.2e} (|y|max {ref.abs().max():.2f})")


if __name__ == "__main__":
    main()
