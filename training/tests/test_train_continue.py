"""train_continue.py's options for a second fine-tune: seeding from a continuation run's checkpoint, and
`--motion-share`, which draws that share of the windows from segments of the named motions. Dev-only:

    training/.venv/bin/python -m unittest discover -s training/tests
"""

import shutil
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

TRAINING = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TRAINING))

from train_continue import build_long_dataset, load_long_dataset, parse_motion_share, seed_from_portable  # noqa: E402


class MotionShare(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(2)
        cls.tmp = Path(tempfile.mkdtemp())
        cls.first = cls.tmp / "continue"
        cls.first.mkdir()
        seed_from_portable(cls.first, TRAINING / "checkpoints" / "kineto-shapes-21500.pt")
        build_long_dataset(cls.first, 24, 48, 0)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def share_of(self, motions: dict[str, float], motion: str) -> float:
        _, scenes, windows = load_long_dataset(self.first, motions)
        rng = np.random.default_rng(1)
        picks = [windows.pick(rng, "none", 0) for _ in range(4000)]
        return np.mean([scenes[i].segment_at(a).motion == motion for i, a in picks])

    def test_the_named_motion_is_drawn_at_least_its_share(self):
        base = self.share_of({}, "spinning")
        boosted = self.share_of({"spinning": 0.5}, "spinning")
        self.assertLess(base, 0.3)
        # Its own 50 % plus its base share of the other half.
        self.assertAlmostEqual(boosted, 0.5 + 0.5 * base, delta=0.04)

    def test_bad_shares_are_refused(self):
        self.assertEqual(parse_motion_share("spinning=0.35,still=0.15"), {"spinning": 0.35, "still": 0.15})
        for bad in ("twirling=0.3", "spinning=0.8,still=0.3"):
            with self.assertRaises(SystemExit):
                parse_motion_share(bad)

    def test_a_second_fine_tune_starts_from_a_continuation_checkpoint(self):
        second = self.tmp / "second"
        second.mkdir()
        seed_from_portable(second, self.first / "denoiser.pt")
        a, b = (torch.load(r / "denoiser.pt", weights_only=False) for r in (self.first, second))
        self.assertEqual(b["step"], 0)
        self.assertIsNone(b["opt"])
        for name, w in a["ema_den"].items():
            self.assertTrue(torch.equal(w, b["den"][name]), name)
        self.assertEqual((second / "ae.pt").read_bytes(), (self.first / "ae.pt").read_bytes())


if __name__ == "__main__":
    unittest.main()
