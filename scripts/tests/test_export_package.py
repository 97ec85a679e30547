"""A package with external data (the form a full-size UNet takes past protobuf's 2 GB), forced here on the tiny
SD-Turbo model: every component becomes model.onnx + model.onnx_data, the manifest lists the data file with its
exact size and sha256, and onnxruntime gives the same output as the committed single-file export of the same
weights (tests/fixtures/hub-real/sd-turbo). Dev-only (the venv of training/requirements.txt
plus diffusers and transformers): training/.venv/bin/python -m unittest discover -s scripts/tests
"""

import hashlib
import json
import pathlib
import sys
import tempfile
import unittest

import numpy as np
import onnx
import onnxruntime as ort
import torch

SCRIPTS = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(SCRIPTS))

from kineto_export import onnx_export  # noqa: E402
from kineto_export.folder import read_folder  # noqa: E402
from kineto_export.package import Options, export_package  # noqa: E402
from real_fixtures import tiny_models  # noqa: E402

COMMITTED = SCRIPTS.parent / "tests" / "fixtures" / "hub-real" / "sd-turbo"


class ExternalData(unittest.TestCase):
    def test_external_data_package(self):
        torch.set_num_threads(1)
        with tempfile.TemporaryDirectory() as tmp:
            src = tiny_models.make_all(pathlib.Path(tmp) / "src")["sd-turbo"]
            out = pathlib.Path(tmp) / "pkg"
            m = export_package(read_folder(src), out, Options(id="x", name="X", license="CC0-1.0", precisions=("fp32",),
                                                               frames=4, external_above=1, log=lambda s: None))
            on_disk = json.loads((out / "manifest.json").read_text())
            self.assertEqual(m, on_disk)
            for name, c in m["components"].items():
                (x,) = c["external_data"]
                data = out / pathlib.Path(c["file"]).parent / x["path"]
                self.assertEqual(x["path"], "model.onnx_data", name)
                self.assertEqual((data.stat().st_size, hashlib.sha256(data.read_bytes()).hexdigest()), (x["bytes"], x["sha256"]))
                graph = onnx.load(str(out / c["file"]), load_external_data=False)
                inside = [t.name for t in graph.graph.initializer if t.data_location != onnx.TensorProto.EXTERNAL and len(t.raw_data) >= 1024]
                self.assertEqual(inside, [], f"{name}: every weight of 1 KB or more is in the data file")
            feeds = {"sample": np.random.RandomState(0).randn(2, 4, 8, 8).astype(np.float32),
                     "timestep": np.array([500], dtype=np.int64),
                     "encoder_hidden_states": np.random.RandomState(1).randn(2, 77, 32).astype(np.float32)}
            external = ort.InferenceSession(str(out / "unet" / "model.onnx")).run(None, feeds)[0]
            single = ort.InferenceSession(str(COMMITTED / "unet" / "model-fp32.onnx")).run(None, feeds)[0]
            np.testing.assert_array_equal(external, single)

    def test_fp32_variant_stays_fp32_when_fp16_converts_in_place(self):
        """At full size to_fp16 converts the model in place (no shape inference copy) right after the fp32 file was
        saved with external data; both forced here on the tiny model. The fp32 file must still hold float32 weights (it
        once came out as a second fp16 copy), the fp16 one must be made at all (saving once left the model pointing
        at the data file), and onnxruntime must accept it (without shape inference Resize got float16 scales)."""
        torch.set_num_threads(1)
        limit = onnx_export.PROTOBUF_LIMIT
        onnx_export.PROTOBUF_LIMIT = 1
        try:
            with tempfile.TemporaryDirectory() as tmp:
                src = tiny_models.make_all(pathlib.Path(tmp) / "src")["sd-turbo"]
                out = pathlib.Path(tmp) / "pkg"
                m = export_package(read_folder(src), out, Options(id="x", name="X", license="CC0-1.0", frames=4,
                                                                   external_above=1, log=lambda s: None))
                variants = m["components"]["denoiser"]["variants"]
                types = {p: {t.data_type for t in onnx.load(str(out / v["file"])).graph.initializer if len(t.raw_data) >= 1024}
                         for p, v in variants.items()}
                self.assertEqual(types, {"fp32": {onnx.TensorProto.FLOAT}, "fp16": {onnx.TensorProto.FLOAT16}})
                # and both are valid models (fp16 once fed float16 scales to Resize)
                for v in variants.values():
                    ort.InferenceSession(str(out / v["file"]))
        finally:
            onnx_export.PROTOBUF_LIMIT = limit


if __name__ == "__main__":
    unittest.main()
