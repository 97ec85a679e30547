#!/usr/bin/env python3
"""Makes a Kineto model package from a diffusers-format folder (unet/, text_encoder/, tokenizer/, vae/, scheduler/).

  python scripts/export-model.py ~/models/sd-turbo ~/models/sd-turbo-kineto --id sd-turbo --name "SD-Turbo"

Then open the new folder in Kineto with "Open a model folder…". Needs torch, diffusers, transformers, onnx and
onnxruntime (pip). Families: UNet2DConditionModel (SD-Turbo-like → Text2Video-Zero clips) and UNet3DConditionModel
(ModelScope-like → text-to-video). Writes fp16 (WebGPU) and fp32 (any device) weights unless --precision says
otherwise; components over 2 GB get an external-data file. Exit code 2 and one line naming the file and field when
the folder cannot be exported; nothing is written then.
"""

import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from kineto_export.errors import ExportError  # noqa: E402
from kineto_export.folder import read_folder  # noqa: E402
from kineto_export.package import Options, export_package  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("source", type=pathlib.Path, help="diffusers-format folder")
    p.add_argument("out", type=pathlib.Path, help="new folder for the Kineto package (must not exist)")
    p.add_argument("--id", required=True, help="model id, e.g. sd-turbo")
    p.add_argument("--name", required=True, help="name shown to users")
    p.add_argument("--description", default="")
    p.add_argument("--precision", default="fp16,fp32", help="fp16, fp32 or fp16,fp32 (default)")
    p.add_argument("--fuse-attention", action="store_true",
                   help="run onnxruntime.transformers.optimizer (model type unet) on the UNet: fused MultiHeadAttention")
    p.add_argument("--frames", type=int, help="default and maximum frames (family default: 8 SD-Turbo, 16 ModelScope)")
    p.add_argument("--fps", type=int)
    p.add_argument("--steps", type=int)
    p.add_argument("--guidance", type=float)
    p.add_argument("--motion", default="1,0", help="Text2Video-Zero motion per frame in latent pixels: dx,dy")
    p.add_argument("--license", help="SPDX id or LicenseRef-…; default: the model card's (README.md) license")
    p.add_argument("--license-url")
    p.add_argument("--license-notice", help="a sentence shown before download, e.g. a non-commercial restriction")
    a = p.parse_args(argv)
    try:
        dx, dy = (float(v) for v in a.motion.split(","))
    except ValueError:
        p.error(f"--motion must be two numbers dx,dy (got {a.motion!r})")
    opts = Options(id=a.id, name=a.name, description=a.description, precisions=tuple(x for x in a.precision.split(",") if x),
                   fuse_attention=a.fuse_attention, frames=a.frames, fps=a.fps, steps=a.steps, guidance=a.guidance,
                   motion=(dx, dy), license=a.license, license_url=a.license_url, license_notice=a.license_notice,
                   log=lambda s: print(s, file=sys.stderr))
    try:
        import torch
        torch.set_num_threads(max(1, torch.get_num_threads()))
        src = read_folder(a.source)
        print(f"{a.source}: {src.family.unet_class} → pipeline {src.family.pipeline}", file=sys.stderr)
        export_package(src, a.out, opts)
    except ExportError as e:
        print(f"export-model: {e}", file=sys.stderr)
        return 2
    print(a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
