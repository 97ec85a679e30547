"""Writes a Kineto model package (manifest.json, tokenizer.json, ONNX components) from a checked diffusers folder.

Everything goes into a temporary folder beside the target, which is renamed into place only when complete: an
export that fails half way leaves nothing that looks like a package. The manifest's tensor specs are read back from
the written ONNX files and its sizes and sha256 from the bytes on disk, so the manifest cannot disagree with them.
"""

import hashlib
import json
import os
import pathlib
import shutil
import tempfile
from dataclasses import dataclass, field

import onnx

from . import onnx_export, weights
from .errors import ExportError
from .folder import SourceFolder, model_card_license

DTYPE_NAMES = {onnx.TensorProto.FLOAT: "float32", onnx.TensorProto.FLOAT16: "float16",
               onnx.TensorProto.INT64: "int64", onnx.TensorProto.INT32: "int32"}
PRECISIONS = ("fp16", "fp32")


@dataclass
class Options:
    id: str
    name: str
    description: str = ""
    precisions: tuple[str, ...] = ("fp16", "fp32")
    fuse_attention: bool = False
    frames: int | None = None
    fps: int | None = None
    steps: int | None = None
    guidance: float | None = None
    motion: tuple[float, float] = (1.0, 0.0)
    # weights above this many bytes go to an external-data file (default: what protobuf's 2 GB limit forces)
    external_above: int = onnx_export.PROTOBUF_LIMIT - (1 << 24)
    license: str | None = None
    license_url: str | None = None
    license_notice: str | None = None
    log: object = print
    extra: dict = field(default_factory=dict)


def sha256_file(path: pathlib.Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 24):
            h.update(chunk)
    return h.hexdigest()


def tensor_specs(values) -> list[dict]:
    out = []
    for v in values:
        t = v.type.tensor_type
        dims = [d.dim_param if d.HasField("dim_param") else d.dim_value for d in t.shape.dim]
        out.append({"name": v.name, "dtype": DTYPE_NAMES.get(t.elem_type, str(t.elem_type)), "shape": dims})
    return out


def file_entry(pkg: pathlib.Path, files: list[pathlib.Path]) -> dict:
    main, *data = files
    entry = {"file": main.relative_to(pkg).as_posix(), "bytes": main.stat().st_size, "sha256": sha256_file(main)}
    if data:
        entry["external_data"] = [{"path": d.name, "bytes": d.stat().st_size, "sha256": sha256_file(d)} for d in data]
    return entry


def write_component(pkg: pathlib.Path, name: str, fp32_path: pathlib.Path, precisions, fuse: bool, external_above: int, log) -> dict:
    """fp32 and/or fp16 files of one component (fp16 as `model.onnx`, the name the public exports use; fp32 as
    `model.onnx` when it is the only one, else `model-fp32.onnx`) → its manifest entry."""
    model = onnx_export.fuse_attention(fp32_path, False) if fuse else onnx.load(str(fp32_path))
    spec = {"inputs": tensor_specs(model.graph.input), "outputs": tensor_specs(model.graph.output)}
    variants = {}
    # fp32 first: at full size (weights over 1 GB) to_fp16 converts the model in place, so it must be written already
    for p in sorted(precisions, key=lambda p: p != "fp32"):
        file = pkg / name / ("model.onnx" if p == "fp16" or len(precisions) == 1 else "model-fp32.onnx")
        m = onnx_export.to_fp16(model, None if fuse else fp32_path) if p == "fp16" else model
        files = onnx_export.save(m, file, external_above)
        variants[p] = file_entry(pkg, files)
        log(f"  {name} {p}: {sum(f.stat().st_size for f in files):,} bytes")
    if len(variants) == 1:
        spec.update(next(iter(variants.values())))
    else:
        spec["variants"] = variants
    return spec


def scheduler_block(cfg: dict) -> dict:
    keys = ("_class_name", "num_train_timesteps", "beta_schedule", "beta_start", "beta_end", "prediction_type",
            "timestep_spacing", "steps_offset", "set_alpha_to_one", "clip_sample")
    return {k: cfg[k] for k in keys if k in cfg}


