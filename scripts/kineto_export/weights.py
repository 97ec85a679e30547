"""Builds each component's torch module from its config.json and loads its weights, checking every tensor's shape
against what the config implies: a weights file from another model size fails naming the tensor, not deep inside
torch.
"""

import torch

from .errors import ExportError
from .folder import Component, rel


def build(c: Component) -> torch.nn.Module:
    if c.class_name == "CLIPTextModel":
        from transformers import CLIPTextConfig, CLIPTextModel
        return CLIPTextModel(CLIPTextConfig.from_dict(c.config))
    import diffusers
    return getattr(diffusers, c.class_name).from_config(c.config)


def read_state(c: Component) -> dict[str, torch.Tensor]:
    if c.weights.suffix == ".safetensors":
        from safetensors.torch import load_file
        return load_file(str(c.weights))
    return torch.load(str(c.weights), map_location="cpu", weights_only=True)


def load(root, c: Component) -> torch.nn.Module:
    with torch.device("meta"):
        model = build(c)  # shapes only: the real tensors come from the file
    where = rel(root, c.weights)
    expected = model.state_dict()
    state = read_state(c)
    for key, t in expected.items():
        if key not in state:
            if key.endswith("position_ids"):
                continue  # a buffer older transformers saved and newer ones rebuild
            raise ExportError(where, key, f"missing (config.json describes a {c.class_name} that has it)")
        if tuple(state[key].shape) != tuple(t.shape):
            raise ExportError(where, key, f"has shape {list(state[key].shape)} but {c.name}/config.json implies {list(t.shape)}")
    extra = [k for k in state if k not in expected]
    if extra:
        raise ExportError(where, extra[0], f"is not a tensor of the {c.class_name} that {c.name}/config.json describes ({len(extra)} such)")
    model = build(c)
    model.load_state_dict({k: v.float() for k, v in state.items()}, strict=False)
    return model.float().eval()
