"""Weight variants of the Kineto-Shapes package, for measuring which ones pay (dev only; nothing here runs in CI):

    python training/quantize.py --package public/models/kineto-shapes --out training/runs/quantized

For the text encoder, the Fast preset's denoiser (and its denoiser for known frames, when the package has one) and
the VAE decoder it writes, under --out:
  <stem>.fp32.onnx     float32 initializers: the shipped files store fp16 and Cast at load, so this is the same math
  <stem>.fp16.onnx     fp16 compute, float32 inputs and outputs (for WebGPU with shader-f16)
  <stem>.int8w.onnx    int8 weight-only, symmetric per output channel, DequantizeLinear back to float32 (export.py)
  <stem>.int8dyn.onnx  dynamic quantization: ConvInteger / MatMulInteger, activations quantized on every call
  <stem>.int8qdq.onnx  static QDQ int8, per-channel weights, activations calibrated on the latents the Fast sampler
                       visits for seen-split captions (never the held-out combinations); the denoiser for known
                       frames on windows that carry on from those clips under its training masks
and one package folder per variant, pkg-<variant>/ (the other files linked to --package), that the app's tools
load as they are:  npm run eval:model -- --model training/runs/quantized/pkg-int8w --preset fast --seeds 4
Each file is first run on onnxruntime's CPU provider against the fp32 one; a component whose variant it cannot run is
reported and stays as shipped in that package.

`--ship int8qdq` then copies that variant of the Fast denoisers into --package as the preset's `int8` variants
(`denoiser-fast.int8.onnx`, `denoiser-fast-cond.int8.onnx`), beside the shipped files as `fp32` (fp16-stored, fp32
compute); the app picks int8 on the CPU (WASM) and onnxruntime-node, fp32 on WebGPU (engine/variants.ts). A denoiser
that already ships an int8 variant keeps it. Only the denoisers: the int8 decoder, shared
by both presets, cost the Quality preset 4 of 64 seen-split shape scores, and the text encoder runs once per clip, so
its int8 saves nothing measurable (model card). Run it on a package as export.py wrote it or as an earlier --ship
left it: the fp32 files are read from the `fp32` variant when there is one.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import queue
import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper
from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType, quantize_dynamic,
                                      quantize_static)
from onnxruntime.quantization.shape_inference import quant_pre_process
from onnxruntime.transformers.float16 import convert_float_to_float16

import masks
import world
from diffusion import alphas_cumprod
from export import sha256, to_int8_weights
from onnx_meta import strip_file
from tokenizer import Tokenizer

VARIANTS = ["fp32", "fp16", "int8w", "int8dyn", "int8qdq"]
# The Fast preset's denoisers: from text, and for windows with known frames (Kineto-Shapes 2).
PRESET_DENOISERS = ["denoiser", "known_frames_denoiser"]
LCM_TIMESTEPS = [999, 759, 499, 259]  # engine/schedulers/schedule.ts lcmTimesteps(1000, 4, 50)


def float32_weights(src: Path, dst: Path) -> None:
    """Replaces each `Cast(fp16 initializer) → float32` that export.py wrote by a float32 initializer."""
    m = onnx.load(str(src))
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    keep = []
    for n in g.node:
        if n.op_type == "Cast" and n.input[0] in inits and inits[n.input[0]].data_type == onnx.TensorProto.FLOAT16:
            arr = numpy_helper.to_array(inits[n.input[0]]).astype(np.float32)
            g.initializer.remove(inits.pop(n.input[0]))
            g.initializer.append(numpy_helper.from_array(arr, n.output[0]))
        else:
            keep.append(n)
    del g.node[:]
    g.node.extend(keep)
    onnx.save(m, str(dst))


def session(path: Path) -> ort.InferenceSession:
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


class Feeds(CalibrationDataReader):
    def __init__(self, feeds: list[dict]):
        self.it = iter(feeds)

    def get_next(self):
        return next(self.it, None)


def lcm_clip(den: ort.InferenceSession, h: np.ndarray, rng: np.random.Generator, feeds: list[dict],
             known: np.ndarray | None = None, z_known: np.ndarray | None = None) -> np.ndarray:
    """One clip's 4 LCM steps as engine/schedulers/lcm.ts takes them (v-prediction), each step's input appended to
    `feeds`. With `known` (bool per frame) and `z_known` [1, 4, F, 16, 16], a window with known frames as
    engine/continuation/window-condition.ts runs it: the denoiser also reads the known latents and their mask, and the
    sample's known frames are put back at each step's noise level."""
    ac = alphas_cumprod()
    x = rng.standard_normal((1, 4, 16, 16, 16)).astype(np.float32)
    for i, t in enumerate(LCM_TIMESTEPS):
        a = ac[t]
        f = {"sample": x, "timestep": np.array([t], np.float32), "encoder_hidden_states": h}
        if known is not None:
            noisy = math.sqrt(a) * z_known + math.sqrt(1 - a) * rng.standard_normal(x.shape)
            x = np.where(known[None, None, :, None, None], noisy, x).astype(np.float32)
            mask = np.broadcast_to(known[None, None, :, None, None], (1, 1, 16, 16, 16)).astype(np.float32)
            f = {**f, "sample": x, "cond_latents": (z_known * mask).astype(np.float32), "cond_mask": mask}
        feeds.append(f)
        v = den.run(None, f)[0]
        x0 = math.sqrt(a) * x - math.sqrt(1 - a) * v
        st = 10.0 * t
        c_skip, c_out = 0.25 / (st * st + 0.25), st / math.sqrt(st * st + 0.25)
        x = (c_out * x0 + c_skip * x).astype(np.float32)
        if i + 1 < len(LCM_TIMESTEPS):
            a = ac[LCM_TIMESTEPS[i + 1]]
            x = (math.sqrt(a) * x + math.sqrt(1 - a) * rng.standard_normal(x.shape)).astype(np.float32)
    return x


def calibration_feeds(fp32: dict[str, Path], tok: Tokenizer, n: int) -> dict[str, list[dict]]:
    """Inputs each component sees while the Fast preset (4 LCM steps, guidance folded in) makes `n` clips of
    seen-split captions, sampled with the fp32 files; with a denoiser for known frames, also `n` windows that carry
    on from those clips under the masks it was trained on (masks.py, drawn by their shares)."""
    rng = np.random.default_rng(7)
    # The windows draw from their own generator: the other components' feeds stay those of earlier runs.
    cond_rng = np.random.default_rng(8)
    te, den = session(fp32["text_encoder"]), session(fp32["denoiser"])
    cond = session(fp32["known_frames_denoiser"]) if "known_frames_denoiser" in fp32 else None
    feeds: dict[str, list[dict]] = {name: [] for name in fp32}
    for _ in range(n):
        ids = tok.encode(world.caption(world.sample_scene(rng), rng))[0][None]
        feeds["text_encoder"].append({"input_ids": ids})
        h = te.run(None, {"input_ids": ids})[0]
        x = lcm_clip(den, h, rng, feeds["denoiser"])
        feeds["vae_decoder"].append({"latent_sample": np.ascontiguousarray(x[0].transpose(1, 0, 2, 3))})
        if cond is not None:
            name, k = masks.sample_mask(cond_rng)
            known = masks.known_frames(name, k)
            # The known frames come from the clip just made: a continuation takes its last k frames first.
            z_known = np.roll(x, k, axis=2) if name == "continue" else x
            lcm_clip(cond, h, cond_rng, feeds["known_frames_denoiser"], known, z_known)
    return feeds


def fp16_compute(fp32: Path, dst: Path) -> None:
    """fp16 compute, float32 inputs and outputs (the converter inserts the Casts at the edges)."""
    m = convert_float_to_float16(onnx.load(str(fp32)), keep_io_types=True)
    # The converter can add the same Cast twice (once per consumer of a tensor kept in float32) under one name.
    nodes, seen = [], set()
    for n in m.graph.node:
        if n.op_type != "Cast" or tuple(n.output) not in seen:
            nodes.append(n)
        seen.add(tuple(n.output))
    del m.graph.node[:]
    m.graph.node.extend(nodes)
    onnx.save(m, str(dst))


def make_variants(fp32: Path, out: Path, feeds: list[dict]) -> dict[str, Path]:
    stem = fp32.name.removesuffix(".fp32.onnx")
    paths = {v: out / f"{stem}.{v}.onnx" for v in VARIANTS}
    paths["fp32"] = fp32
    fp16_compute(fp32, paths["fp16"])
    m = onnx.load(str(fp32))
    to_int8_weights(m)
    onnx.save(m, str(paths["int8w"]))
    # The quantizers want shapes inferred and constants folded (some MatMul weights are transposes of initializers).
    prepped = out / f"{stem}.prepped.onnx"
    quant_pre_process(str(fp32), str(prepped), skip_symbolic_shape=True)  # it fails on 3D convs
    m = onnx.load(str(prepped))
    del m.graph.value_info[:]  # some shapes the exporter recorded contradict ONNX's own inference
    onnx.save(m, str(prepped))
    quantize_dynamic(prepped, paths["int8dyn"], per_channel=False, weight_type=QuantType.QInt8)
    quantize_static(prepped, paths["int8qdq"], Feeds(feeds), quant_format=QuantFormat.QDQ, per_channel=True,
                    op_types_to_quantize=["Conv", "MatMul", "Gemm"],
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
    prepped.unlink()
    for path in paths.values():  # the quantizers copy the exporter's node metadata (stack traces) along
        strip_file(path)
    return paths


def _run(path: Path, feed: dict, q) -> None:
    try:
        q.put(session(path).run(None, feed)[0])
    except Exception as e:  # noqa: BLE001 (reported by the parent)
        q.put(str(e).splitlines()[0][:200])


def run_isolated(path: Path, feed: dict) -> np.ndarray | str:
    """The output of `path` on `feed`, or why it failed, in a child process: onnxruntime's CPU provider crashes
    (SIGSEGV) on some graphs it has no kernels for, e.g. fp16 LayerNormalization. Spawned, not forked: a fork of a
    process with onnxruntime's thread pools can deadlock."""
    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_run, args=(path, feed, q))
    p.start()
    while p.is_alive() or not q.empty():  # read before joining: a large result blocks the child until read
        try:
            return q.get(timeout=1)
        except queue.Empty:
            pass
    return f"the process died (exit code {p.exitcode})"


