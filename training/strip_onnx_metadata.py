"""Strips build-machine metadata (onnx_meta.py) from a package's ONNX files in place and proves nothing else changed.

    python training/strip_onnx_metadata.py --package public/models/kineto-shapes

For each file: run it in onnxruntime (CPU, one thread) on seeded inputs, strip, run the stripped model on the same
inputs, and require every output to be bit-identical before the file is replaced. Then every manifest entry naming a
changed file gets its new `bytes` and `sha256`. Prints the bytes saved per file.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

from export import sha256
from onnx_meta import strip_build_metadata


def feeds(sess: ort.InferenceSession, seed: int = 0) -> dict[str, np.ndarray]:
    """Seeded inputs for any of the package's graphs: free dimensions are 2 (batch) or 16 (frames)."""
    rng = np.random.default_rng(seed)
    out = {}
    for i in sess.get_inputs():
        shape = [d if isinstance(d, int) else 16 if "frames" in str(d) else 2 for d in i.shape]
        if i.type == "tensor(int64)":
            out[i.name] = rng.integers(0, 70, shape).astype(np.int64)
        elif i.name == "timestep":
            out[i.name] = rng.uniform(0, 999, shape).astype(np.float32)
        else:
            out[i.name] = rng.standard_normal(shape).astype(np.float32)
    return out


def run(model: bytes, inputs: dict | None = None) -> tuple[dict, list[np.ndarray]]:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])
    inputs = inputs if inputs is not None else feeds(sess)
    return inputs, sess.run(None, inputs)


def identical(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return len(a) == len(b) and all(x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes()
                                    for x, y in zip(a, b))


def strip_in_place(path: Path) -> int:
    """Bytes saved (0 when there was nothing to strip); raises if the outputs would change."""
    before = path.read_bytes()
    model = onnx.load_from_string(before)
    if not strip_build_metadata(model):
        return 0
    after = model.SerializeToString()
    inputs, y0 = run(before)
    _, y0_again = run(before, inputs)
    _, y1 = run(after, inputs)
    if not identical(y0, y0_again):
        raise SystemExit(f"{path}: onnxruntime is not deterministic here, cannot compare")
    if not identical(y0, y1):
        raise SystemExit(f"{path}: outputs changed after stripping; file left as it was")
    tmp = path.with_suffix(".onnx.tmp")
    tmp.write_bytes(after)
    tmp.replace(path)
    print(f"{path.name}: {len(before)} → {len(after)} bytes (−{len(before) - len(after)}), "
          f"outputs bit-identical on {', '.join(f'{k} {list(v.shape)}' for k, v in inputs.items())}")
    return len(before) - len(after)


def update_manifest(manifest: Path, changed: set[str]) -> None:
    """Every entry {"file": f, "bytes", "sha256"} with f changed gets the file's new size and digest."""
    def walk(x):
        if isinstance(x, dict):
            if x.get("file") in changed and "sha256" in x:
                f = manifest.parent / x["file"]
                x["bytes"], x["sha256"] = f.stat().st_size, sha256(f)
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    m = json.loads(manifest.read_text())
    walk(m)
    manifest.write_text(json.dumps(m, indent=1) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--package", type=Path, default=Path("public/models/kineto-shapes"))
    args = ap.parse_args()
    changed = set()
    for path in sorted(args.package.glob("*.onnx")):
        if strip_in_place(path):
            changed.add(path.name)
        else:
            print(f"{path.name}: nothing to strip")
    if changed and (args.package / "manifest.json").exists():
        update_manifest(args.package / "manifest.json", changed)
        print(f"manifest.json: bytes and sha256 of {len(changed)} files updated")


if __name__ == "__main__":
    main()
