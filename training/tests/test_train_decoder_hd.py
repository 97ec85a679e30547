"""train_decoder_hd.py and the world drawn at twice the size. Dev-only:

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

import models  # noqa: E402
import world  # noqa: E402
from train_decoder_hd import start_from, train  # noqa: E402


class WorldAtTwiceTheSize(unittest.TestCase):
    def test_the_same_clip_on_a_finer_grid(self):
        rng = np.random.default_rng(3)
        for scene in [world.sample_scene(rng) for _ in range(8)]:
            low, high = world.render(scene), world.render(scene, 2)
            self.assertEqual(high.shape, (world.FRAMES, 2 * world.SIZE, 2 * world.SIZE, 3))
            # Averaged back over 2×2 pixels it is the 64-px clip, to within rounding and the gradients' finer steps.
            pooled = high.reshape(world.FRAMES, world.SIZE, 2, world.SIZE, 2, 3).astype(np.float32).mean((2, 4))
            self.assertLess(np.abs(pooled - low).mean(), 1.0)


class DecoderHD(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(2)
        cls.tmp = Path(tempfile.mkdtemp())
        # An untrained autoencoder stands in for a run's ae.pt: only the decoder's training is under test.
        enc, dec = models.Encoder(), models.Decoder()
        dec.mean.fill_(0.5)
        dec.std.fill_(2.0)
        cls.ae = cls.tmp / "ae.pt"
        torch.save({"encoder": enc.state_dict(), "decoder": dec.state_dict()}, cls.ae)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def weights(self, run: Path) -> dict:
        return torch.load(run / "decoder-hd.pt", weights_only=False)["decoder"]

    def test_stopped_and_resumed_ends_where_one_run_does(self):
        torch.manual_seed(0)
        train(self.ae, self.tmp / "straight", 6, 3, 0)
        torch.manual_seed(0)
        self.assertIsNone(train(self.ae, self.tmp / "resumed", 6, 2, 0, budget=3))
        self.assertIsNotNone(train(self.ae, self.tmp / "resumed", 6, 2, 0))
        a, b = self.weights(self.tmp / "straight"), self.weights(self.tmp / "resumed")
        for k in a:
            self.assertTrue(torch.equal(a[k], b[k]), k)

    def test_starts_from_the_shipped_decoder_and_draws_128_px_from_16_px_latents(self):
        dec64 = models.load_autoencoder(self.ae)[1]
        for head in ("subpixel", "upsample"):
            dec = start_from(dec64, head)
            self.assertTrue(torch.all(dec.mean == 0.5) and torch.all(dec.std == 2.0))
            for i in (0, 2, 5, 8):  # every layer before the last 2× stage, as the 64-px decoder has it
                self.assertTrue(torch.equal(dec.net[i].weight, dec64.net[i].weight), (head, i))
            self.assertEqual(tuple(dec(torch.zeros(2, models.LATENT_CHANNELS, 16, 16)).shape), (2, 3, 128, 128))

    def test_a_subpixel_head_starts_as_the_64_px_decoder_with_each_pixel_doubled(self):
        dec64 = models.load_autoencoder(self.ae)[1]
        z = torch.randn(2, models.LATENT_CHANNELS, 16, 16)
        with torch.no_grad():
            doubled = torch.nn.functional.interpolate(dec64(z), scale_factor=2, mode="nearest")
            self.assertLess((start_from(dec64, "subpixel")(z) - doubled).abs().max().item(), 1e-6)

if __name__ == "__main__":
    unittest.main()
