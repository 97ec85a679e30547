"""The model families Kineto runs, by the diffusers classes a folder's components are instances of.

- SD-Turbo-like (Stable Diffusion 2.x image models): UNet2DConditionModel + CLIPTextModel + AutoencoderKL, made
  into clips by Text2Video-Zero (pipeline `text2video-zero`, latents [B, C, H, W]).
- ModelScope-like (text-to-video-ms-1.7b): UNet3DConditionModel + CLIPTextModel + AutoencoderKL, frames denoised
  jointly (pipeline `text-to-video`, latents [B, C, F, H, W]).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    key: str
    unet_class: str
    pipeline: str
    layout: str
    # input_ids dtype of the text encoder export: int32 as in the public ORT-web SD-Turbo files, int64 otherwise
    ids_dtype: str
    # symbolic name of the denoiser's batch dimension (the public exports' names)
    batch: str
    frames: int
    fps: int
    steps: int
    guidance: float


FAMILIES = {
    "UNet2DConditionModel": Family("sd-turbo", "UNet2DConditionModel", "text2video-zero", "BCHW", "int32", "batch_size",
                                   frames=8, fps=4, steps=4, guidance=1.0),
    "UNet3DConditionModel": Family("modelscope", "UNet3DConditionModel", "text-to-video", "BCFHW", "int64", "batch",
                                   frames=16, fps=8, steps=25, guidance=9.0),
}

TEXT_ENCODER_CLASSES = ("CLIPTextModel",)
VAE_CLASSES = ("AutoencoderKL",)

# diffusers scheduler class → Kineto sampler name (engine/schedulers/)
SCHEDULERS = {
    "EulerDiscreteScheduler": "euler",
    "DDIMScheduler": "ddim",
    "DPMSolverMultistepScheduler": "dpm-solver++",
    "LCMScheduler": "lcm",
}
BETA_SCHEDULES = ("linear", "scaled_linear", "squaredcos_cap_v2")
PREDICTION_TYPES = ("epsilon", "v_prediction", "sample")
TIMESTEP_SPACINGS = ("leading", "trailing", "linspace")
