#!/usr/bin/env python3
"""Builds tests/fixtures/hub-real/ (dev-only: needs torch, transformers and diffusers; CI uses the committed files).

1. The two families' real classes at published configs, tiny widths, fixed seeds → diffusers folders in a temp dir
   (real_fixtures/tiny_models.py).
2. Kineto packages from those folders with the export tool (kineto_export): sd-turbo/ and modelscope/ in fp16 and
   fp32 (modelscope/ fp32 only, to keep the repository small), sd-turbo-fused/ in fp32 with onnxruntime's transformer optimiser (model type unet: fused attention).
3. Reference frames from diffusers' own pipelines on the same folders, from Kineto's seeded noise
   (real_fixtures/references.py) → reference.json + reference.bin (uint8 RGB frames).

Run: training/.venv/bin/python scripts/make-real-fixtures.py   (about 3 minutes on one core; the venv of
training/requirements.txt plus `training/.venv/bin/pip install diffusers transformers`)
"""

import json
import pathlib
import shutil
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from kineto_export.folder import read_folder  # noqa: E402
from kineto_export.package import Options, export_package  # noqa: E402
from real_fixtures import references, tiny_models  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "hub-real"
PROMPT = "a red cat running on the beach"

CASES = {
    # one SD-Turbo frame: StableDiffusionPipeline, the model's own Euler scheduler
    "sd_frame": {"model": "sd-turbo", "prompt": PROMPT, "seed": 7, "steps": 2, "guidance_scale": 1.0, "frames": 1,
                 "scheduler": "euler"},
    # SD-Turbo clip: TextToVideoZeroPipeline (DDIM, cross-frame attention)
    "t2vz": {"model": "sd-turbo", "prompt": PROMPT, "seed": 3, "steps": 5, "guidance_scale": 3.0, "frames": 4,
             "scheduler": "ddim", "warp_after_steps": 2, "renoise_to_step": 1, "motion": {"dx": -1, "dy": 0}, "fill": "reflect"},
    # ModelScope clip: TextToVideoSDPipeline
    "modelscope": {"model": "modelscope", "prompt": "a dog surfing a wave", "seed": 5, "steps": 3, "guidance_scale": 9.0,
                   "frames": 4, "scheduler": "ddim"},
}


def export(src: pathlib.Path, name: str, **kw) -> None:
    dest = OUT / name
    shutil.rmtree(dest, ignore_errors=True)
    opts = Options(id=f"{name}-tiny", name=f"{name} (tiny real architecture, random weights)",
                   description="Published architecture at tiny widths with random weights, exported by scripts/export-model.py; "
                               "for tests against diffusers' pipelines (tests/fixtures/hub-real/reference.json).",
                   license="CC0-1.0", frames=4, **kw)
    export_package(read_folder(src), dest, opts)


def main() -> None:
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folders = tiny_models.make_all(pathlib.Path(tmp))
        export(folders["sd-turbo"], "sd-turbo", steps=2)
        export(folders["sd-turbo"], "sd-turbo-fused", steps=2, precisions=("fp32",), fuse_attention=True)
        export(folders["modelscope"], "modelscope", steps=3, precisions=("fp32",))  # fp16 too would double 3.7 MB
        frames = {
            "sd_frame": references.sd_frame(folders["sd-turbo"], CASES["sd_frame"]),
            "t2vz": references.t2v_zero(folders["sd-turbo"], CASES["t2vz"], exact_ratio=True),
            "t2vz_diffusers_ratio": references.t2v_zero(folders["sd-turbo"], CASES["t2vz"], exact_ratio=False),
            "modelscope": references.modelscope(folders["modelscope"], CASES["modelscope"]),
        }
    blob = bytearray()
    index = {}
    for name, f in frames.items():
        case = CASES["t2vz" if name.startswith("t2vz") else name]
        index[name] = {**case, "shape": list(f.shape), "offset": len(blob)}
        blob += np.ascontiguousarray(f).tobytes()
    (OUT / "reference.bin").write_bytes(bytes(blob))
    (OUT / "reference.json").write_text(json.dumps({"layout": "uint8 [frames, height, width, 3]", "cases": index}, indent=1) + "\n")
    d = frames["t2vz"].astype(int) - frames["t2vz_diffusers_ratio"].astype(int)
    print(f"t2vz exact vs diffusers ratio: max |Δ| {np.abs(d).max()}, p99 {np.percentile(np.abs(d), 99)} (of 255)")


if __name__ == "__main__":
    main()
