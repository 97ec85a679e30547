"""Builds tests/fixtures/hub/: tiny random-weight stand-ins for the two real Hub model families, in Kineto's contract.

Each family folder is a complete model package (manifest.json + tokenizer.json + ONNX components) whose ONNX files
have the real exports' input/output names, dtypes, ranks and symbolic dimension names, at toy sizes:

  sd-turbo/         the ORT-web export of SD-Turbo (schmuell/sd-turbo-ort-web, used by onnxruntime-inference-examples
                    js/sd-turbo): text_encoder/model.onnx  input_ids int32 [batch_size, sequence_length]
                                                          → last_hidden_state float32 [batch_size, sequence_length, D]
                                  unet/model.onnx         sample float32 [batch_size, num_channels, height, width],
                                                          timestep int64 [1], encoder_hidden_states float32
                                                          [batch_size, sequence_length, D] → out_sample
                                  vae_decoder/model.onnx  latent_sample [batch_size, num_channels_latent, height_latent,
                                                          width_latent] → sample [batch_size, 3, height, width]
                    The manifest pins the free dimensions the way the ORT-web demo does (batch_size 1, 77 tokens,
                    64×64 latents there, 8×8 here), so the engine takes its batch-1 paths.
                    The UNet has three diffusers-style transformer blocks (down_blocks.0, mid_block, up_blocks.0) with
                    self-attention attn1 and cross-attention attn2 written as an SDPA export writes them; see
                    sd-turbo/ATTENTION.md. Two variants of the same weights, for tests:
                      unet/model-zero.onnx  conv_out weights and bias zero: out_sample is exactly 0;
                      unet/model-cfa.onnx   every attn1 takes K and V from batch item 0 (Text2Video-Zero §3.3
                                            cross-frame attention), written here by hand as a reference.
  modelscope-t2v/   ModelScope text-to-video-ms-1.7b as a diffusers-style ONNX export: UNet3D sample float32
                    [batch, 4, num_frames, height, width], timestep int64 [batch], encoder_hidden_states float32
                    [batch, 77, D] → out_sample; OpenCLIP text encoder input_ids int64 [batch, 77] →
                    last_hidden_state; SD-style VAE decoder whose batch is fixed at 1 (so the engine must decode one
                    frame per call); vae_decoder/model-fp16io.onnx is the same decoder with float16 input and output.
  */tokenizer.json  a CLIP-style byte-level BPE tokenizer.json (CLIP's normalizer, pre-tokenizer, BPE with the
                    "</w>" end-of-word suffix, RobertaProcessing with <|startoftext|>/<|endoftext|>) over a tiny vocab.

Weights are random (numpy, fixed seeds), so rerunning writes byte-identical files; manifest sizes and sha256 are
computed from the files. Run: training/.venv/bin/python scripts/make-hub-fixtures.py
"""

import hashlib
import json
import pathlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "hub"
OPSET = 18
IR_VERSION = 9  # onnxruntime 1.30 (node and web) loads IR 9 with opset 18

TEXT_DIM = 32  # stands in for OpenCLIP ViT-H's 1024
TOKENS = 77
LATENT = 8  # latent side; the VAE upsamples ×8


# ---------------------------------------------------------------------------------------------------------------
# A small graph builder on onnx.helper: unique node names in diffusers-export style, initializers from numpy.