def tokenizer_json(src: SourceFolder, out: pathlib.Path) -> dict:
    from transformers import CLIPTokenizerFast
    tok = CLIPTokenizerFast.from_pretrained(str(src.tokenizer))
    for special in ("<|startoftext|>", "<|endoftext|>"):
        if tok.convert_tokens_to_ids(special) in (None, tok.unk_token_id) and special != tok.unk_token:
            raise ExportError("tokenizer/", "vocab", f"has no {special} token, which a CLIP tokenizer needs")
    out.write_text(tok.backend_tokenizer.to_str(pretty=False))
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    max_length = min(tok.model_max_length, src.text_encoder.config.get("max_position_embeddings", 77))
    return {"kind": "clip", "file": "tokenizer.json", "max_length": max_length, "pad_id": pad}


def build_manifest(src: SourceFolder, opts: Options, tokenizer: dict, components: dict, latent: tuple[int, int], frames: int) -> dict:
    fam = src.family
    card = model_card_license(src.root)
    license_id = opts.license or card.get("license_name") or card.get("license")
    if not license_id:
        raise ExportError("README.md", "license", "no licence found: give --license (an SPDX id or LicenseRef-…) or add a model card")
    vae_scale = 2 ** (len(src.vae.config["block_out_channels"]) - 1)
    steps = opts.steps or fam.steps
    m = {
        "format": "kineto-model/1",
        "id": opts.id,
        "name": opts.name,
        "description": opts.description,
        "license": license_id,
    }
    url = opts.license_url or card.get("license_link")
    if url:
        m["license_url"] = url
    if opts.license_notice:
        m["license_notice"] = opts.license_notice
    m.update({
        "pipeline": fam.pipeline,
        "tokenizer": tokenizer,
        "components": components,
        "latent": {"layout": fam.layout, "channels": src.unet.config["in_channels"], "frames": frames,
                   "height": latent[0], "width": latent[1], "vae_scale_factor": vae_scale,
                   "scaling_factor": src.vae.config.get("scaling_factor", 0.18215)},
        "scheduler": scheduler_block(src.scheduler),
        "defaults": {"steps": steps, "guidance_scale": opts.guidance or fam.guidance, "frames": frames,
                     "fps": opts.fps or fam.fps, "scheduler": src.sampler, "output_size": latent[0] * vae_scale,
                     "negative_prompt": ""},
    })
    if "fp32" not in opts.precisions:
        m["requirements"] = {"webgpu": True, "shader_f16": True}
    if fam.pipeline == "text2video-zero":
        m["text2video_zero"] = {"motion": {"dx": opts.motion[0], "dy": opts.motion[1]}, "warp_after_steps": 1,
                                "renoise_to_step": 0, "fill": "edge", "cross_frame_attention": True}
    m.update(opts.extra)
    return m


def export_package(src: SourceFolder, out: pathlib.Path, opts: Options) -> dict:
    bad = [p for p in opts.precisions if p not in PRECISIONS]
    if bad or not opts.precisions:
        raise ExportError("--precision", None, f"must be fp16, fp32 or both (got {', '.join(opts.precisions)})")
    out = out.resolve()
    if out.exists():
        raise ExportError(str(out), None, "already exists; choose a new folder (the export never overwrites)")
    log = opts.log
    sample = src.unet.config.get("sample_size", 64)
    latent = tuple(sample) if isinstance(sample, (list, tuple)) else (sample, sample)
    frames = opts.frames or src.family.frames
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        raw = tmp / ".fp32"
        tokenizer = tokenizer_json(src, tmp / "tokenizer.json")
        tokens = tokenizer["max_length"]
        log("loading and checking weights")
        text = weights.load(src.root, src.text_encoder)
        unet = weights.load(src.root, src.unet)
        vae = weights.load(src.root, src.vae)
        log("exporting to ONNX")
        onnx_export.export_text_encoder(text, src.family, tokens, raw / "text_encoder.onnx")
        onnx_export.export_denoiser(unet, src.family, latent, frames, tokens, raw / "unet.onnx")
        onnx_export.export_vae_decoder(vae, latent, raw / "vae_decoder.onnx")
        del text, unet, vae
        components = {
            "text_encoder": write_component(tmp, "text_encoder", raw / "text_encoder.onnx", opts.precisions, False, opts.external_above, log),
            "denoiser": write_component(tmp, "unet", raw / "unet.onnx", opts.precisions, opts.fuse_attention, opts.external_above, log),
            "vae_decoder": write_component(tmp, "vae_decoder", raw / "vae_decoder.onnx", opts.precisions, False, opts.external_above, log),
        }
        shutil.rmtree(raw)
        manifest = build_manifest(src, opts, tokenizer, components, latent, frames)
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
        tmp.chmod(0o755)  # mkdtemp makes it private; a package is shared like any folder
        os.replace(tmp, out)
        return manifest
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
