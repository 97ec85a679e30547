"""Reads and checks a diffusers-format folder (what `save_pretrained` writes) before anything is exported.

Every refusal is an ExportError naming the file and the field: a missing component, a class Kineto has no pipeline
for, a scheduler it has no sampler for, weights whose sizes do not fit the component's config.json.
"""

import json
import pathlib
import struct
from dataclasses import dataclass

from .errors import ExportError
from .families import (BETA_SCHEDULES, FAMILIES, PREDICTION_TYPES, SCHEDULERS, TEXT_ENCODER_CLASSES,
                       TIMESTEP_SPACINGS, VAE_CLASSES, Family)

# weight file names save_pretrained writes, best first (an fp16 variant is cast back to fp32 for export)
WEIGHT_FILES = {
    "diffusers": ["diffusion_pytorch_model.safetensors", "diffusion_pytorch_model.fp16.safetensors", "diffusion_pytorch_model.bin"],
    "transformers": ["model.safetensors", "model.fp16.safetensors", "pytorch_model.bin"],
}


@dataclass
class Component:
    name: str
    folder: pathlib.Path
    config: dict
    class_name: str
    weights: pathlib.Path


@dataclass
class SourceFolder:
    root: pathlib.Path
    family: Family
    unet: Component
    text_encoder: Component
    vae: Component
    tokenizer: pathlib.Path
    scheduler: dict
    sampler: str


def rel(root: pathlib.Path, p: pathlib.Path) -> str:
    try:
        return str(p.relative_to(root))
    except ValueError:
        return str(p)


def read_json(root: pathlib.Path, path: pathlib.Path) -> dict:
    if not path.is_file():
        raise ExportError(rel(root, path), None, "missing (a diffusers folder has it; was the component saved with save_pretrained?)")
    try:
        data = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ExportError(rel(root, path), None, f"not valid JSON ({e})") from e
    if not isinstance(data, dict):
        raise ExportError(rel(root, path), None, "must hold a JSON object")
    return data


def component(root: pathlib.Path, name: str, library: str, classes: tuple[str, ...]) -> Component:
    folder = root / name
    if not folder.is_dir():
        raise ExportError(f"{name}/", None, "missing: the folder needs unet/, text_encoder/, tokenizer/, vae/ and scheduler/")
    config = read_json(root, folder / "config.json")
    if library == "transformers":
        archs = config.get("architectures") or []
        class_name = archs[0] if archs else None
        field = "architectures"
    else:
        class_name = config.get("_class_name")
        field = "_class_name"
    if class_name not in classes:
        raise ExportError(f"{name}/config.json", field, f"{class_name!r} is not supported; Kineto exports {', '.join(classes)}")
    for f in WEIGHT_FILES[library]:
        if (folder / f).is_file():
            return Component(name, folder, config, class_name, folder / f)
    raise ExportError(f"{name}/", None, f"no weights: expected one of {', '.join(WEIGHT_FILES[library])}")


def check_safetensors(root: pathlib.Path, path: pathlib.Path) -> None:
    """The header's tensors must exactly fill the file: a truncated or padded download fails here, by name."""
    if path.suffix != ".safetensors":
        return
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(8)
        if len(head) < 8:
            raise ExportError(rel(root, path), None, f"{size} bytes is too short for a safetensors file")
        (n,) = struct.unpack("<Q", head)
        if n > size - 8:
            raise ExportError(rel(root, path), "header", f"says {n} header bytes but the file has {size}")
        try:
            header = json.loads(f.read(n))
        except json.JSONDecodeError as e:
            raise ExportError(rel(root, path), "header", f"not valid JSON ({e})") from e
    end = max((t["data_offsets"][1] for k, t in header.items() if k != "__metadata__"), default=0)
    if 8 + n + end != size:
        raise ExportError(rel(root, path), "data_offsets",
                          f"the tensors need {8 + n + end} bytes but the file has {size} (truncated or wrong file?)")


def scheduler_config(root: pathlib.Path) -> tuple[dict, str]:
    path = root / "scheduler" / "scheduler_config.json"
    cfg = read_json(root, path)
    where = "scheduler/scheduler_config.json"
    cls = cfg.get("_class_name")
    if cls not in SCHEDULERS:
        raise ExportError(where, "_class_name", f"{cls!r} has no Kineto sampler; supported: {', '.join(SCHEDULERS)}")
    for field, allowed, default in (("beta_schedule", BETA_SCHEDULES, "linear"), ("prediction_type", PREDICTION_TYPES, "epsilon"),
                                    ("timestep_spacing", TIMESTEP_SPACINGS, "leading")):
        v = cfg.get(field, default)
        if v not in allowed:
            raise ExportError(where, field, f"{v!r} is not supported; one of {', '.join(allowed)}")
    for field in ("trained_betas",):
        if cfg.get(field) is not None:
            raise ExportError(where, field, "custom betas are not supported")
    if cfg.get("use_karras_sigmas"):
        raise ExportError(where, "use_karras_sigmas", "set the sampler to euler-karras in Kineto instead; the export keeps plain sigmas")
    return cfg, SCHEDULERS[cls]


def read_folder(root: pathlib.Path) -> SourceFolder:
    root = root.resolve()
    if not root.is_dir():
        raise ExportError(str(root), None, "not a folder")
    unet_cfg = read_json(root, root / "unet" / "config.json")
    cls = unet_cfg.get("_class_name")
    if cls not in FAMILIES:
        raise ExportError("unet/config.json", "_class_name", f"{cls!r} is not supported; Kineto exports {', '.join(FAMILIES)}")
    family = FAMILIES[cls]
    unet = component(root, "unet", "diffusers", (family.unet_class,))
    text = component(root, "text_encoder", "transformers", TEXT_ENCODER_CLASSES)
    vae = component(root, "vae", "diffusers", VAE_CLASSES)
    for c in (unet, text, vae):
        check_safetensors(root, c.weights)
    tok = root / "tokenizer"
    if not ((tok / "tokenizer.json").is_file() or ((tok / "vocab.json").is_file() and (tok / "merges.txt").is_file())):
        raise ExportError("tokenizer/", None, "missing: needs tokenizer.json, or vocab.json and merges.txt")
    sched, sampler = scheduler_config(root)
    if text.config.get("hidden_size") != unet.config.get("cross_attention_dim"):
        raise ExportError("text_encoder/config.json", "hidden_size",
                          f"{text.config.get('hidden_size')} does not match unet/config.json cross_attention_dim {unet.config.get('cross_attention_dim')}")
    return SourceFolder(root, family, unet, text, vae, tok, sched, sampler)


def model_card_license(root: pathlib.Path) -> dict:
    """`license`, `license_name`, `license_link` from README.md's YAML front matter (a Hub model card), if present."""
    card = root / "README.md"
    if not card.is_file():
        return {}
    lines = card.read_text(errors="replace").splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    out = {}
    for line in lines[1:]:
        if line.strip() == "---":
            break
        key, sep, value = line.partition(":")
        if sep and key.strip() in ("license", "license_name", "license_link") and value.strip():
            out[key.strip()] = value.strip().strip("'\"")
    return out
