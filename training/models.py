"""Kineto-Shapes networks: per-frame autoencoder, word-level text encoder, latent video denoiser.

Shapes of the exported graphs (the app's model contract, see public/models/kineto-shapes/manifest.json):
  text_encoder: input_ids int64 [B, 16]                      -> last_hidden_state float32 [B, 16, 128]
  denoiser:     sample float32 [B, 4, 16, 16, 16] (C, F, H, W), timestep float32 [B],
                encoder_hidden_states float32 [B, 16, 128]   -> out_sample float32 [B, 4, 16, 16, 16]
  vae_decoder:  latent_sample float32 [N, 4, 16, 16]         -> sample float32 [N, 3, 64, 64] in [-1, 1]
A conditioned denoiser (`Denoiser(cond_channels=COND_CHANNELS)`, training/train_continue.py) also takes
  cond_latents float32 [B, 4, 16, 16, 16] (the known frames, normalised like the dataset) and
  cond_mask float32 [B, 1, 16, 16, 16] (1 on known frames).
"""
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_TOKENS = 16
TEXT_DIM = 128
LATENT_CHANNELS = 4
LATENT_SIZE = 16  # 64×64 frames → 16×16 latents (VAE scale factor 4)
COND_CHANNELS = LATENT_CHANNELS + 1  # masked known latents + the mask (MCVD, Voleti et al. 2022)
PAD_ID, UNK_ID, BOS_ID = 0, 1, 2


