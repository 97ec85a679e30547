#!/usr/bin/env python3
"""A full-size SD-Turbo denoiser package for `npm run check:fullsize` (dev-only: needs torch, transformers, diffusers).

The UNet is UNet2DConditionModel at stabilityai/sd-turbo's published config (Stable Diffusion 2.1: 320…1280
channels, 865,910,724 parameters) with random weights from a fixed seed; the text encoder and VAE are the tiny ones of
the real-architecture fixtures, widened where the UNet needs it (text width 1024), because the dry run is about the
denoiser's size. The folder goes through the export tool like a user's download: fp16 (one 1.7 GB file) and fp32
(3.5 GB: graph plus external data, over protobuf's 2 GB limit).

  python scripts/fullsize/make-package.py /tmp/kineto-fullsize/sd-turbo-full
"""

import pathlib
import sys
import time

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from kineto_export.folder import read_folder  # noqa: E402
from kineto_export.package import Options, export_package  # noqa: E402
from real_fixtures import tiny_models  # noqa: E402

TEXT_DIM = 1024  # OpenCLIP ViT-H's width: the UNet's cross_attention_dim


def sd_turbo_unet(seed: int):
    """stabilityai/sd-turbo unet/config.json (the fields that shape the network)."""
    from diffusers import UNet2DConditionModel
    torch.manual_seed(seed)
    return UNet2DConditionModel(
        sample_size=64, in_channels=4, out_channels=4, layers_per_block=2, block_out_channels=(320, 640, 1280, 1280),
        down_block_types=("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"),
        attention_head_dim=(5, 10, 20, 20), cross_attention_dim=TEXT_DIM, use_linear_projection=True, norm_num_groups=32,
        act_fn="silu", flip_sin_to_cos=True, freq_shift=0, upcast_attention=False).eval()


def text_encoder(seed: int, vocab: int):
    from transformers import CLIPTextConfig, CLIPTextModel
    torch.manual_seed(seed)
    cfg = CLIPTextConfig(vocab_size=vocab, hidden_size=TEXT_DIM, intermediate_size=TEXT_DIM, num_hidden_layers=1,
                         num_attention_heads=16, max_position_embeddings=77, hidden_act="gelu", projection_dim=TEXT_DIM,
                         bos_token_id=vocab - 2, eos_token_id=vocab - 1, pad_token_id=0)
    return CLIPTextModel(cfg).eval()


def main() -> None:
    out = pathlib.Path(sys.argv[1]).resolve()
    work = out.parent / (out.name + ".diffusers")
    t = time.perf_counter()
    if not (work / "model_index.json").exists():
        tok = tiny_models.tokenizer()
        unet = sd_turbo_unet(11)
        print(f"UNet parameters: {sum(p.numel() for p in unet.parameters()):,}", file=sys.stderr)
        tiny_models.save_folder(work, "StableDiffusionPipeline", unet, text_encoder(12, len(tok)), tok, tiny_models.vae(13),
                                tiny_models.SCHEDULER_SD_TURBO, "cc0-1.0")
        del unet
        print(f"diffusers folder: {time.perf_counter() - t:.0f} s", file=sys.stderr)
    t = time.perf_counter()
    export_package(read_folder(work), out, Options(
        id="sd-turbo-fullsize", name="SD-Turbo full-size UNet (random weights)", license="CC0-1.0", frames=2, steps=1,
        description="SD-Turbo's UNet at its published size with random weights, for the full-size dry run.",
        log=lambda s: print(s, file=sys.stderr)))
    print(f"export: {time.perf_counter() - t:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
