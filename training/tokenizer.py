"""Word-level tokenizer of Kineto-Shapes. The app reads the same vocabulary from tokenizer.json
(Hugging Face WordLevel format) written by export.py; ids: 0 pad, 1 unknown, 2 begin, then words."""
from __future__ import annotations

import re

import numpy as np

from models import BOS_ID, MAX_TOKENS, PAD_ID, UNK_ID

SPECIAL = ["[PAD]", "[UNK]", "[BOS]"]


class Tokenizer:
    def __init__(self, words: list[str]):
        self.words = list(words)
        self.ids = {w: i + len(SPECIAL) for i, w in enumerate(self.words)}
        self.vocab_size = len(SPECIAL) + len(self.words)

    def encode(self, text: str) -> tuple[np.ndarray, list[str]]:
        """ids int64 [MAX_TOKENS] and the words that are not in the vocabulary."""
        words = re.findall(r"[a-z]+", text.lower())[: MAX_TOKENS - 1]
        ids = [BOS_ID] + [self.ids.get(w, UNK_ID) for w in words]
        unknown = [w for w in words if w not in self.ids]
        return np.array(ids + [PAD_ID] * (MAX_TOKENS - len(ids)), np.int64), unknown