# --------------------------------------------------------------------------- autoencoder
class Encoder(nn.Module):
    def __init__(self, ch: int = 32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, ch, 3, padding=1), nn.SiLU(),
            nn.Conv2d(ch, ch, 3, stride=2, padding=1), nn.SiLU(),
            nn.Conv2d(ch, 2 * ch, 3, padding=1), nn.SiLU(),
            nn.Conv2d(2 * ch, 2 * ch, 3, stride=2, padding=1), nn.SiLU(),
            nn.Conv2d(2 * ch, 2 * ch, 3, padding=1), nn.SiLU(),
            nn.Conv2d(2 * ch, LATENT_CHANNELS, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class Decoder(nn.Module):
    """Latents are normalised per channel (`mean`, `std` buffers) so the diffusion model sees unit variance;
    the decoder undoes that itself, which keeps the app's scaling_factor at 1."""

    def __init__(self, ch: int = 32):
        super().__init__()
        self.register_buffer("mean", torch.zeros(1, LATENT_CHANNELS, 1, 1))
        self.register_buffer("std", torch.ones(1, LATENT_CHANNELS, 1, 1))
        self.net = nn.Sequential(
            nn.Conv2d(LATENT_CHANNELS, 2 * ch, 3, padding=1), nn.SiLU(),
            nn.Conv2d(2 * ch, 2 * ch, 3, padding=1), nn.SiLU(),
            nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(2 * ch, ch, 3, padding=1), nn.SiLU(),
            nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(ch, ch, 3, padding=1), nn.SiLU(),
            nn.Conv2d(ch, 3, 3, padding=1),
        )

    def forward(self, z_normalised: torch.Tensor) -> torch.Tensor:
        return self.net(z_normalised * self.std + self.mean)

    def decode_raw(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)


class DecoderHD(Decoder):
    """The decoder's job at twice the frame size: the same (normalised) latents → 128×128 frames, in place of the
    decoder's last convolution (its other layers keep their places, so they load from it). Trained against the world
    drawn at 128 (`world.render(scene, scale=2)`) by train_decoder_hd.py; its `mean` and `std` are the shipped
    decoder's, so it reads exactly what the denoisers make.
    `head="subpixel"`: one convolution at 64 px gives each pixel's 2×2 block (12 channels) and a pixel shuffle lays them
    out (ESPCN, Shi et al. 2016, arXiv 1609.05158): about 14 M multiply-adds a frame where `"upsample"` (nearest 2×, then
    two convolutions at 128 px) takes 83 M, which cost Live its Smooth-motion real-time factor in the browser."""

    def __init__(self, ch: int = 32, head: str = "subpixel"):
        super().__init__(ch)
        body = list(self.net)[:-1]
        if head == "subpixel":
            self.net = nn.Sequential(*body, nn.Conv2d(ch, 3 * 4, 3, padding=1), nn.PixelShuffle(2))
        elif head == "upsample":
            self.net = nn.Sequential(*body, nn.Upsample(scale_factor=2, mode="nearest"),
                                     nn.Conv2d(ch, ch // 2, 3, padding=1), nn.SiLU(), nn.Conv2d(ch // 2, 3, 3, padding=1))
        else:
            raise ValueError(f"head must be 'subpixel' or 'upsample', not {head!r}")
        self.head = head


# --------------------------------------------------------------------------- text encoder
class TextEncoder(nn.Module):
    """Word embeddings + 2 transformer layers. Token 0 is padding (masked as keys); every sequence starts with
    BOS, which is never masked, so an empty prompt (the unconditional branch of CFG) is well defined."""

    def __init__(self, vocab_size: int, dim: int = TEXT_DIM, layers: int = 2, heads: int = 4):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, dim)
        self.pos = nn.Parameter(torch.randn(1, MAX_TOKENS, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True, norm_first=True)
        self.blocks = nn.ModuleList([layer] + [nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0,
                                                                           batch_first=True, norm_first=True)
                                               for _ in range(layers - 1)])
        self.heads = heads
        self.norm = nn.LayerNorm(dim)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        h = self.tok(input_ids) + self.pos
        # Additive mask instead of a bool key_padding_mask: exports to plain ONNX ops.
        bias = (input_ids == PAD_ID).to(h.dtype)[:, None, None, :] * -1e4
        bias = bias.expand(-1, self.heads, MAX_TOKENS, -1).reshape(-1, MAX_TOKENS, MAX_TOKENS)
        for blk in self.blocks:
            h = blk(h, src_mask=bias)
        return self.norm(h)


# --------------------------------------------------------------------------- denoiser
def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class ResBlock3d(nn.Module):
    def __init__(self, cin: int, cout: int, cond: int):
        super().__init__()
        self.n1 = nn.GroupNorm(8, cin)
        self.c1 = nn.Conv3d(cin, cout, 3, padding=1)
        self.film = nn.Linear(cond, 2 * cout)
        self.n2 = nn.GroupNorm(8, cout)
        self.c2 = nn.Conv3d(cout, cout, 3, padding=1)
        self.skip = nn.Conv3d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        h = self.c1(F.silu(self.n1(x)))
        scale, shift = self.film(c)[:, :, None, None, None].chunk(2, dim=1)
        h = self.n2(h) * (1 + scale) + shift
        h = self.c2(F.silu(h))
        return self.skip(x) + h


class Attention3d(nn.Module):
    """Pre-norm attention over all (frame, y, x) positions: optional self-attention, then cross-attention
    to the text tokens."""

    def __init__(self, ch: int, text_dim: int, self_attn: bool, heads: int = 4):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(ch, heads, batch_first=True) if self_attn else None
        self.n1 = nn.LayerNorm(ch)
        self.cross = nn.MultiheadAttention(ch, heads, kdim=text_dim, vdim=text_dim, batch_first=True)
        self.n2 = nn.LayerNorm(ch)

    def forward(self, x: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        b, c, f, h, w = x.shape
        seq = x.flatten(2).transpose(1, 2)
        if self.self_attn is not None:
            q = self.n1(seq)
            seq = seq + self.self_attn(q, q, q, need_weights=False)[0]
        q = self.n2(seq)
        seq = seq + self.cross(q, text, text, need_weights=False)[0]
        return seq.transpose(1, 2).reshape(b, c, f, h, w)


def fold(x: torch.Tensor) -> torch.Tensor:
    """Fold 2×2 pixels into channels: [B, C, F, H, W] -> [B, 4C, F, H/2, W/2] (channel c·4 + 2·dy + dx)."""
    b, c, f, h, w = x.shape
    return x.reshape(b, c, f, h // 2, 2, w // 2, 2).permute(0, 1, 4, 6, 2, 3, 5).reshape(b, 4 * c, f, h // 2, w // 2)


class Denoiser(nn.Module):
    """3D-conv UNet on latents [B, 4, 16, 16, 16]. 2×2 latent pixels are folded into channels first
    (positions cost more than parameters on CPU), then three levels halve time and space together.

    `cond_channels` > 0 adds masked conditioning (MCVD, Voleti et al. 2022; Wan2.1's image-to-video concatenates
    the same way): the known latent frames times their mask, and the mask, enter as extra input channels beside
    the noisy latents. One network then does text→video, image→video, continuation and in-betweening, chosen by
    the mask at sampling time."""

    def __init__(self, chs: tuple[int, int, int] = (64, 96, 112), cond: int = 128, cond_channels: int = 0):
        super().__init__()
        c0, c1, c2 = chs
        self.cond = cond
        self.cond_channels = cond_channels
        self.t_mlp = nn.Sequential(nn.Linear(128, cond), nn.SiLU(), nn.Linear(cond, cond))
        self.txt_mlp = nn.Sequential(nn.Linear(TEXT_DIM, cond), nn.SiLU(), nn.Linear(cond, cond))
        self.inp = nn.Conv3d(4 * (LATENT_CHANNELS + cond_channels), c0, 3, padding=1)
        # Learned positions (frame, y, x) at the attention levels: attention alone is order-blind, and knowing
        # which frame is which is what "moving left" is about. Zero-initialised so they could be added to a
        # model mid-training without changing its function.
        self.pos1 = nn.Parameter(torch.zeros(1, c1, 8, 4, 4))
        self.pos2 = nn.Parameter(torch.zeros(1, c2, 4, 2, 2))
        self.d0 = ResBlock3d(c0, c0, cond)
        self.a0 = Attention3d(c0, TEXT_DIM, self_attn=False)
        self.down0 = nn.Conv3d(c0, c1, 3, stride=2, padding=1)
        self.d1 = ResBlock3d(c1, c1, cond)
        self.a1 = Attention3d(c1, TEXT_DIM, self_attn=True)
        self.down1 = nn.Conv3d(c1, c2, 3, stride=2, padding=1)
        self.m1 = ResBlock3d(c2, c2, cond)
        self.am = Attention3d(c2, TEXT_DIM, self_attn=True)
        self.up1 = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv3d(c2, c1, 3, padding=1))
        self.u1 = ResBlock3d(2 * c1, c1, cond)
        self.au1 = Attention3d(c1, TEXT_DIM, self_attn=True)
        self.up0 = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv3d(c1, c0, 3, padding=1))
        self.u0 = ResBlock3d(2 * c0, c0, cond)
        self.au0 = Attention3d(c0, TEXT_DIM, self_attn=False)
        self.out_norm = nn.GroupNorm(8, c0)
        self.out = nn.Conv3d(c0, 4 * LATENT_CHANNELS, 3, padding=1)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, sample: torch.Tensor, timestep: torch.Tensor, encoder_hidden_states: torch.Tensor,
                cond_latents: torch.Tensor | None = None, cond_mask: torch.Tensor | None = None):
        b, c, f, h, w = sample.shape
        if self.cond_channels:
            # Sample first, so the folded channels 0..4C-1 are the unconditioned model's input.
            x = fold(torch.cat([sample, cond_latents * cond_mask, cond_mask], 1))
        else:
            x = fold(sample)
        cond = self.t_mlp(timestep_embedding(timestep, 128)) + self.txt_mlp(encoder_hidden_states[:, 0])
        text = encoder_hidden_states
        x0 = self.a0(self.d0(self.inp(x), cond), text)
        h1 = self.down0(x0)
        x1 = self.a1(self.d1(h1 + self.pos1[:, :, : h1.shape[2]], cond), text)
        h2 = self.down1(x1)
        m = self.am(self.m1(h2 + self.pos2[:, :, : h2.shape[2]], cond), text)
        u1 = self.au1(self.u1(torch.cat([self.up1(m), x1], 1), cond), text)
        u0 = self.au0(self.u0(torch.cat([self.up0(u1), x0], 1), cond), text)
        y = self.out(F.silu(self.out_norm(u0)))
        return y.reshape(b, c, 2, 2, f, h // 2, w // 2).permute(0, 1, 4, 5, 2, 6, 3).reshape(b, c, f, h, w)


def load_denoiser(den: Denoiser, state: dict) -> list[str]:
    """Load a state dict into `den`, widening an unconditioned checkpoint's input convolution with zero weights for
    the conditioning channels, so the widened model computes exactly what the checkpoint did whatever the condition.
    Returns the missing keys (parameters added to the architecture later)."""
    w = state.get("inp.weight")
    own = den.inp.weight
    if w is not None and w.shape[1] < own.shape[1]:
        state = {**state, "inp.weight": torch.cat([w, w.new_zeros(w.shape[0], own.shape[1] - w.shape[1], *w.shape[2:])], 1)}
    return den.load_state_dict(state, strict=False).missing_keys


def count_params(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())


def load_autoencoder(path) -> tuple[Encoder, Decoder]:
    """The trained encoder and decoder from a run's `ae.pt`."""
    ae = torch.load(path)
    enc, dec = Encoder(), Decoder()
    enc.load_state_dict(ae["encoder"])
    dec.load_state_dict(ae["decoder"])
    return enc, dec
