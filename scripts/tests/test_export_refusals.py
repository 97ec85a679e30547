"""The export tool refuses bad diffusers folders with a message naming the file and field, and never leaves a half
package behind. Dev-only (needs torch, transformers, diffusers):

  training/.venv/bin/python -m unittest discover -s scripts/tests
"""

import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

import torch

SCRIPTS = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(SCRIPTS))

from kineto_export.errors import ExportError  # noqa: E402
from kineto_export.folder import read_folder  # noqa: E402
from kineto_export.package import Options, export_package  # noqa: E402
from real_fixtures import tiny_models  # noqa: E402


class Refusals(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)
        cls.tmp = pathlib.Path(tempfile.mkdtemp())
        cls.good = tiny_models.make_all(cls.tmp / "good")["sd-turbo"]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def copy(self) -> pathlib.Path:
        dest = pathlib.Path(tempfile.mkdtemp(dir=self.tmp)) / "model"
        shutil.copytree(self.good, dest)
        return dest

    def edit_json(self, path: pathlib.Path, **changes):
        data = json.loads(path.read_text())
        data.update(changes)
        path.write_text(json.dumps(data))

    def refused(self, folder: pathlib.Path, file: str, field: str | None, words: str) -> None:
        out = folder.parent / "out"
        with self.assertRaises(ExportError) as cm:
            export_package(read_folder(folder), out, Options(id="x", name="X", license="CC0-1.0", log=lambda s: None))
        e = cm.exception
        self.assertEqual((e.file, e.field), (file, field), str(e))
        self.assertIn(words, str(e))
        self.assertFalse(out.exists(), "no package may be written")
        self.assertEqual([p.name for p in folder.parent.iterdir() if p.name.startswith(".out.partial")], [], "temporary folder left behind")

    def test_missing_component(self):
        f = self.copy()
        shutil.rmtree(f / "vae")
        self.refused(f, "vae/", None, "missing: the folder needs unet/, text_encoder/, tokenizer/, vae/ and scheduler/")

    def test_unsupported_unet(self):
        f = self.copy()
        self.edit_json(f / "unet" / "config.json", _class_name="UNetSpatioTemporalConditionModel")
        self.refused(f, "unet/config.json", "_class_name", "'UNetSpatioTemporalConditionModel' is not supported")

    def test_unsupported_text_encoder(self):
        f = self.copy()
        self.edit_json(f / "text_encoder" / "config.json", architectures=["T5EncoderModel"])
        self.refused(f, "text_encoder/config.json", "architectures", "'T5EncoderModel' is not supported")

    def test_unsupported_scheduler(self):
        f = self.copy()
        self.edit_json(f / "scheduler" / "scheduler_config.json", _class_name="PNDMScheduler")
        self.refused(f, "scheduler/scheduler_config.json", "_class_name", "'PNDMScheduler' has no Kineto sampler")

    def test_unsupported_prediction_type(self):
        f = self.copy()
        self.edit_json(f / "scheduler" / "scheduler_config.json", prediction_type="flow")
        self.refused(f, "scheduler/scheduler_config.json", "prediction_type", "'flow' is not supported")

    def test_truncated_weights(self):
        f = self.copy()
        w = f / "unet" / "diffusion_pytorch_model.safetensors"
        w.write_bytes(w.read_bytes()[:-1000])
        self.refused(f, "unet/diffusion_pytorch_model.safetensors", "data_offsets", "truncated")

    def test_weights_of_another_size(self):
        # config.json says wider blocks than the weights have: fails on the first tensor that does not fit
        f = self.copy()
        self.edit_json(f / "unet" / "config.json", block_out_channels=[16, 16, 16, 16])
        self.refused(f, "unet/diffusion_pytorch_model.safetensors", "conv_in.weight", "has shape [8, 4, 3, 3] but unet/config.json implies [16, 4, 3, 3]")

    def test_text_width_differs_from_unet(self):
        f = self.copy()
        self.edit_json(f / "text_encoder" / "config.json", hidden_size=64)
        self.refused(f, "text_encoder/config.json", "hidden_size", "does not match unet/config.json cross_attention_dim 32")

    def test_existing_output_is_not_overwritten(self):
        f = self.copy()
        out = f.parent / "out"
        out.mkdir()
        (out / "keep.txt").write_text("mine")
        with self.assertRaises(ExportError) as cm:
            export_package(read_folder(f), out, Options(id="x", name="X", license="CC0-1.0", log=lambda s: None))
        self.assertIn("already exists", str(cm.exception))
        self.assertEqual((out / "keep.txt").read_text(), "mine")

    def test_command_line_exit_code_and_message(self):
        f = self.copy()
        (f / "tokenizer" / "tokenizer.json").unlink()
        for name in ("vocab.json", "merges.txt"):
            (f / "tokenizer" / name).unlink(missing_ok=True)
        r = subprocess.run([sys.executable, str(SCRIPTS / "export-model.py"), str(f), str(f.parent / "out"), "--id", "x", "--name", "X"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("export-model: tokenizer/: missing: needs tokenizer.json, or vocab.json and merges.txt", r.stderr)
        self.assertFalse((f.parent / "out").exists())


if __name__ == "__main__":
    unittest.main()
