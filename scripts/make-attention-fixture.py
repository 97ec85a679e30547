"""Builds tests/fixtures/attention/: a tiny image "UNet" shaped like SD-Turbo's, plus torch reference outputs.

The UNet has three diffusers-style transformer blocks (down, mid, up), each with a self-attention `attn1` over the
spatial tokens and a cross-attention `attn2` to `encoder_hidden_states`, written the way diffusers' classic
`AttnProcessor` writes them: `to_q`/`to_k`/`to_v` Linear (no bias), head split [B, T, h·d] → [B·h, T, d] via
reshape/permute, Q·Kᵀ·scale, softmax, ·V, heads merged back, `to_out.0` Linear. Module paths match diffusers
(`down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_k`), so the dynamo exporter's name scopes do too.

Files written (weights are random, seed 0; rerun to regenerate identically on the same torch version):
  unet-attn.onnx    inputs sample [B,4,8,8] float32, timestep [1] int64, encoder_hidden_states [B,77,32] float32
                    → out_sample [B,4,8,8]; B is a dynamic axis. Opset 18, dynamo exporter, weights inline. Module
                    paths are in each node's metadata (`pkg.torch.onnx.name_scopes`); node names are `node_linear_4`.
                    The exporter's `pkg.torch.onnx.stack_trace` entries are dropped (they hold absolute paths).
  unet-attn-torchscript.onnx
                    the same model and weights from the TorchScript exporter (dynamo=False, opset 17), whose node
                    names carry the module path: `/down_blocks.0/attentions.0/transformer_blocks.0/attn1/to_k/MatMul`,
                    as in the SD-Turbo ONNX exports made with optimum.
  reference.bin     float32 little-endian arrays, laid out as reference.json says.
  reference.json    timestep, shapes and offsets of: the inputs (B = 3 frames with different samples and different
                    prompts per frame), torch's output of the plain model, and torch's output with cross-frame
                    attention (Text2Video-Zero §3.3) in every attn1, computed here independently of any ONNX rewrite:
                    K¹, V¹ are projected from frame 0's hidden states and attended to by every frame's queries.

Run: training/.venv/bin/python scripts/make-attention-fixture.py
"""

import json
import math
import pathlib

import numpy as np
import onnx
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "attention"
CH = 32  # channels = inner dim of every attention
HEADS = 2
CTX = 32  # encoder_hidden_states width
TOKENS = 77