class Graph:
    def __init__(self, seed: int):
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self.rng = np.random.RandomState(seed)
        self.counts: dict[str, int] = {}

    def name(self, scope: str, op: str) -> str:
        """`/scope/Op`, then `/scope/Op_1`, … as the TorchScript exporter numbers repeated ops in one scope."""
        key = f"{scope}/{op}"
        n = self.counts.get(key, 0)
        self.counts[key] = n + 1
        return key if n == 0 else f"{key}_{n}"

    def op(self, op: str, inputs: list[str], scope: str, out: str | None = None, **attrs) -> str:
        node_name = self.name(scope, op)
        output = out or f"{node_name}_output_0"
        self.nodes.append(helper.make_node(op, inputs, [output], name=node_name, **attrs))
        return output

    def const(self, name: str, value: np.ndarray) -> str:
        self.inits.append(numpy_helper.from_array(value, name))
        return name

    def weight(self, name: str, shape: tuple[int, ...], scale: float) -> str:
        name = name.lstrip("/").replace("/", ".")  # module path as a state-dict key: down_blocks.0.….to_q.weight
        return self.const(name, (self.rng.randn(*shape) * scale).astype(np.float32))

    def ints(self, name: str, values: list[int]) -> str:
        name = name.lstrip("/").replace("/", ".")
        return self.const(name, np.array(values, dtype=np.int64))

    def model(self, inputs, outputs, doc: str) -> onnx.ModelProto:
        graph = helper.make_graph(self.nodes, "main_graph", inputs, outputs, self.inits)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="kineto-fixtures")
        m.ir_version = IR_VERSION
        m.doc_string = doc
        onnx.checker.check_model(m, full_check=True)
        return m


def save(model: onnx.ModelProto, path: pathlib.Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(model.SerializeToString())


def tensor(name: str, dtype: int, dims: list) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, dtype, dims)


# ---------------------------------------------------------------------------------------------------------------
# CLIP-style tokenizer.json