def check(name: str, paths: dict[str, Path], feed: dict) -> dict[str, Path]:
    """Runs every variant on one calibration input; keeps those onnxruntime's CPU provider runs."""
    ref = session(paths["fp32"]).run(None, feed)[0]
    ok = {}
    for v, p in paths.items():
        y = run_isolated(p, feed)
        if isinstance(y, str):
            print(f"{name} {v}: onnxruntime CPU cannot run it: {y}")
            continue
        print(f"{name} {v}: {p.stat().st_size} bytes, max abs diff vs fp32 {np.abs(y - ref).max():.2e} (|y|max {np.abs(ref).max():.2f})")
        ok[v] = p
    return ok


def write_package(pkg_dir: Path, package: Path, manifest: dict, files: dict[str, Path]) -> None:
    """A copy of the package whose text encoder, Fast denoiser and decoder are `files` (others linked)."""
    if pkg_dir.exists():
        shutil.rmtree(pkg_dir)
    pkg_dir.mkdir(parents=True)
    for f in package.iterdir():
        if f.suffix in (".onnx", ".json") and f.name != "manifest.json":
            (pkg_dir / f.name).symlink_to(f.resolve())
    m = json.loads(json.dumps(manifest))
    for name, p in files.items():
        (pkg_dir / p.name).symlink_to(p.resolve())
        spec = {"file": p.name, "bytes": p.stat().st_size, "sha256": sha256(p)}
        if name in PRESET_DENOISERS:  # their own tensors, if declared (the package's denoiser takes known frames)
            tensors = {k: v for k, v in m["presets"]["fast"][name].items() if k in ("inputs", "outputs")}
            m["presets"]["fast"][name] = {**spec, **tensors}
        else:
            m["components"][name].pop("variants", None)
            m["components"][name].update(spec)
    (pkg_dir / "manifest.json").write_text(json.dumps(m, indent=1) + "\n")


