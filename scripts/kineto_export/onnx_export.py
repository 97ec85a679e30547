"""torch → ONNX for each component, with the tensor names and symbolic dimensions of the public diffusers/ORT-web
exports (input_ids → last_hidden_state; sample, timestep, encoder_hidden_states → out_sample; latent_sample →
sample). TorchScript exporter at opset 18, as those exports were made: its node names keep the module paths
(`/down_blocks.0/attentions.0/transformer_blocks.0/attn1/…`) that the cross-frame-attention rewrite looks for.
"""

import pathlib
import warnings

import onnx
import torch

from .families import Family

OPSET = 18
PROTOBUF_LIMIT = 2**31  # one serialized ONNX protobuf must stay under 2 GB: larger weights go to external data


class TextEncoder(torch.nn.Module):
    def __init__(self, model, ids_dtype: str):
        super().__init__()
        self.model = model
        self.cast = ids_dtype == "int32"

    def forward(self, input_ids):
        ids = input_ids.long() if self.cast else input_ids
        return self.model(ids, return_dict=False)[0]


class Denoiser(torch.nn.Module):
    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states):
        return self.unet(sample, timestep, encoder_hidden_states=encoder_hidden_states, return_dict=False)[0]


class VaeDecoder(torch.nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, latent_sample):
        return self.vae.decode(latent_sample, return_dict=False)[0]


def export(module: torch.nn.Module, args: tuple, path: pathlib.Path, inputs: list[str], outputs: list[str], dynamic: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, args, str(path), input_names=inputs, output_names=outputs, dynamic_axes=dynamic,
                          opset_version=OPSET, dynamo=False, do_constant_folding=True)


def export_text_encoder(model, family: Family, tokens: int, path: pathlib.Path) -> None:
    dtype = torch.int32 if family.ids_dtype == "int32" else torch.int64
    export(TextEncoder(model, family.ids_dtype).eval(), (torch.zeros(1, tokens, dtype=dtype),), path,
           ["input_ids"], ["last_hidden_state"], {"input_ids": {0: "batch"}, "last_hidden_state": {0: "batch"}})


def export_denoiser(unet, family: Family, latent: tuple[int, int], frames: int, tokens: int, path: pathlib.Path) -> None:
    b = family.batch
    c = unet.config.in_channels
    h, w = latent
    dim = unet.config.cross_attention_dim
    if family.layout == "BCHW":
        sample = torch.randn(2, c, h, w)
        timestep = torch.tensor([999], dtype=torch.int64)
        dynamic = {"sample": {0: b}, "encoder_hidden_states": {0: b}, "out_sample": {0: b}}
    else:
        sample = torch.randn(2, c, frames, h, w)
        timestep = torch.tensor([999, 999], dtype=torch.int64)
        dynamic = {"sample": {0: b, 2: "num_frames"}, "timestep": {0: b}, "encoder_hidden_states": {0: b}, "out_sample": {0: b, 2: "num_frames"}}
    export(Denoiser(unet).eval(), (sample, timestep, torch.randn(2, tokens, dim)), path,
           ["sample", "timestep", "encoder_hidden_states"], ["out_sample"], dynamic)


def export_vae_decoder(vae, latent: tuple[int, int], path: pathlib.Path) -> None:
    c = vae.config.latent_channels
    export(VaeDecoder(vae).eval(), (torch.randn(1, c, *latent),), path, ["latent_sample"], ["sample"],
           {"latent_sample": {0: "batch"}, "sample": {0: "batch"}})


def weights_bytes(model: onnx.ModelProto) -> int:
    return sum(len(t.raw_data) for t in model.graph.initializer)


