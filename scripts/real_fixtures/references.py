"""Reference clips from diffusers' own pipelines on the tiny models, from Kineto's seeded noise.

- StableDiffusionPipeline: one SD-Turbo frame (Euler, trailing spacing, no guidance) — what Kineto's Text2Video-Zero
  gives frame 0, which follows the plain image trajectory.
- TextToVideoZeroPipeline: an SD-Turbo clip with its CrossFrameAttnProcessor2_0, DDIM, guidance > 1 (diffusers'
  processor assumes a guidance batch of 2). Kineto's (warp_after_steps a, renoise_to_step b) are diffusers'
  (t0, t1) = (N − 1 − a, N − 1 − b); diffusers' motion_field_strength s (pixels of a 512² grid, nearest sampling
  with reflection) is a whole latent-pixel shift of −s·h/512 in Kineto's sign convention with fill "reflect".
  diffusers' forward_loop multiplies alphas[t0:t1], i.e. ᾱ_{t1−1}/ᾱ_{t0−1}; the DDPM forward process from t0 to
  t1 is ᾱ_{t1}/ᾱ_{t0} (what Kineto does). Both are recorded: `t2vz` with the exact ratio, `t2vz_diffusers_ratio`
  with diffusers' own, so the size of that one-index difference is measured, not guessed.
- TextToVideoSDPipeline: a ModelScope clip (DDIM, leading spacing, guidance 9).
Frames are diffusers' own uint8 output: round(255 · clamp(x/2 + 0.5)).
"""

import pathlib
import subprocess

import numpy as np
import torch

ROOT = pathlib.Path(__file__).resolve().parents[2]


def kineto_noise(seed: int, count: int) -> np.ndarray:
    out = subprocess.run(["npx", "tsx", "scripts/real_fixtures/noise.ts", str(seed), str(count)], cwd=ROOT,
                         check=True, capture_output=True).stdout
    a = np.frombuffer(out, dtype="<f4")
    assert a.size == count, (a.size, count)
    return a.copy()


def to_uint8(frames: np.ndarray) -> np.ndarray:
    """[F, H, W, 3] floats in [0, 1] → uint8 as diffusers' numpy_to_pil does."""
    return (np.clip(frames, 0, 1) * 255).round().astype(np.uint8)


def sd_frame(folder: pathlib.Path, case: dict) -> np.ndarray:
    from diffusers import StableDiffusionPipeline
    pipe = StableDiffusionPipeline.from_pretrained(str(folder), safety_checker=None, feature_extractor=None,
                                                   requires_safety_checker=False)
    h = pipe.unet.config.sample_size
    x = torch.from_numpy(kineto_noise(case["seed"], 4 * h * h)).reshape(1, 4, h, h)
    out = pipe(case["prompt"], num_inference_steps=case["steps"], guidance_scale=case["guidance_scale"], latents=x,
               output_type="np").images
    return to_uint8(out)


def t2v_zero(folder: pathlib.Path, case: dict, exact_ratio: bool) -> np.ndarray:
    from diffusers import DDIMScheduler, TextToVideoZeroPipeline
    from diffusers.pipelines.deprecated.text_to_video_synthesis import pipeline_text_to_video_zero as mod
    pipe = TextToVideoZeroPipeline.from_pretrained(str(folder), safety_checker=None, feature_extractor=None,
                                                   requires_safety_checker=False)
    pipe.scheduler = DDIMScheduler.from_config(pipe.scheduler.config)
    h = pipe.unet.config.sample_size
    plane = 4 * h * h
    frames = case["frames"]
    stream = torch.from_numpy(kineto_noise(case["seed"], frames * plane))
    n, a, b = case["steps"], case["warp_after_steps"], case["renoise_to_step"]
    original = mod.randn_tensor

    def eps(shape, **_):  # forward_loop's only draw: z¹ … z^{F−1}, after x_T¹ in Kineto's stream
        assert tuple(shape) == (frames - 1, 4, h, h), shape
        return stream[plane:].reshape(shape).clone()

    original_forward = mod.TextToVideoZeroPipeline.forward_loop

    def exact_forward(self, x_t0, t0, t1, generator):
        ac = self.scheduler.alphas_cumprod
        ratio = ac[t1] / ac[t0]
        return torch.sqrt(ratio) * x_t0 + torch.sqrt(1 - ratio) * eps(x_t0.size())

    mod.randn_tensor = eps
    if exact_ratio:
        mod.TextToVideoZeroPipeline.forward_loop = exact_forward
    try:
        s = -case["motion"]["dx"] * 512 / h
        out = pipe(case["prompt"], video_length=frames, num_inference_steps=n, guidance_scale=case["guidance_scale"],
                   latents=stream[:plane].reshape(1, 4, h, h).clone(), motion_field_strength_x=s, motion_field_strength_y=0,
                   t0=n - 1 - a, t1=n - 1 - b, output_type="np").images
    finally:
        mod.randn_tensor = original
        mod.TextToVideoZeroPipeline.forward_loop = original_forward
    return to_uint8(np.asarray(out))


def modelscope(folder: pathlib.Path, case: dict) -> np.ndarray:
    from diffusers import TextToVideoSDPipeline
    pipe = TextToVideoSDPipeline.from_pretrained(str(folder))
    h = pipe.unet.config.sample_size
    f = case["frames"]
    x = torch.from_numpy(kineto_noise(case["seed"], 4 * f * h * h)).reshape(1, 4, f, h, h)
    out = pipe(case["prompt"], num_frames=f, num_inference_steps=case["steps"], guidance_scale=case["guidance_scale"],
               latents=x, output_type="np").frames
    return to_uint8(np.asarray(out)[0])
