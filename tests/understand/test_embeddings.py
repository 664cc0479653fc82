"""Our MiniLM, on onnxruntime and in numpy, must match sentence-transformers (reference values
computed once with torch)."""

from __future__ import annotations

import numpy as np
import pytest

from handpicked.understand.embeddings import Embedder, Runtime, story_text

# First four values from sentence-transformers 6.2.0 + torch 2.13.0 (CPU), normalised.
REFERENCE = {
    "A strong earthquake struck central Chile on Tuesday, killing at least twelve people.": [
        0.10166772,
        -0.04352441,
        0.02988679,
        -0.02783662,
    ],
    "Apple unveiled a new iPhone with a faster chip and a better camera.": [
        -0.06017768,
        0.05059108,
        0.0438486,
        -0.02065331,
    ],
}


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder()


@pytest.mark.parametrize("runtime", ["onnx", "numpy"])
def test_matches_reference_and_is_normalised(runtime: Runtime) -> None:
    embedder = Embedder(runtime=runtime)
    vectors = embedder.embed(list(REFERENCE))
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[:, :4], np.array(list(REFERENCE.values())), atol=1e-5)
    assert np.array_equal(vectors, embedder.embed(list(REFERENCE)))


def test_paraphrases_are_closer_than_unrelated(embedder: Embedder) -> None:
    a, b, c = embedder.embed(
        [
            "Earthquake kills dozens in western Turkey",
            "A powerful quake left many people dead in Turkey's west",
            "Central bank raises interest rates to fight inflation",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.2


def test_story_text_joins_title_and_body() -> None:
    assert story_text("Title", "Body  text") == "Title. Body text"
    assert story_text(None, "x") == "x"


def test_reads_only_the_opening_word_pieces(embedder: Embedder) -> None:
    """What lies past the word pieces the model reads changes nothing (and is not tokenized)."""
    lead = "Rescuers searched the rubble after the earthquake in central Chile. " * 3
    short, long = embedder.embed([lead, lead + "Unrelated closing remarks about football. " * 200])
    assert np.allclose(short, long, atol=1e-6)


def test_both_runtimes_give_the_same_vectors_for_a_padded_batch() -> None:
    """Texts of different lengths share a padded batch: padding must not leak into a vector."""
    texts = [
        "Quake",
        "A strong earthquake struck central Chile on Tuesday, killing at least twelve people.",
        "Rescuers searched the rubble after the earthquake in central Chile. " * 5,
    ]
    onnx = Embedder(runtime="onnx").embed(texts)
    assert np.allclose(onnx, Embedder(runtime="numpy").embed(texts), atol=1e-5)
    assert np.allclose(onnx[0], Embedder(runtime="onnx").embed(texts[:1])[0], atol=1e-5)