class Attention(nn.Module):
    """diffusers `Attention` + classic `AttnProcessor`, with an optional cross-frame mode for the reference."""

    def __init__(self, query_dim: int, context_dim: int):
        super().__init__()
        self.heads = HEADS
        self.scale = (query_dim // HEADS) ** -0.5
        self.to_q = nn.Linear(query_dim, query_dim, bias=False)
        self.to_k = nn.Linear(context_dim, query_dim, bias=False)
        self.to_v = nn.Linear(context_dim, query_dim, bias=False)
        self.to_out = nn.ModuleList([nn.Linear(query_dim, query_dim), nn.Dropout(0.0)])
        self.cross_frame = False  # reference only; never set during export

    def head_to_batch_dim(self, x: torch.Tensor) -> torch.Tensor:
        b, t, c = x.shape
        return x.reshape(b, t, self.heads, c // self.heads).permute(0, 2, 1, 3).reshape(b * self.heads, t, c // self.heads)

    def batch_to_head_dim(self, x: torch.Tensor) -> torch.Tensor:
        bh, t, d = x.shape
        return x.reshape(bh // self.heads, self.heads, t, d).permute(0, 2, 1, 3).reshape(bh // self.heads, t, d * self.heads)

    def forward(self, hidden: torch.Tensor, context: torch.Tensor | None = None) -> torch.Tensor:
        ctx = hidden if context is None else context
        q = self.head_to_batch_dim(self.to_q(hidden))
        if self.cross_frame:
            # Cross-Frame-Attn(Qᵏ, K¹, V¹): project frame 0 only, then let every frame attend to it.
            k1 = self.to_k(ctx[:1])
            v1 = self.to_v(ctx[:1])
            b = hidden.shape[0]
            k = self.head_to_batch_dim(torch.cat([k1] * b, 0))
            v = self.head_to_batch_dim(torch.cat([v1] * b, 0))
        else:
            k = self.head_to_batch_dim(self.to_k(ctx))
            v = self.head_to_batch_dim(self.to_v(ctx))
        probs = torch.softmax(torch.bmm(q, k.transpose(-1, -2)) * self.scale, dim=-1)
        out = self.batch_to_head_dim(torch.bmm(probs, v))
        return self.to_out[1](self.to_out[0](out))


class FeedForward(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, dim * 2), nn.GELU(), nn.Linear(dim * 2, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class BasicTransformerBlock(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn1 = Attention(dim, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.attn2 = Attention(dim, CTX)
        self.norm3 = nn.LayerNorm(dim)
        self.ff = FeedForward(dim)

    def forward(self, x: torch.Tensor, ctx: torch.Tensor) -> torch.Tensor:
        x = self.attn1(self.norm1(x)) + x
        x = self.attn2(self.norm2(x), ctx) + x
        return self.ff(self.norm3(x)) + x


class Transformer2DModel(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.norm = nn.GroupNorm(8, dim)
        self.proj_in = nn.Linear(dim, dim)
        self.transformer_blocks = nn.ModuleList([BasicTransformerBlock(dim)])
        self.proj_out = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor, ctx: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        t = self.norm(x).permute(0, 2, 3, 1).reshape(b, h * w, c)
        t = self.proj_in(t)
        for blk in self.transformer_blocks:
            t = blk(t, ctx)
        t = self.proj_out(t).reshape(b, h, w, c).permute(0, 3, 1, 2)
        return t + x


class Block(nn.Module):
    """A diffusers-style block holding `attentions`, plus a resampling conv."""

    def __init__(self, resample: nn.Module | None):
        super().__init__()
        self.attentions = nn.ModuleList([Transformer2DModel(CH)])
        self.resample = resample

    def forward(self, x: torch.Tensor, ctx: torch.Tensor) -> torch.Tensor:
        x = self.attentions[0](x, ctx)
        return x if self.resample is None else self.resample(x)


class TinyUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.time_embedding = nn.Sequential(nn.Linear(CH, CH), nn.SiLU(), nn.Linear(CH, CH))
        self.conv_in = nn.Conv2d(4, CH, 3, padding=1)
        self.down_blocks = nn.ModuleList([Block(nn.Conv2d(CH, CH, 3, stride=2, padding=1))])
        self.mid_block = Block(None)
        self.up_blocks = nn.ModuleList([Block(None)])
        self.upsample = nn.Upsample(scale_factor=2.0, mode="nearest")
        self.conv_out = nn.Conv2d(CH, 4, 3, padding=1)

    def forward(self, sample: torch.Tensor, timestep: torch.Tensor, encoder_hidden_states: torch.Tensor) -> torch.Tensor:
        half = CH // 2
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
        arg = timestep.to(torch.float32)[:, None] * freqs[None, :]
        temb = self.time_embedding(torch.cat([torch.cos(arg), torch.sin(arg)], dim=-1))  # [1, CH]
        x = self.conv_in(sample) + temb[:, :, None, None]
        skip = x
        x = self.down_blocks[0](x, encoder_hidden_states)
        x = self.mid_block(x, encoder_hidden_states)
        x = self.up_blocks[0](self.upsample(x) + skip, encoder_hidden_states)
        return self.conv_out(x)


def set_cross_frame(model: TinyUNet, on: bool) -> None:
    for name, m in model.named_modules():
        if isinstance(m, Attention) and name.endswith("attn1"):
            m.cross_frame = on


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    model = TinyUNet().eval()
    b = torch.export.Dim("batch", min=1, max=64)
    example = (torch.randn(2, 4, 8, 8), torch.tensor([500], dtype=torch.int64), torch.randn(2, TOKENS, CTX))
    onnx_path = OUT / "unet-attn.onnx"
    torch.onnx.export(
        model,
        example,
        str(onnx_path),
        input_names=["sample", "timestep", "encoder_hidden_states"],
        output_names=["out_sample"],
        dynamic_shapes={"sample": {0: b}, "timestep": None, "encoder_hidden_states": {0: b}},
        dynamo=True,
        external_data=False,
        opset_version=18,
    )
    exported = onnx.load(str(onnx_path))
    for node in exported.graph.node:
        keep = [p for p in node.metadata_props if p.key != "pkg.torch.onnx.stack_trace"]
        del node.metadata_props[:]
        node.metadata_props.extend(keep)
    onnx.save(exported, str(onnx_path))

    ts_path = OUT / "unet-attn-torchscript.onnx"
    torch.onnx.export(
        model,
        example,
        str(ts_path),
        input_names=["sample", "timestep", "encoder_hidden_states"],
        output_names=["out_sample"],
        dynamic_axes={"sample": {0: "batch"}, "encoder_hidden_states": {0: "batch"}, "out_sample": {0: "batch"}},
        dynamo=False,
        opset_version=17,
    )

    # Reference case: 3 frames, each with its own sample and its own prompt embedding.
    frames = 3
    g = torch.Generator().manual_seed(1)
    sample = torch.randn(frames, 4, 8, 8, generator=g)
    ehs = torch.randn(frames, TOKENS, CTX, generator=g)
    timestep = torch.tensor([321], dtype=torch.int64)
    with torch.no_grad():
        plain = model(sample, timestep, ehs)
        set_cross_frame(model, True)
        cross = model(sample, timestep, ehs)
        set_cross_frame(model, False)

    arrays = {"sample": sample, "encoder_hidden_states": ehs, "plain": plain, "cross_frame": cross}
    layout = {}
    chunks = []
    offset = 0
    for name, t in arrays.items():
        a = t.detach().numpy().astype("<f4")
        layout[name] = {"shape": list(a.shape), "offset_floats": offset}
        offset += a.size
        chunks.append(a.ravel())
    (OUT / "reference.bin").write_bytes(np.concatenate(chunks).tobytes())
    meta = {"timestep": int(timestep.item()), "frames": frames, "arrays": layout}
    (OUT / "reference.json").write_text(json.dumps(meta, indent=1) + "\n")
    for p in (onnx_path, ts_path):
        print(f"wrote {p} ({p.stat().st_size} bytes)")
    print("max |cross - plain| per frame:", [float((cross[i] - plain[i]).abs().max()) for i in range(frames)])


if __name__ == "__main__":
    main()
