"""Builds tests/fixtures/conditioned/: Kineto-Shapes 2's conditioned denoiser at a tiny width, random weights.

The architecture is training/models.py's `Denoiser(cond_channels=COND_CHANNELS)` — the network train_continue.py
trains — with 8 channels at every level and a 32-wide conditioning vector instead of (64, 96, 112) and 128, so the
file is small while the graph has the real inputs, shapes and ops. Every weight is random (seed 0), the output
convolution and the conditioning channels' input weights included (training starts them at zero), so the output
depends on `cond_latents` and `cond_mask`: a test can tell whether the known latents reached the denoiser.

Files written:
  denoiser-cond.onnx  sample [B, 4, F, 16, 16], timestep [B], encoder_hidden_states [B, 16, 128],
                      cond_latents [B, 4, F, 16, 16], cond_mask [B, 1, F, 16, 16] → out_sample (F = 4, 8, 12, 16),
                      exported as training/export.py exports the shipped files (opset 18, fp16-stored weights, no
                      build-machine metadata), less the exporter's per-node metadata
  manifest.json       the shipped Kineto-Shapes manifest with this denoiser, its conditioning inputs and a
                      `conditioning` block (every mask of training/masks.py, continue up to 8 known frames), and no
                      presets. Its other files are the shipped package's: tests read them from
                      public/models/kineto-shapes/.

Run: training/.venv/bin/python scripts/make-conditioned-fixture.py
"""
from __future__ import annotations

import hashlib
import json
import pathlib
import sys

import onnx
import torch

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "training"))
import models  # noqa: E402
from export import export_onnx  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "conditioned"
SHIPPED = ROOT / "public" / "models" / "kineto-shapes" / "manifest.json"


def main() -> None:
    torch.manual_seed(0)
    torch.set_num_threads(1)
    den = models.Denoiser(chs=(8, 8, 8), cond=32, cond_channels=models.COND_CHANNELS)
    with torch.no_grad():
        for p in den.parameters():
            p.copy_(torch.randn_like(p) * (0.3 if p.dim() > 1 else 0.05))
    OUT.mkdir(parents=True, exist_ok=True)
    b = torch.export.Dim("batch", min=1, max=64)
    f = torch.export.Dim("frames4", min=1, max=4)
    mask = torch.zeros(2, 1, 16, 16, 16)
    mask[:, :, :4] = 1
    dummy = (torch.randn(2, 4, 16, 16, 16), torch.tensor([999.0, 500.0]), torch.randn(2, 16, 128), torch.randn(2, 4, 16, 16, 16), mask)
    names = ["sample", "timestep", "encoder_hidden_states", "cond_latents", "cond_mask"]
    path = OUT / "denoiser-cond.onnx"
    export_onnx(den, dummy, names, ["out_sample"],
                {"sample": {0: b, 2: 4 * f}, "timestep": {0: b}, "encoder_hidden_states": {0: b},
                 "cond_latents": {0: b, 2: 4 * f}, "cond_mask": {0: b, 2: 4 * f}}, path, "fp16")
    # The exporter's per-node module scopes are most of a graph this small; a fixture does not need them.
    graph = onnx.load(str(path))
    for node in graph.graph.node:
        del node.metadata_props[:]
    onnx.save(graph, str(path))
    data = path.read_bytes()
    m = json.loads(SHIPPED.read_text())
    m.pop("presets", None)
    m["id"], m["name"] = "kineto-shapes-conditioned-fixture", "Kineto-Shapes 2 (test fixture: tiny conditioned denoiser, random weights)"
    den_spec = m["components"]["denoiser"]
    latent = lambda c: {"dtype": "float32", "shape": ["batch", c, "4*frames4", 16, 16]}  # noqa: E731
    den_spec["inputs"] += [{"name": "cond_latents", **latent(4)}, {"name": "cond_mask", **latent(1)}]
    den_spec.update(file=path.name, bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
    m["conditioning"] = {"masks": ["text_to_video", "image_to_video", "continue", "keyframes", "double_frame_rate"],
                         "continue_max_known": 8}
    (OUT / "manifest.json").write_text(json.dumps(m, indent=1) + "\n")
    print(f"{path}: {len(data)} bytes, {models.count_params(den)} parameters")


if __name__ == "__main__":
    main()