def to_fp16(model: onnx.ModelProto, path: pathlib.Path | None = None) -> onnx.ModelProto:
    """Weights and arithmetic in float16, inputs and outputs kept float32 (as the public ORT-web exports). Over 1 GB
    of weights the converter's own shape inference (in memory, under protobuf's 2 GB limit) is off and `model` itself
    is converted; the value types it needs to put Casts in front of float-only inputs (Resize's scales) then come from
    shape inference on `path`, the same graph on disk. Without them the full-size UNet came out invalid."""
    from onnxruntime.transformers.float16 import convert_float_to_float16
    big = weights_bytes(model) > PROTOBUF_LIMIT // 2
    if big and path is not None:
        inferred = path.with_name(path.stem + ".inferred.onnx")
        onnx.shape_inference.infer_shapes_path(str(path), str(inferred))
        del model.graph.value_info[:]
        model.graph.value_info.extend(onnx.load(str(inferred), load_external_data=False).graph.value_info)
        inferred.unlink()
    return convert_float_to_float16(model, keep_io_types=True, disable_shape_infer=big)


def fuse_attention(path: pathlib.Path, fp16: bool) -> onnx.ModelProto:
    """onnxruntime's transformer optimiser for UNets: attention fused into com.microsoft MultiHeadAttention. Only
    fusions with CPU and WebGPU kernels are on (no GroupNorm / BiasSplitGelu / NHWC, which are CUDA-only ops).
    Self-attention Q/K/V stay packed as the optimiser does for UNets (MultiHeadAttention on packed QKV; unpacked it
    would be an Attention op with the projection weights inside, which the cross-frame rewrite cannot point at frame
    0's keys). Cross-attention K/V stay separate: onnxruntime's CPU (and so WASM) kernel has no packed-KV form."""
    from onnxruntime.transformers.fusion_options import FusionOptions
    from onnxruntime.transformers.optimizer import optimize_model
    patch_num_heads()
    opts = FusionOptions("unet")
    opts.enable_group_norm = False
    opts.enable_skip_group_norm = False
    opts.enable_bias_splitgelu = False
    opts.enable_bias_add = False
    opts.enable_nhwc_conv = False
    opts.enable_packed_kv = False
    opts.enable_bias_skip_layer_norm = False
    opts.enable_qordered_matmul = False
    m = optimize_model(str(path), model_type="unet", num_heads=0, hidden_size=0, opt_level=0, optimization_options=opts,
                       use_gpu=False, only_onnxruntime=False)
    return m.model


def patch_num_heads() -> None:
    """onnxruntime ≤ 1.30 reads the head count with int() on a 1-element array, which numpy ≥ 2.4 refuses; read
    it with .item() instead (same value: the third entry of the Q reshape's target shape)."""
    import importlib

    import numpy as np
    import onnxruntime.transformers.optimizer  # noqa: F401  (puts its folder on sys.path, whence it imports)

    def get_num_heads(self, reshape_q, is_torch2=False):
        if is_torch2:
            parent = self.model.get_parent(reshape_q, 1)
            ok = parent is not None and parent.op_type == "Concat" and len(parent.input) == 4
            value = self.model.get_constant_value(parent.input[2]) if ok else None
            heads = int(value.item()) if isinstance(value, np.ndarray) and value.size == 1 else 0
        else:
            shape = self.model.get_constant_value(reshape_q.input[1])
            heads = int(shape[2]) if isinstance(shape, np.ndarray) and shape.shape == (4,) else 0
        return max(heads, 0)

    # the optimiser imports its modules both as a package and top-level: patch the class under both names
    for name in ("onnxruntime.transformers.fusion_attention_unet", "fusion_attention_unet"):
        importlib.import_module(name).FusionAttentionUnet.get_num_heads = get_num_heads


def save(model: onnx.ModelProto, path: pathlib.Path, external_above: int = PROTOBUF_LIMIT - (1 << 24)) -> list[pathlib.Path]:
    """One file when its weights stay under `external_above` (protobuf's 2 GB less room for the graph), otherwise
    the graph plus `<name>_data` with every weight (the location the manifest lists). Returns the files written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if weights_bytes(model) < external_above:
        onnx.save_model(model, str(path))
        return [path]
    data = path.with_name(path.name + "_data")
    onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True, location=data.name, size_threshold=1024)
    # Saving moved the weights out of `model` (it now points at the data file); read them back so the caller can go on
    # using it (the fp16 conversion that follows the fp32 file).
    onnx.load_external_data_for_model(model, str(path.parent))
    return [path, data]