def bytes_to_unicode() -> list[tuple[int, str]]:
    """GPT-2/CLIP's reversible byte → printable character map, in its construction order."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars = printable[:]
    n = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + n)
            n += 1
    return [(b, chr(c)) for b, c in zip(printable, chars)]


# Words that get whole-word tokens: enough to write test prompts in a few tokens each.
MERGES = [
    ("r", "e"), ("re", "d</w>"),                         # red</w>
    ("c", "a"), ("ca", "t</w>"),                         # cat</w>
    ("d", "o"), ("do", "g</w>"),                         # dog</w>
    ("t", "h"), ("th", "e</w>"),                         # the</w>
    ("o", "n</w>"),                                      # on</w>
    ("b", "e"), ("be", "a"), ("bea", "c"), ("beac", "h</w>"),  # beach</w>
    ("r", "u"), ("ru", "n"), ("run", "n"), ("runn", "i"), ("runni", "n"), ("runnin", "g</w>"),  # running</w>
]


def clip_tokenizer() -> tuple[dict, int, int]:
    base = [c for _, c in bytes_to_unicode()]
    vocab_list = base + [c + "</w>" for c in base] + [a + b for a, b in MERGES]
    bos, eos = len(vocab_list), len(vocab_list) + 1
    vocab_list += ["<|startoftext|>", "<|endoftext|>"]
    vocab = {tok: i for i, tok in enumerate(vocab_list)}
    assert len(vocab) == len(vocab_list), "duplicate vocabulary entries"
    special = lambda i, content: {  # noqa: E731
        "id": i, "content": content, "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": True,
    }
    tok = {
        "version": "1.0",
        "truncation": None,  # Kineto truncates (keeping <|endoftext|>) and pads to the manifest's max_length itself
        "padding": None,
        "added_tokens": [special(bos, "<|startoftext|>"), special(eos, "<|endoftext|>")],
        "normalizer": {
            "type": "Sequence",
            "normalizers": [{"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}, {"type": "Lowercase"}],
        },
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                {
                    "type": "Split",
                    "pattern": {"Regex": "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"},
                    "behavior": "Removed",
                    "invert": True,
                },
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
            ],
        },
        "post_processor": {
            "type": "RobertaProcessing",
            "sep": ["<|endoftext|>", eos],
            "cls": ["<|startoftext|>", bos],
            "trim_offsets": False,
            "add_prefix_space": False,
        },
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": "<|endoftext|>",
            "continuing_subword_prefix": "",
            "end_of_word_suffix": "</w>",
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": [f"{a} {b}" for a, b in MERGES],
        },
    }
    return tok, bos, eos


# ---------------------------------------------------------------------------------------------------------------
# Text encoders: token + position embeddings, a sequence-mean mixing term (so every position depends on the whole
# prompt), a projection and a final LayerNorm. Scope names follow transformers' CLIPTextModel export.


def text_encoder(vocab_size: int, ids_dtype: int, dims: list, seed: int) -> onnx.ModelProto:
    g = Graph(seed)
    ids = "input_ids"
    ids64 = g.op("Cast", [ids], "/text_model/embeddings", to=TensorProto.INT64) if ids_dtype != TensorProto.INT64 else ids
    tok = g.op("Gather", [g.weight("text_model.embeddings.token_embedding.weight", (vocab_size, TEXT_DIM), 1.0), ids64],
               "/text_model/embeddings/token_embedding")
    seq_len = g.op("Gather", [g.op("Shape", [ids], "/text_model/embeddings"), g.const("seq_axis", np.array(1, dtype=np.int64))],
                   "/text_model/embeddings", axis=0)
    positions = g.op("Range", [g.const("zero_i64", np.array(0, dtype=np.int64)), seq_len, g.const("one_i64", np.array(1, dtype=np.int64))],
                     "/text_model/embeddings")
    pos = g.op("Gather", [g.weight("text_model.embeddings.position_embedding.weight", (TOKENS, TEXT_DIM), 0.5), positions],
               "/text_model/embeddings/position_embedding")
    h = g.op("Add", [tok, pos], "/text_model/embeddings")
    mean = g.op("ReduceMean", [h, g.ints("mean_axes", [1])], "/text_model/encoder/layers.0", keepdims=1)
    h = g.op("Add", [h, mean], "/text_model/encoder/layers.0")
    h = g.op("MatMul", [h, g.weight("text_model.encoder.layers.0.mlp.fc1.weight", (TEXT_DIM, TEXT_DIM), TEXT_DIM ** -0.5)],
             "/text_model/encoder/layers.0/mlp/fc1")
    h = g.op("Tanh", [h], "/text_model/encoder/layers.0/mlp")
    out = g.op("LayerNormalization", [h, g.const("final_ln.weight", np.ones(TEXT_DIM, np.float32)), g.const("final_ln.bias", np.zeros(TEXT_DIM, np.float32))],
               "/text_model/final_layer_norm", out="last_hidden_state", axis=-1, epsilon=1e-5)
    assert out == "last_hidden_state"
    return g.model([tensor("input_ids", ids_dtype, dims)], [tensor("last_hidden_state", TensorProto.FLOAT, dims + [TEXT_DIM])],
                   "Kineto test fixture: a CLIP-style text encoder with random weights.")


# ---------------------------------------------------------------------------------------------------------------
# SD-Turbo-shaped image UNet with diffusers attention blocks


CH = 16
HEADS = 2
HEAD_DIM = CH // HEADS


def attention(g: Graph, p: str, x: str, context: str | None, context_dim: int, cross_frame: bool) -> str:
    """diffusers `Attention` with AttnProcessor2_0 as the TorchScript exporter decomposes SDPA (see ATTENTION.md)."""
    kv_in = x if context is None else context
    q = g.op("MatMul", [x, g.weight(f"{p}.to_q.weight", (CH, CH), CH ** -0.5)], f"{p}/to_q")
    k = g.op("MatMul", [kv_in, g.weight(f"{p}.to_k.weight", (context_dim, CH), context_dim ** -0.5)], f"{p}/to_k")
    v = g.op("MatMul", [kv_in, g.weight(f"{p}.to_v.weight", (context_dim, CH), context_dim ** -0.5)], f"{p}/to_v")
    if cross_frame:
        # Cross-Frame-Attn(Qᵏ, K¹, V¹): every batch item (frame) attends to the keys/values of item 0.
        first = g.ints(f"{p}.cfa.first", [0])
        k = g.op("Expand", [g.op("Gather", [k, first], f"{p}/cfa", axis=0), g.op("Shape", [k], f"{p}/cfa")], f"{p}/cfa")
        v = g.op("Expand", [g.op("Gather", [v, first], f"{p}/cfa", axis=0), g.op("Shape", [v], f"{p}/cfa")], f"{p}/cfa")
    heads = g.ints(f"{p}.heads_shape", [0, -1, HEADS, HEAD_DIM])
    qh = g.op("Transpose", [g.op("Reshape", [q, heads], p)], p, perm=[0, 2, 1, 3])  # [B, h, T, d]
    kh = g.op("Transpose", [g.op("Reshape", [k, heads], p)], p, perm=[0, 2, 1, 3])  # [B, h, S, d]
    vh = g.op("Transpose", [g.op("Reshape", [v, heads], p)], p, perm=[0, 2, 1, 3])  # [B, h, S, d]
    kt = g.op("Transpose", [kh], p, perm=[0, 1, 3, 2])  # [B, h, d, S]
    root_scale = g.const(f"{p[1:].replace('/', '.')}.root_scale", np.array(HEAD_DIM ** -0.25, dtype=np.float32))
    scores = g.op("MatMul", [g.op("Mul", [qh, root_scale], p), g.op("Mul", [kt, root_scale], p)], p)  # [B, h, T, S]
    probs = g.op("Softmax", [scores], p, axis=-1)
    o = g.op("MatMul", [probs, vh], p)  # [B, h, T, d]
    o = g.op("Reshape", [g.op("Transpose", [o], p, perm=[0, 2, 1, 3]), g.ints(f"{p}.merge_shape", [0, -1, CH])], p)
    o = g.op("MatMul", [o, g.weight(f"{p}.to_out.0.weight", (CH, CH), CH ** -0.5)], f"{p}/to_out.0")
    return g.op("Add", [o, g.weight(f"{p}.to_out.0.bias", (CH,), 0.02)], f"{p}/to_out.0")


def layer_norm(g: Graph, scope: str, x: str) -> str:
    w = g.const(f"{scope[1:].replace('/', '.')}.weight", np.ones(CH, np.float32))
    b = g.const(f"{scope[1:].replace('/', '.')}.bias", np.zeros(CH, np.float32))
    return g.op("LayerNormalization", [x, w, b], scope, axis=-1, epsilon=1e-5)


def transformer_2d(g: Graph, p: str, x: str, cross_frame: bool) -> str:
    """diffusers Transformer2DModel (SD 2.x: linear proj_in/proj_out) with one BasicTransformerBlock."""
    tokens = g.op("Reshape", [g.op("Transpose", [x], p, perm=[0, 2, 3, 1]), g.ints(f"{p}.tokens_shape", [0, -1, CH])], p)  # [B, H·W, C]
    h = g.op("MatMul", [tokens, g.weight(f"{p}.proj_in.weight", (CH, CH), CH ** -0.5)], f"{p}/proj_in")
    blk = f"{p}/transformer_blocks.0"
    h = g.op("Add", [attention(g, f"{blk}/attn1", layer_norm(g, f"{blk}/norm1", h), None, CH, cross_frame), h], blk)
    h = g.op("Add", [attention(g, f"{blk}/attn2", layer_norm(g, f"{blk}/norm2", h), "encoder_hidden_states", TEXT_DIM, False), h], blk)
    h = g.op("MatMul", [h, g.weight(f"{p}.proj_out.weight", (CH, CH), CH ** -0.5)], f"{p}/proj_out")
    back = g.op("Reshape", [g.op("Transpose", [h], p, perm=[0, 2, 1]), g.op("Shape", [x], p)], p)  # [B, C, H, W]
    return g.op("Add", [back, x], p)


def conv(g: Graph, scope: str, x: str, cin: int, cout: int, k: int = 3, stride: int = 1, zero: bool = False) -> str:
    wname, bname = f"{scope[1:]}.weight", f"{scope[1:]}.bias"
    w = g.weight(wname, (cout, cin, k, k), (cin * k * k) ** -0.5)
    b = g.weight(bname, (cout,), 0.02)
    if zero:
        g.inits[-2] = numpy_helper.from_array(np.zeros((cout, cin, k, k), np.float32), wname)
        g.inits[-1] = numpy_helper.from_array(np.zeros((cout,), np.float32), bname)
    return g.op("Conv", [x, w, b], scope, kernel_shape=[k, k], pads=[k // 2] * 4, strides=[stride, stride])


def time_embedding(g: Graph, t_float: str, batch_axes: int) -> str:
    """Sinusoidal embedding of the timestep → time_embedding MLP → [N, C] (then unsqueezed for broadcasting)."""
    half = CH // 2
    freqs = np.exp(-np.log(10000.0) * np.arange(half, dtype=np.float32) / half).astype(np.float32)
    arg = g.op("Mul", [g.op("Unsqueeze", [t_float, g.ints("t_axis", [1])], "/time_proj"), g.const("time_proj.freqs", freqs[None, :])], "/time_proj")
    emb = g.op("Concat", [g.op("Cos", [arg], "/time_proj"), g.op("Sin", [arg], "/time_proj")], "/time_proj", axis=-1)
    h = g.op("MatMul", [emb, g.weight("time_embedding.linear_1.weight", (CH, CH), CH ** -0.5)], "/time_embedding/linear_1")
    h = g.op("Mul", [h, g.op("Sigmoid", [h], "/time_embedding/act")], "/time_embedding/act")
    h = g.op("MatMul", [h, g.weight("time_embedding.linear_2.weight", (CH, CH), CH ** -0.5)], "/time_embedding/linear_2")
    return g.op("Unsqueeze", [h, g.ints("temb_axes", list(range(2, 2 + batch_axes)))], "/time_embedding")


def sd_turbo_unet(variant: str) -> onnx.ModelProto:
    g = Graph(seed=10)  # same seed for every variant: identical weights except the variant's change
    cfa = variant == "cfa"
    t = g.op("Cast", ["timestep"], "/time_proj", to=TensorProto.FLOAT)
    temb = time_embedding(g, t, 2)  # [1, C, 1, 1]
    x = g.op("Add", [conv(g, "/conv_in", "sample", 4, CH), temb], "/conv_in")
    skip = x
    x = transformer_2d(g, "/down_blocks.0/attentions.0", x, cfa)
    x = conv(g, "/down_blocks.0/downsamplers.0/conv", x, CH, CH, stride=2)
    x = transformer_2d(g, "/mid_block/attentions.0", x, cfa)
    x = g.op("Resize", [x, "", g.const("up_scales", np.array([1, 1, 2, 2], np.float32))], "/up_blocks.0/upsamplers.0", mode="nearest")
    x = g.op("Add", [x, skip], "/up_blocks.0")
    x = transformer_2d(g, "/up_blocks.0/attentions.0", x, cfa)
    x = g.op("Mul", [x, g.op("Sigmoid", [x], "/conv_act")], "/conv_act")
    conv(g, "/conv_out", x, CH, 4, zero=variant == "zero")
    g.nodes[-1].output[0] = "out_sample"
    dims = ["batch_size", "num_channels", "height", "width"]
    doc = {
        "plain": "Kineto test fixture: SD-Turbo-shaped UNet with random weights.",
        "zero": "Kineto test fixture: SD-Turbo-shaped UNet whose conv_out is zero (out_sample ≡ 0).",
        "cfa": "Kineto test fixture: SD-Turbo-shaped UNet with cross-frame attention in every attn1 (K, V from batch item 0).",
    }[variant]
    return g.model(
        [tensor("sample", TensorProto.FLOAT, dims), tensor("timestep", TensorProto.INT64, [1]),
         tensor("encoder_hidden_states", TensorProto.FLOAT, ["batch_size", "sequence_length", TEXT_DIM])],
        [tensor("out_sample", TensorProto.FLOAT, dims)], doc)


def vae_decoder(latent_dims: list, out_dims: list, seed: int, fp16_io: bool = False) -> onnx.ModelProto:
    """SD-style decoder stand-in; `fp16_io`: float16 input and output around the same float32 graph."""
    g = Graph(seed)
    latent = g.op("Cast", ["latent_sample"], "/decoder/io", to=TensorProto.FLOAT) if fp16_io else "latent_sample"
    x = g.op("Conv", [latent, g.weight("post_quant_conv.weight", (4, 4, 1, 1), 0.1), g.weight("post_quant_conv.bias", (4,), 0.02)],
             "/post_quant_conv", kernel_shape=[1, 1])
    x = g.op("Conv", [x, g.weight("decoder.conv_in.weight", (8, 4, 3, 3), 0.1), g.weight("decoder.conv_in.bias", (8,), 0.02)],
             "/decoder/conv_in", kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    x = g.op("Resize", [x, "", g.const("vae_scales", np.array([1, 1, 8, 8], np.float32))], "/decoder/up_blocks.0/upsamplers.0", mode="linear")
    x = g.op("Mul", [x, g.op("Sigmoid", [x], "/decoder/conv_act")], "/decoder/conv_act")
    x = g.op("Conv", [x, g.weight("decoder.conv_out.weight", (3, 8, 3, 3), 0.15), g.weight("decoder.conv_out.bias", (3,), 0.02)],
             "/decoder/conv_out", out=None if fp16_io else "sample", kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    if fp16_io:
        g.op("Cast", [x], "/decoder/io", out="sample", to=TensorProto.FLOAT16)
    io = TensorProto.FLOAT16 if fp16_io else TensorProto.FLOAT
    return g.model([tensor("latent_sample", io, latent_dims)], [tensor("sample", io, out_dims)],
                   "Kineto test fixture: SD-style VAE decoder (×8) with random weights" + (", float16 input and output." if fp16_io else "."))


# ---------------------------------------------------------------------------------------------------------------
# ModelScope-shaped UNet3D: per-frame spatial convs, a temporal conv, cross-attention to the text, all on
# [B, C, F, H, W]. Scope names follow diffusers' UNet3DConditionModel (temp_convs, attentions, transformer_blocks).


def unet3d() -> onnx.ModelProto:
    g = Graph(seed=20)

    def conv3d(scope: str, x: str, cin: int, cout: int, kernel: tuple[int, int, int]) -> str:
        w = g.weight(f"{scope[1:]}.weight", (cout, cin, *kernel), (cin * int(np.prod(kernel))) ** -0.5)
        b = g.weight(f"{scope[1:]}.bias", (cout,), 0.02)
        pads = [k // 2 for k in kernel] * 2
        return g.op("Conv", [x, w, b], scope, kernel_shape=list(kernel), pads=pads)

    t = g.op("Cast", ["timestep"], "/time_proj", to=TensorProto.FLOAT)
    temb = time_embedding(g, t, 3)  # [B, C, 1, 1, 1]
    x = g.op("Add", [conv3d("/conv_in", "sample", 4, CH, (1, 3, 3)), temb], "/conv_in")
    # temporal convolution across frames (diffusers' TemporalConvLayer), residual
    tc = "/down_blocks.0/temp_convs.0"
    h = conv3d(f"{tc}/conv1", x, CH, CH, (3, 1, 1))
    x = g.op("Add", [x, g.op("Mul", [h, g.op("Sigmoid", [h], tc)], tc)], tc)
    # cross-attention from every (frame, pixel) token to the text, single head
    p = "/down_blocks.0/attentions.0/transformer_blocks.0/attn2"
    tokens = g.op("Transpose", [g.op("Reshape", [x, g.ints("flat_shape", [0, CH, -1])], p)], p, perm=[0, 2, 1])  # [B, F·H·W, C]
    q = g.op("MatMul", [tokens, g.weight(f"{p}.to_q.weight", (CH, CH), CH ** -0.5)], f"{p}/to_q")
    k = g.op("MatMul", ["encoder_hidden_states", g.weight(f"{p}.to_k.weight", (TEXT_DIM, CH), TEXT_DIM ** -0.5)], f"{p}/to_k")
    v = g.op("MatMul", ["encoder_hidden_states", g.weight(f"{p}.to_v.weight", (TEXT_DIM, CH), TEXT_DIM ** -0.5)], f"{p}/to_v")
    scores = g.op("Mul", [g.op("MatMul", [q, g.op("Transpose", [k], p, perm=[0, 2, 1])], p), g.const("attn_scale", np.array(CH ** -0.5, np.float32))], p)
    o = g.op("MatMul", [g.op("Softmax", [scores], p, axis=-1), v], p)
    o = g.op("MatMul", [o, g.weight(f"{p}.to_out.0.weight", (CH, CH), CH ** -0.5)], f"{p}/to_out.0")
    o = g.op("Reshape", [g.op("Transpose", [o], p, perm=[0, 2, 1]), g.op("Shape", [x], p)], p)  # [B, C, F, H, W]
    x = g.op("Add", [x, o], p)
    x = g.op("Mul", [x, g.op("Sigmoid", [x], "/conv_act")], "/conv_act")
    conv3d("/conv_out", x, CH, 4, (1, 3, 3))
    g.nodes[-1].output[0] = "out_sample"
    dims = ["batch", 4, "num_frames", "height", "width"]
    return g.model(
        [tensor("sample", TensorProto.FLOAT, dims), tensor("timestep", TensorProto.INT64, ["batch"]),
         tensor("encoder_hidden_states", TensorProto.FLOAT, ["batch", TOKENS, TEXT_DIM])],
        [tensor("out_sample", TensorProto.FLOAT, dims)], "Kineto test fixture: ModelScope-shaped UNet3D with random weights.")


# ---------------------------------------------------------------------------------------------------------------
# Manifests


def spec(name: str, dtype: str, shape: list) -> dict:
    return {"name": name, "dtype": dtype, "shape": shape}


def component(folder: pathlib.Path, file: str, inputs: list, outputs: list, overrides: dict | None = None) -> dict:
    data = (folder / file).read_bytes()
    c = {"file": file, "inputs": inputs, "outputs": outputs, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if overrides:
        c["free_dimension_overrides"] = overrides
    return c


SD_SCHEDULER = {
    "_class_name": "EulerDiscreteScheduler",
    "num_train_timesteps": 1000,
    "beta_schedule": "scaled_linear",
    "beta_start": 0.00085,
    "beta_end": 0.012,
    "prediction_type": "epsilon",
    "timestep_spacing": "trailing",
    "steps_offset": 1,
    "set_alpha_to_one": False,
    "clip_sample": False,
}

MODELSCOPE_SCHEDULER = {
    "_class_name": "DDIMScheduler",
    "num_train_timesteps": 1000,
    "beta_schedule": "scaled_linear",
    "beta_start": 0.00085,
    "beta_end": 0.012,
    "prediction_type": "epsilon",
    "timestep_spacing": "leading",
    "steps_offset": 1,
    "set_alpha_to_one": False,
    "clip_sample": False,
}


def write_json(path: pathlib.Path, obj: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(encoding="utf-8", data=json.dumps(obj, indent=1, ensure_ascii=False) + "\n")


def main() -> None:
    tok, bos, eos = clip_tokenizer()
    vocab_size = eos + 1

    # --- sd-turbo ---------------------------------------------------------------------------------------------
    sd = ROOT / "sd-turbo"
    write_json(sd / "tokenizer.json", tok)
    save(text_encoder(vocab_size, TensorProto.INT32, ["batch_size", "sequence_length"], seed=1), sd / "text_encoder/model.onnx")
    for variant, file in (("plain", "model.onnx"), ("zero", "model-zero.onnx"), ("cfa", "model-cfa.onnx")):
        save(sd_turbo_unet(variant), sd / "unet" / file)
    save(vae_decoder(["batch_size", "num_channels_latent", "height_latent", "width_latent"], ["batch_size", 3, "height", "width"], seed=2),
         sd / "vae_decoder/model.onnx")
    lat = [1, 4, LATENT, LATENT]
    write_json(sd / "manifest.json", {
        "format": "kineto-model/1",
        "id": "sd-turbo-fixture",
        "name": "SD-Turbo (test fixture, random weights)",
        "description": "Tensor contract of schmuell/sd-turbo-ort-web at toy sizes; Text2Video-Zero on an image UNet.",
        "license": "CC0-1.0",
        "pipeline": "text2video-zero",
        "tokenizer": {"kind": "clip", "file": "tokenizer.json", "max_length": TOKENS, "pad_id": eos},
        "components": {
            "text_encoder": component(sd, "text_encoder/model.onnx", [spec("input_ids", "int32", [1, TOKENS])],
                                      [spec("last_hidden_state", "float32", [1, TOKENS, TEXT_DIM])], {"batch_size": 1}),
            "denoiser": component(sd, "unet/model.onnx",
                                  [spec("sample", "float32", lat), spec("timestep", "int64", [1]),
                                   spec("encoder_hidden_states", "float32", [1, TOKENS, TEXT_DIM])],
                                  [spec("out_sample", "float32", lat)],
                                  {"batch_size": 1, "num_channels": 4, "height": LATENT, "width": LATENT, "sequence_length": TOKENS}),
            "vae_decoder": component(sd, "vae_decoder/model.onnx", [spec("latent_sample", "float32", lat)],
                                     [spec("sample", "float32", [1, 3, LATENT * 8, LATENT * 8])],
                                     {"batch_size": 1, "num_channels_latent": 4, "height_latent": LATENT, "width_latent": LATENT}),
        },
        "latent": {"layout": "BCHW", "channels": 4, "frames": 8, "height": LATENT, "width": LATENT, "vae_scale_factor": 8,
                   "scaling_factor": 0.18215},
        "scheduler": SD_SCHEDULER,
        "defaults": {"steps": 4, "guidance_scale": 1.0, "frames": 4, "fps": 4, "scheduler": "euler", "output_size": 64,
                     "negative_prompt": ""},
        "text2video_zero": {"motion": {"dx": 1, "dy": 0}, "warp_after_steps": 1, "renoise_to_step": 0, "fill": "edge"},
    })

    # --- modelscope-t2v -----------------------------------------------------------------------------------------
    ms = ROOT / "modelscope-t2v"
    write_json(ms / "tokenizer.json", tok)
    save(text_encoder(vocab_size, TensorProto.INT64, ["batch", TOKENS], seed=3), ms / "text_encoder/model.onnx")
    save(unet3d(), ms / "unet/model.onnx")
    save(vae_decoder([1, 4, "height_latent", "width_latent"], [1, 3, "height", "width"], seed=4), ms / "vae_decoder/model.onnx")
    # the same decoder with float16 input and output, as fp16 exports without kept I/O types have
    save(vae_decoder([1, 4, "height_latent", "width_latent"], [1, 3, "height", "width"], seed=4, fp16_io=True), ms / "vae_decoder/model-fp16io.onnx")
    video = ["batch", 4, "num_frames", LATENT, LATENT]
    write_json(ms / "manifest.json", {
        "format": "kineto-model/1",
        "id": "modelscope-t2v-fixture",
        "name": "ModelScope text-to-video (test fixture, random weights)",
        "description": "Tensor contract of a diffusers-style ONNX export of text-to-video-ms-1.7b at toy sizes.",
        "license": "CC0-1.0",
        "pipeline": "text-to-video",
        "tokenizer": {"kind": "clip", "file": "tokenizer.json", "max_length": TOKENS, "pad_id": eos},
        "components": {
            "text_encoder": component(ms, "text_encoder/model.onnx", [spec("input_ids", "int64", ["batch", TOKENS])],
                                      [spec("last_hidden_state", "float32", ["batch", TOKENS, TEXT_DIM])]),
            "denoiser": component(ms, "unet/model.onnx",
                                  [spec("sample", "float32", video), spec("timestep", "int64", ["batch"]),
                                   spec("encoder_hidden_states", "float32", ["batch", TOKENS, TEXT_DIM])],
                                  [spec("out_sample", "float32", video)]),
            "vae_decoder": component(ms, "vae_decoder/model.onnx", [spec("latent_sample", "float32", [1, 4, LATENT, LATENT])],
                                     [spec("sample", "float32", [1, 3, LATENT * 8, LATENT * 8])]),
        },
        "latent": {"layout": "BCFHW", "channels": 4, "frames": 8, "height": LATENT, "width": LATENT, "vae_scale_factor": 8,
                   "scaling_factor": 0.18215},
        "scheduler": MODELSCOPE_SCHEDULER,
        "defaults": {"steps": 4, "guidance_scale": 9.0, "frames": 8, "fps": 8, "scheduler": "ddim", "output_size": 64,
                     "negative_prompt": ""},
    })
    for f in sorted(ROOT.rglob("*")):
        if f.is_file():
            print(f"{f.relative_to(ROOT)}  {f.stat().st_size} bytes")


if __name__ == "__main__":
    main()
