"""Weight-space ensembling of a train_continue.py run with the model it started from (WiSE-FT, Wortsman et al. 2022,
*Robust fine-tuning of zero-shot models*): θ = α·θ_start + (1 − α)·θ_run, EMA weights, α = 0.5 by default.

Why: fine-tuning on the 640 long clips taught continuation but cost text→video on held-out combinations (step 4 200,
Quality, 2 seeds: shape 68.8 %, direction 81.3 %, coherence 84.4 % against 89.1 / 100 / 100 % before). The starting
model's conditioning weights are zero (models.load_denoiser widens it), so the blend keeps the conditioning inputs at
half strength and the start's text→video where the run drifted; at α = 0.5 held-out came back to 100 / 81.3 / 93.8 /
96.9 % with the continuity split as the run's (training/README.md). WiSE-FT found the same for fine-tuned CLIP: the
interpolation keeps most of the fine-tuned gains and the start's robustness off the fine-tuning distribution.

    python training/blend_original.py --run training/runs/continue --out training/runs/continue-blend
    python training/export_continue.py --run training/runs/continue-blend --out public/models/kineto-shapes --ship

Writes <out>/denoiser.pt (the blend as both `den` and `ema_den`, the run's step, text encoder and vocabulary) and a
copy of <run>/ae.pt: a folder export_continue.py and distill_continue.py (`--teacher`) read as they read a run.
"""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import torch

import models
from train import save_atomic


def blend(run_state: dict, start_state: dict, alpha: float) -> dict:
    start = models.Denoiser(cond_channels=models.COND_CHANNELS)
    models.load_denoiser(start, start_state)
    s = start.state_dict()
    return {k: (alpha * s[k].float() + (1 - alpha) * v.float()).to(v.dtype) if v.is_floating_point() else v
            for k, v in run_state.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", type=Path, required=True, help="a train_continue.py run folder")
    ap.add_argument("--start", type=Path, default=Path("training/checkpoints/kineto-shapes-21500.pt"),
                    help="the checkpoint the run was seeded from (its EMA denoiser)")
    ap.add_argument("--alpha", type=float, default=0.5, help="the start's share")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    state = torch.load(args.run / "denoiser.pt", weights_only=False)
    start = torch.load(args.start, weights_only=False)
    b = blend(state["ema_den"], start["ema_den"], args.alpha)
    args.out.mkdir(parents=True, exist_ok=True)
    save_atomic({**state, "den": b, "ema_den": b, "opt": None,
                 "blend": f"{args.alpha} × {args.start.name} step {start['step']} + {1 - args.alpha} × run step {state['step']}"},
                args.out / "denoiser.pt")
    shutil.copyfile(args.run / "ae.pt", args.out / "ae.pt")
    print(f"{args.out / 'denoiser.pt'}: {args.alpha} × {args.start.name} + {1 - args.alpha} × step {state['step']}")


if __name__ == "__main__":
    main()