def fp32_spec(spec: dict) -> dict:
    """The component's shipped file: its `fp32` variant once --ship has run, else the component itself."""
    return spec["variants"]["fp32"] if "variants" in spec else spec


def ship(package: Path, manifest: dict, name: str, file: Path, variant: str) -> None:
    """Adds `file` to the package as the `int8` variant of the Fast preset's denoiser `name` and rewrites the
    manifest."""
    dst = package / file.name.replace(f".{variant}.onnx", ".int8.onnx")
    shutil.copyfile(file, dst)
    c = manifest["presets"]["fast"][name]
    fp32 = c["variants"]["fp32"] if "variants" in c else {k: c.pop(k) for k in ("file", "bytes", "sha256")}
    c["variants"] = {"fp32": fp32, "int8": {"file": dst.name, "bytes": dst.stat().st_size, "sha256": sha256(dst)}}
    (package / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"shipped {dst} as the int8 variant of the Fast preset's {name}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--package", type=Path, default=Path("public/models/kineto-shapes"))
    ap.add_argument("--out", type=Path, default=Path("training/runs/quantized"))
    ap.add_argument("--calibration-clips", type=int, default=16)
    ap.add_argument("--ship", choices=["int8qdq"], help="add this variant of the Fast denoisers to --package as their int8 variants")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((args.package / "manifest.json").read_text())
    fast = manifest["presets"]["fast"]
    shipped = {"text_encoder": fp32_spec(manifest["components"]["text_encoder"])["file"],
               **{name: fp32_spec(fast[name])["file"] for name in PRESET_DENOISERS if name in fast},
               "vae_decoder": fp32_spec(manifest["components"]["vae_decoder"])["file"]}
    fp32 = {}
    for name, file in shipped.items():
        fp32[name] = args.out / file.replace(".onnx", ".fp32.onnx")
        float32_weights(args.package / file, fp32[name])
    feeds = calibration_feeds(fp32, Tokenizer(manifest["vocabulary"]), args.calibration_clips)
    runnable = {}
    for name in shipped:
        runnable[name] = check(name, make_variants(fp32[name], args.out, feeds[name]), feeds[name][-1])
    for v in VARIANTS:
        files = {n: r[v] for n, r in runnable.items() if v in r}
        if "denoiser" in files:
            write_package(args.out / f"pkg-{v}", args.package, manifest, files)
            print(f"package {args.out / f'pkg-{v}'}: {', '.join(files)} in {v}, the rest as shipped")
    if args.ship:
        for name in PRESET_DENOISERS:
            if "int8" in fast.get(name, {}).get("variants", {}):
                print(f"the Fast preset's {name} keeps the int8 variant it ships (the model card's scores are its)")
            elif name in runnable:
                ship(args.package, manifest, name, runnable[name][args.ship], args.ship)


if __name__ == "__main__":
    main()
