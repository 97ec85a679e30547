"""The real classes of the two Hub families at their published configurations, shrunk in width (and in depth where
a published depth would only multiply the file size), with random weights from fixed seeds, saved with
save_pretrained as a diffusers-format folder — the same layout a user's download has.

Published configs shrunk here: SD-Turbo = Stable Diffusion 2.1's UNet2DConditionModel (CrossAttnDownBlock2D ×3 +
DownBlock2D, linear proj_in/out, 2 layers per block), OpenCLIP ViT-H as CLIPTextModel (GELU), SD's AutoencoderKL (4
levels, ×8); ModelScope text-to-video-ms-1.7b = UNet3DConditionModel (CrossAttnDownBlock3D ×3 + DownBlock3D, temporal
convolutions and attention) with the same text encoder and VAE. Widths: 8…16 channels instead of 320…1280, text width
32 instead of 1024, 2 text layers instead of 23; latents 8×8 (64×64 pixels).
"""

import json
import pathlib

import torch

TOKENIZER = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "hub" / "sd-turbo" / "tokenizer.json"
TEXT_DIM = 32
LATENT = 8

SCHEDULER_SD_TURBO = {  # stabilityai/sd-turbo scheduler/scheduler_config.json
    "_class_name": "EulerDiscreteScheduler", "beta_end": 0.012, "beta_schedule": "scaled_linear", "beta_start": 0.00085,
    "clip_sample": False, "interpolation_type": "linear", "num_train_timesteps": 1000, "prediction_type": "epsilon",
    "set_alpha_to_one": False, "skip_prk_steps": True, "steps_offset": 1, "timestep_spacing": "trailing",
    "trained_betas": None, "use_karras_sigmas": False,
}
SCHEDULER_MODELSCOPE = {  # ali-vilab/text-to-video-ms-1.7b scheduler/scheduler_config.json
    "_class_name": "DDIMScheduler", "beta_end": 0.012, "beta_schedule": "scaled_linear", "beta_start": 0.00085,
    "clip_sample": False, "num_train_timesteps": 1000, "prediction_type": "epsilon", "set_alpha_to_one": False,
    "skip_prk_steps": True, "steps_offset": 1, "timestep_spacing": "leading", "trained_betas": None,
}


def tokenizer():
    from transformers import CLIPTokenizerFast
    # SD 2.x tokenizers pad with "!" (id 0), not <|endoftext|>
    return CLIPTokenizerFast(tokenizer_file=str(TOKENIZER), bos_token="<|startoftext|>", eos_token="<|endoftext|>",
                             unk_token="<|endoftext|>", pad_token="!", model_max_length=77)


def text_encoder(seed: int, vocab: int):
    from transformers import CLIPTextConfig, CLIPTextModel
    torch.manual_seed(seed)
    cfg = CLIPTextConfig(vocab_size=vocab, hidden_size=TEXT_DIM, intermediate_size=4 * TEXT_DIM, num_hidden_layers=2,
                         num_attention_heads=4, max_position_embeddings=77, hidden_act="gelu", projection_dim=TEXT_DIM,
                         bos_token_id=vocab - 2, eos_token_id=vocab - 1, pad_token_id=0)
    return CLIPTextModel(cfg).eval()


def vae(seed: int):
    from diffusers import AutoencoderKL
    torch.manual_seed(seed)
    m = AutoencoderKL(in_channels=3, out_channels=3, latent_channels=4, block_out_channels=(8, 8, 16, 16),
                      down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4,
                      layers_per_block=2, norm_num_groups=4, sample_size=LATENT * 8, scaling_factor=0.18215)
    with torch.no_grad():  # frames with spread (std ≈ 0.5 in [-1, 1]), so 2/255 differences are visible
        m.decoder.conv_out.weight.mul_(1.5)
        m.decoder.conv_out.bias.zero_()
    return m.eval()


def liven(unet):
    """Default initialisation gives ε̂ a spread of 0.28 and attention that barely moves it (cross-frame attention
    changed ε̂ by 0.008): a comparison would then pass with attention wrong. Scaled, ε̂ has unit spread and cross-frame
    attention changes it by about 0.1 (measured with diffusers' CrossFrameAttnProcessor2_0)."""
    with torch.no_grad():
        unet.conv_out.weight.mul_(3.5)
        for name, module in unet.named_modules():
            if name.endswith(("attn1.to_out.0", "attn2.to_out.0")):
                module.weight.mul_(3.0)
    return unet


def unet2d(seed: int):
    from diffusers import UNet2DConditionModel
    torch.manual_seed(seed)
    return liven(UNet2DConditionModel(
        sample_size=LATENT, in_channels=4, out_channels=4, layers_per_block=2, block_out_channels=(8, 8, 16, 16),
        down_block_types=("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"),
        attention_head_dim=(2, 2, 4, 4), cross_attention_dim=TEXT_DIM, use_linear_projection=True, norm_num_groups=4,
        act_fn="silu", flip_sin_to_cos=True, freq_shift=0)).eval()


def unet3d(seed: int):
    from diffusers import UNet3DConditionModel
    torch.manual_seed(seed)
    return liven(UNet3DConditionModel(
        sample_size=LATENT, in_channels=4, out_channels=4, layers_per_block=2, block_out_channels=(8, 8, 16, 16),
        down_block_types=("CrossAttnDownBlock3D", "CrossAttnDownBlock3D", "CrossAttnDownBlock3D", "DownBlock3D"),
        up_block_types=("UpBlock3D", "CrossAttnUpBlock3D", "CrossAttnUpBlock3D", "CrossAttnUpBlock3D"),
        attention_head_dim=4, cross_attention_dim=TEXT_DIM, norm_num_groups=4)).eval()


def save_folder(root: pathlib.Path, pipeline: str, unet, text, tok, vae_model, scheduler: dict, card_license: str) -> pathlib.Path:
    """The whole pipeline saved with save_pretrained (model_index.json and one folder per component), as on the Hub."""
    import diffusers
    sched = getattr(diffusers, scheduler["_class_name"]).from_config(scheduler)
    extra = {"safety_checker": None, "feature_extractor": None, "requires_safety_checker": False} if pipeline == "StableDiffusionPipeline" else {}
    pipe = getattr(diffusers, pipeline)(vae=vae_model, text_encoder=text, tokenizer=tok, unet=unet, scheduler=sched, **extra)
    pipe.save_pretrained(root)
    (root / "scheduler" / "scheduler_config.json").write_text(json.dumps(scheduler, indent=2))  # the Hub file as published
    (root / "README.md").write_text(f"---\nlicense: {card_license}\n---\nTiny random-weight model for Kineto's tests.\n")
    return root


def make_all(base: pathlib.Path) -> dict[str, pathlib.Path]:
    tok = tokenizer()
    vocab = len(tok)
    return {
        "sd-turbo": save_folder(base / "sd-turbo", "StableDiffusionPipeline", unet2d(1), text_encoder(2, vocab), tok, vae(3),
                                SCHEDULER_SD_TURBO, "cc0-1.0"),
        "modelscope": save_folder(base / "modelscope", "TextToVideoSDPipeline", unet3d(4), text_encoder(5, vocab), tok, vae(6),
                                  SCHEDULER_MODELSCOPE, "cc0-1.0"),
    }
