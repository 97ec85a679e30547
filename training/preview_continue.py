"""Preview sheets of a train_continue.py run: each task on a clip the run never trained on.

    python training/preview_continue.py --run training/runs/continue      # → <run>/cond-preview-<step>.png

Rows come in pairs, the real clip above, the model's below, all 16 frames; known frames carry a green bar on top.
Tasks: continue (4 known frames, across a change of motion where the clip has one), keyframes (first + last),
image→video (first frame), double frame rate (every other frame), text→video (no frame). Reference DDIM sampler,
20 steps, guidance 3 on the text, seed 0.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch

import masks
import models
import world
from diffusion import ddim_sample
from pngio import write_png
from tokenizer import Tokenizer
from train import frames_to_tensor

TASKS = [("continue", 4), ("continue", 4), ("keyframes", 0), ("image_to_video", 0), ("double_frame_rate", 0),
         ("text_to_video", 0)]


def examples(n: int, seed: int = 7) -> list[tuple[world.LongScene, int, str]]:
    """n (long scene, window start, task) from a seed the dataset does not use; `continue` windows straddle a
    change of motion at their fifth frame when the scene has one."""
    rng = np.random.default_rng(seed)
    out = []
    for name, k in TASKS[:n]:
        while True:
            s = world.sample_long_scene(rng, 48)
            _, vis = world.render_long(s)
            starts = [g.start - k for g in s.segments[1:] if g.start - k + world.FRAMES <= s.frames] if k else []
            a = starts[0] if starts else s.segments[0].start
            ends = [g.start for g in s.segments[1:]] + [s.frames]
            if vis[a:a + world.FRAMES].sum() >= 12 and (starts or ends[0] >= world.FRAMES):
                out.append((s, a, name))
                break
    return out


def preview(run: Path, step: int, seed: int = 0, weights: str = "ema_den") -> Path:
    state = torch.load(run / "denoiser.pt", weights_only=False)
    tok = Tokenizer(state["vocab"])
    te = models.TextEncoder(tok.vocab_size)
    te.load_state_dict(state["te"])
    den = models.Denoiser(cond_channels=models.COND_CHANNELS)
    den.load_state_dict(state[weights])
    enc, dec = models.load_autoencoder(run / "ae.pt")
    te.eval(); den.eval()
    rows = []
    with torch.no_grad():
        cases = examples(len(TASKS))
        truth, lat, known, prompts = [], [], [], []
        for s, a, name in cases:
            clip = world.render_long(s)[0][a:a + world.FRAMES]
            m = masks.known_frames(name, 4 if name == "continue" else 0)
            truth.append(clip)
            lat.append((enc(frames_to_tensor(clip)) - dec.mean) / dec.std)
            known.append(m)
            free = int(np.argmin(m)) if not m.all() else 0
            prompts.append(world.canonical_prompt(s.scene_at(a + free)))
        cond = torch.stack(lat).permute(0, 2, 1, 3, 4)
        mask = torch.from_numpy(np.stack(known)).float()[:, None, :, None, None].expand(-1, 1, -1, 16, 16)
        z = ddim_sample(den, te, tok, prompts, steps=20, guidance=3.0, seed=seed, cond_latents=cond, cond_mask=mask)
        frames = dec(z.permute(0, 2, 1, 3, 4).reshape(-1, 4, 16, 16)).clamp(-1, 1)
    made = ((frames.permute(0, 2, 3, 1).numpy() + 1) * 127.5).round().astype(np.uint8).reshape(len(cases), 16, 64, 64, 3)
    for clip, out, m in zip(truth, made, known):
        for row in (clip.copy(), out.copy()):
            row[m, :2] = (0, 255, 0)
            rows.append(np.concatenate(list(row), axis=1))
        rows.append(np.full((4, rows[-1].shape[1], 3), 128, np.uint8))
    path = run / f"cond-preview-{step:06d}{'-live' if weights == 'den' else ''}.png"
    write_png(str(path), np.concatenate(rows))
    path.with_suffix(".txt").write_text(
        "".join(f"{name}: {p}\n" for (_, _, name), p in zip(cases, prompts)))
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", type=Path, default=Path("training/runs/continue"))
    ap.add_argument("--live", action="store_true", help="the live weights, not the EMA (which lags ~1 000 steps)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    step = torch.load(args.run / "denoiser.pt", weights_only=False)["step"]
    print(preview(args.run, step, weights="den" if args.live else "ema_den"))


if __name__ == "__main__":
    main()
