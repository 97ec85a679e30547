"""Export Kineto-Shapes to the app's model package: three ONNX files, tokenizer.json and manifest.json.

    python training/export.py --run training/runs/main --out public/models/kineto-shapes
    python training/export.py --random --out <dir>      # same contract, random weights (development, tests)
    python training/export.py --run training/runs/lcm --out public/models/kineto-shapes --student denoiser-fast.onnx
        # only the distilled denoiser of a `distill.py` run, beside the package it was distilled from

Weights are stored as fp16 with a Cast to fp32 in front of each use, halving the files; the numeric cost is
measured by `check_against_torch` and printed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import helper, numpy_helper

import models
import world
from onnx_meta import strip_build_metadata
from tokenizer import SPECIAL, Tokenizer

OPSET = 18


def export_onnx(module: torch.nn.Module, args: tuple, names_in: list[str], names_out: list[str],
                dynamic: dict, path: Path, weights: str) -> None:
    module.eval()
    torch.onnx.export(module, args, str(path), input_names=names_in, output_names=names_out,
                      dynamic_shapes=dynamic, opset_version=OPSET, external_data=False, dynamo=True)
    model = onnx.load(str(path))
    (to_int8_weights if weights == "int8" else to_fp16_weights)(model)
    strip_build_metadata(model)
    onnx.save(model, str(path))


def to_int8_weights(model: onnx.ModelProto, min_size: int = 256) -> None:
    """Weight-only int8: symmetric per-output-channel scales, DequantizeLinear back to float32 (a quarter of
    the fp32 size). Activations stay float32, so no quantised kernels (which were 7–15× slower here) are used."""
    g = model.graph
    nodes = []
    for init in list(g.initializer):
        if init.data_type != onnx.TensorProto.FLOAT or np.prod(init.dims) < min_size or len(init.dims) < 2:
            continue
        w = numpy_helper.to_array(init)
        scale = np.abs(w.reshape(w.shape[0], -1)).max(axis=1) / 127.0
        scale[scale == 0] = 1.0
        q = np.clip(np.round(w / scale.reshape(-1, *([1] * (w.ndim - 1)))), -127, 127).astype(np.int8)
        name = init.name
        g.initializer.remove(init)
        g.initializer.extend([numpy_helper.from_array(q, name + "__q"),
                              numpy_helper.from_array(scale.astype(np.float32), name + "__scale"),
                              numpy_helper.from_array(np.zeros(w.shape[0], np.int8), name + "__zero")])
        nodes.append(helper.make_node("DequantizeLinear", [name + "__q", name + "__scale", name + "__zero"], [name],
                                      axis=0, name=name + "__dequant"))
    for node in reversed(nodes):
        g.node.insert(0, node)
    to_fp16_weights(model)  # the remaining 1-D float weights (biases, norms)


def to_fp16_weights(model: onnx.ModelProto, min_size: int = 256) -> None:
    """Store large float32 initializers as float16 followed by a Cast node back to float32."""
    g = model.graph
    casts = []
    for init in list(g.initializer):
        if init.data_type != onnx.TensorProto.FLOAT or np.prod(init.dims) < min_size:
            continue
        arr = numpy_helper.to_array(init).astype(np.float16)
        name = init.name
        g.initializer.remove(init)
        g.initializer.append(numpy_helper.from_array(arr, name + "__fp16"))
        casts.append(helper.make_node("Cast", [name + "__fp16"], [name], to=onnx.TensorProto.FLOAT,
                                      name=name + "__cast"))
    for node in reversed(casts):
        g.node.insert(0, node)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def io_spec(path: Path) -> dict:
    """Input/output names, dtypes and shapes (symbolic dims as names) read back from the ONNX file."""
    m = onnx.load(str(path), load_external_data=False)
    dtypes = {onnx.TensorProto.FLOAT: "float32", onnx.TensorProto.INT64: "int64", onnx.TensorProto.INT32: "int32",
              onnx.TensorProto.FLOAT16: "float16"}

    def one(v):
        dims = [d.dim_param if d.dim_param else d.dim_value for d in v.type.tensor_type.shape.dim]
        return {"name": v.name, "dtype": dtypes[v.type.tensor_type.elem_type], "shape": dims}

    return {"inputs": [one(v) for v in m.graph.input], "outputs": [one(v) for v in m.graph.output]}


def tokenizer_json(tok: Tokenizer) -> dict:
    """Hugging Face tokenizers format: WordLevel model, lowercase, split on non-letters, BOS + pad to 16."""
    vocab = {s: i for i, s in enumerate(SPECIAL)} | tok.ids
    return {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": models.MAX_TOKENS, "strategy": "LongestFirst", "stride": 0},
        "padding": {"strategy": {"Fixed": models.MAX_TOKENS}, "direction": "Right", "pad_to_multiple_of": None,
                    "pad_id": models.PAD_ID, "pad_type_id": 0, "pad_token": "[PAD]"},
        "added_tokens": [{"id": i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for i, s in enumerate(SPECIAL)],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "[^a-z]+"}, "behavior": "Removed", "invert": False},
        "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "[BOS]", "type_id": 0}},
                                                                    {"Sequence": {"id": "A", "type_id": 0}}],
                           "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 0}}],
                           "special_tokens": {"[BOS]": {"id": "[BOS]", "ids": [models.BOS_ID], "tokens": ["[BOS]"]}}},
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "[UNK]"},
    }


def latent_rgb_factors(enc: models.Encoder, dec: models.Decoder) -> dict:
    """Least-squares linear map from a normalised latent pixel to the mean RGB of its 4×4 patch: the cheap
    latent→RGB preview for steps where decoding would cost too much."""
    rng = np.random.default_rng(7)
    clips = np.stack([world.render(world.sample_scene(rng)) for _ in range(64)]).reshape(-1, 64, 64, 3)
    x = torch.from_numpy(clips).permute(0, 3, 1, 2).float() / 127.5 - 1
    with torch.no_grad():
        z = (enc(x) - dec.mean) / dec.std
        rgb = torch.nn.functional.avg_pool2d(x, 4)
    a = torch.cat([z.permute(0, 2, 3, 1).reshape(-1, 4), torch.ones(z.numel() // 4, 1)], 1)
    sol = torch.linalg.lstsq(a, rgb.permute(0, 2, 3, 1).reshape(-1, 3)).solution
    return {"weights": sol[:4].tolist(), "bias": sol[4].tolist()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", type=Path)
    ap.add_argument("--random", action="store_true")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--weights", choices=["fp16", "int8"], default="fp16")
    ap.add_argument("--student", help="write only the run's denoiser, under this file name in --out")
    args = ap.parse_args()
    torch.manual_seed(0)
    tok = Tokenizer(world.vocabulary())
    te, den = models.TextEncoder(tok.vocab_size), models.Denoiser()
    trained_steps = 0
    if args.random:
        enc, dec = models.Encoder(), models.Decoder()
        torch.nn.init.normal_(den.out.weight, std=0.02)  # zero-initialised for training; random here so outputs vary
    else:
        ck = torch.load(args.run / "denoiser.pt", weights_only=False)
        assert ck["vocab"] == tok.words, "vocabulary changed since training"
        te.load_state_dict(ck["ema_te"]); den.load_state_dict(ck["ema_den"])
        enc, dec = models.load_autoencoder(args.run / "ae.pt")
        trained_steps = ck["step"]
    args.out.mkdir(parents=True, exist_ok=True)
    if args.student:
        export_student(den, args.out / args.student, args.weights)
        return
    b = torch.export.Dim("batch", min=1, max=64)
    ids = torch.from_numpy(np.stack([tok.encode("a red circle moving left")[0]] * 2))
    export_onnx(te, (ids,), ["input_ids"], ["last_hidden_state"], {"input_ids": {0: b}}, args.out / "text_encoder.onnx", args.weights)
    export_denoiser(den, args.out / "denoiser.onnx", args.weights)
    export_onnx(dec, (torch.randn(2, 4, 16, 16),), ["latent_sample"], ["sample"], {"z_normalised": {0: b}},
                args.out / "vae_decoder.onnx", args.weights)
    (args.out / "tokenizer.json").write_text(json.dumps(tokenizer_json(tok)))
    check_against_torch(args.out, te, den, dec, ids)

    files = {"text_encoder": "text_encoder.onnx", "denoiser": "denoiser.onnx", "vae_decoder": "vae_decoder.onnx"}
    components = {k: {"file": v, **io_spec(args.out / v), "bytes": (args.out / v).stat().st_size,
                      "sha256": sha256(args.out / v)} for k, v in files.items()}
    manifest = {
        "format": "kineto-model/1",
        "id": "kineto-shapes" + ("-random" if args.random else ""),
        "name": "Kineto-Shapes" + (" (random weights)" if args.random else ""),
        "description": "Coloured shapes moving on simple backgrounds; 16 frames of 64×64, trained from scratch.",
        "license": "CC0-1.0",
        "pipeline": "text-to-video",
        "trained_steps": trained_steps,
        "weights": args.weights,
        "tokenizer": {"kind": "word-level", "file": "tokenizer.json", "max_length": models.MAX_TOKENS,
                      "pad_id": models.PAD_ID, "unknown_id": models.UNK_ID},
        "components": components,
        "latent": {"layout": "BCFHW", "channels": 4, "frames": 16, "height": 16, "width": 16,
                   "frames_multiple_of": 4, "vae_scale_factor": 4, "scaling_factor": 1.0},
        "scheduler": {"_class_name": "DDIMScheduler", "num_train_timesteps": 1000,
                      "beta_schedule": "squaredcos_cap_v2", "beta_start": 0.0001, "beta_end": 0.02,
                      "prediction_type": "v_prediction", "timestep_spacing": "trailing", "steps_offset": 0,
                      "set_alpha_to_one": True, "clip_sample": False},
        "defaults": {"steps": 30, "guidance_scale": 3.0, "frames": 16, "fps": 8, "scheduler": "ddim",
                     "output_size": 256, "negative_prompt": ""},
        "preview": {"latent_rgb": latent_rgb_factors(enc, dec)},
        "vocabulary": tok.words,
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    total = sum(c["bytes"] for c in components.values())
    print(f"exported to {args.out}: {total / 1e6:.2f} MB of ONNX")


def export_denoiser(den: models.Denoiser, path: Path, weights: str) -> None:
    b = torch.export.Dim("batch", min=1, max=64)
    f = torch.export.Dim("frames4", min=1, max=8)
    export_onnx(den, (torch.randn(2, 4, 16, 16, 16), torch.tensor([999.0, 500.0]), torch.randn(2, 16, 128)),
                ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
                {"sample": {0: b, 2: 4 * f}, "timestep": {0: b}, "encoder_hidden_states": {0: b}}, path, weights)


def export_student(den: models.Denoiser, path: Path, weights: str) -> None:
    """A distilled denoiser (same interface as the teacher's) for a package whose text encoder and decoder it
    shares; prints what its manifest entry needs."""
    export_denoiser(den, path, weights)
    torch.manual_seed(1)
    with torch.no_grad():
        x, t, h = torch.randn(2, 4, 8, 16, 16), torch.tensor([999.0, 10.0]), torch.randn(2, 16, 128)
        y = den(x, t, h).numpy()
    got = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(
        None, {"sample": x.numpy(), "timestep": t.numpy(), "encoder_hidden_states": h.numpy()})[0]
    print(f"{path}: {path.stat().st_size} bytes, sha256 {sha256(path)}, max abs diff vs torch {np.abs(got - y).max():.2e}")
    add_fast_preset(path)


def add_fast_preset(student: Path, own_tensors: bool = False) -> None:
    """Points the package manifest beside the student at it: `presets.fast` samples it with 4 LCM steps and no
    unconditional pass (guidance is folded into its weights, see distill.py); `presets.quality` is the teacher's
    defaults. `own_tensors`: the student declares its inputs and outputs rather than inheriting
    `components.denoiser`'s (a conditioned student, whatever the package's denoiser takes)."""
    mpath = student.parent / "manifest.json"
    m = json.loads(mpath.read_text())
    d = m["defaults"]
    tensors = io_spec(student) if own_tensors else {}
    m["presets"] = {
        "fast": {"denoiser": {"file": student.name, **tensors, "bytes": student.stat().st_size,
                              "sha256": sha256(student)},
                 "scheduler": "lcm", "steps": 4, "guidance_scale": 1},
        "quality": {"scheduler": d["scheduler"], "steps": d["steps"], "guidance_scale": d["guidance_scale"]},
    }
    mpath.write_text(json.dumps(m, indent=1) + "\n")


def check_against_torch(out: Path, te, den, dec, ids) -> None:
    """Max abs difference between onnxruntime (fp16-stored weights) and torch (fp32) on one input each."""
    torch.manual_seed(1)
    sess = lambda n: ort.InferenceSession(str(out / n), providers=["CPUExecutionProvider"])  # noqa: E731
    with torch.no_grad():
        h = te(ids)
        d1 = np.abs(sess("text_encoder.onnx").run(None, {"input_ids": ids.numpy()})[0] - h.numpy()).max()
        x, t = torch.randn(2, 4, 8, 16, 16), torch.tensor([999.0, 10.0])
        y = den(x, t, h)
        d2 = np.abs(sess("denoiser.onnx").run(None, {"sample": x.numpy(), "timestep": t.numpy(),
                                                     "encoder_hidden_states": h.numpy()})[0] - y.numpy()).max()
        z = torch.randn(3, 4, 16, 16)
        d3 = np.abs(sess("vae_decoder.onnx").run(None, {"latent_sample": z.numpy()})[0] - dec(z).numpy()).max()
    print(f"stored-weight ONNX vs fp32 torch, max abs diff: text {d1:.2e}, denoiser {d2:.2e} "
          f"(|y|max {y.abs().max():.2f}), decoder {d3:.2e}")


if __name__ == "__main__":
    main()
