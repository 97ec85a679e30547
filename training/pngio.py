"""Minimal RGB PNG writer (no Pillow in the training venv) for contact sheets."""
import struct
import zlib

import numpy as np


def write_png(path: str, img: np.ndarray) -> None:
    h, w, _ = img.shape
    raw = b"".join(b"\x00" + img[y].astype(np.uint8).tobytes() for y in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def contact_sheet(clips: np.ndarray, every: int = 3) -> np.ndarray:
    """clips [N, F, H, W, 3] uint8 → one image, a row per clip, every `every`-th frame."""
    return np.concatenate([np.concatenate(list(c[::every]), axis=1) for c in clips], axis=0)
