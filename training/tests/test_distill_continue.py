"""distill_continue.py and export_continue.py --student end to end on a tiny scale, through their command lines: a
teacher seeded from the shipped checkpoint by train_continue's seeding, 8 long clips of 32 frames, 3 distillation
steps in one go against 2 + a resume (the same weights, bit for bit), then the student exported as the Fast preset
beside a copy of the package manifest. Dev-only, a few minutes on two busy cores:

    training/.venv/bin/python -m unittest discover -s training/tests
"""

import json
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import torch

TRAINING = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TRAINING))

import masks  # noqa: E402
from export_continue import DENOISER_INPUTS  # noqa: E402
from train_continue import build_long_dataset, seed_from_portable  # noqa: E402

PACKAGE = TRAINING.parent / "public" / "models" / "kineto-shapes"


def script(name: str, *args: object) -> str:
    done = subprocess.run([sys.executable, str(TRAINING / name), *map(str, args)], capture_output=True, text=True)
    if done.returncode:
        raise AssertionError(f"{name} failed:\n{done.stderr[-3000:]}")
    return done.stdout


class DistilContinue(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(2)
        cls.tmp = Path(tempfile.mkdtemp())
        teacher = cls.tmp / "continue"
        teacher.mkdir()
        seed_from_portable(teacher, TRAINING / "checkpoints" / "kineto-shapes-21500.pt")
        build_long_dataset(teacher, 8, 32, 0)
        cls.straight, cls.resumed = cls.tmp / "straight", cls.tmp / "resumed"
        common = ("--teacher", teacher / "denoiser.pt", "--batch", 2)
        script("distill_continue.py", "--run", cls.straight, "--steps", 3, *common)
        script("distill_continue.py", "--run", cls.resumed, "--steps", 2, "--snapshot-every", 2, *common)
        script("distill_continue.py", "--run", cls.resumed, "--steps", 3, *common)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_a_resumed_run_is_the_same_run(self):
        a, b = (torch.load(r / "denoiser.pt", weights_only=False) for r in (self.straight, self.resumed))
        self.assertEqual((a["step"], b["step"]), (3, 3))
        self.assertEqual(a["rng"], b["rng"])
        for k in ("den", "ema_den"):
            for name, w in a[k].items():
                self.assertTrue(torch.equal(w, b[k][name]), f"{k}.{name}")
        self.assertTrue((self.resumed / "denoiser-000002.pt").exists())
        self.assertIn("resumed at step 2", (self.resumed / "log.txt").read_text())
        teacher = torch.load(self.straight / "teacher.pt", weights_only=False)["ema_den"]
        self.assertFalse(torch.equal(a["den"]["inp.weight"], teacher["inp.weight"]), "the student learned nothing")

    def test_export_as_the_fast_presets_denoiser_for_known_frames(self):
        pkg = self.tmp / "pkg"
        pkg.mkdir()
        before = json.loads((PACKAGE / "manifest.json").read_text())
        shutil.copyfile(PACKAGE / "manifest.json", pkg / "manifest.json")
        out = script("export_continue.py", "--run", self.straight, "--out", pkg, "--student", "denoiser-fast-cond.onnx")
        diff = float(re.search(r"denoiser-fast-cond\.onnx: .* max abs diff vs torch fp32 (\S+)", out).group(1))
        self.assertLess(diff, 1e-2, "onnxruntime (fp16-stored weights) against torch fp32")
        m = json.loads((pkg / "manifest.json").read_text())
        fast = m["presets"]["fast"]
        self.assertEqual((fast["scheduler"], fast["steps"], fast["guidance_scale"]), ("lcm", 4, 1))
        known = fast["known_frames_denoiser"]
        self.assertEqual(known["file"], "denoiser-fast-cond.onnx")
        self.assertEqual([t["name"] for t in known["inputs"]], DENOISER_INPUTS)
        self.assertEqual(known["bytes"], (pkg / "denoiser-fast-cond.onnx").stat().st_size)
        self.assertEqual(fast["denoiser"], before["presets"]["fast"]["denoiser"], "clips from text keep their student")
        self.assertEqual(m["presets"]["quality"], before["presets"]["quality"])
        self.assertEqual(m["components"], before["components"])
        self.assertEqual(m["conditioning"], {"masks": list(masks.MASKS), "continue_max_known": masks.CONTINUE_MAX})


if __name__ == "__main__":
    unittest.main()
