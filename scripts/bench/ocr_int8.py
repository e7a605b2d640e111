"""int8 OCR models, tried for issue 23 and kept out: how much faster and how different they read.

Usage:
  python -m scripts.bench.ocr_int8 [--out DIR] [--variants all-conv,pointwise,mid] [--det]

Derives static int8 versions (onnxruntime.quantization, QOperator, per-channel int8 weights, uint8
activations, MinMax calibration) of the recognition model in the rapidocr wheel, on this machine and
from that file only (opset 11 → 13 first, as per-channel quantisation needs), into DIR (a temporary
folder by default). Calibration uses the line crops rapidocr cuts from the pages of the scanned
fixtures in tests/fixtures (scans/, photos/), in file order: nothing is downloaded. Then it runs the
plain and every int8 model over the line crops of the bench pages (bench_ocr's: dev/scanned and the
real scan) and prints, per model, CPU seconds (one thread, `time.process_time`), the ratio to the
plain model, and the lines whose text differs from the plain model's: as read, and after folding
width and white space as ../shared/corpus/score.py does. The same for the calibration lines.
With --det, the detector too (all its convolutions), compared by the text pixels its map flips.

Needs `pip install onnx` (the 'bench' extra), which archive itself does not: no int8 model is used,
because every variant changed the text (docs/shelves/ocrspeed.md)."""
from __future__ import annotations

import argparse
import tempfile
import time
import unicodedata
from pathlib import Path

from scripts.bench.bench_ocr import DEFAULT
from scripts.common import ROOT

from archive.ingest import ocr
from archive.ingest.pdf import inspect

CALIBRATION = sorted((ROOT / "tests" / "fixtures" / "scans").glob("*.pdf")) + sorted(
    (ROOT / "tests" / "fixtures" / "photos").glob("*.pdf"))
CALIBRATION_LINES = 120  # line crops the ranges are measured on (the first ones, in file order)
OPSET = 13  # per-channel DequantizeLinear needs its axis attribute
EARLY = 8  # the recogniser's stem: its first 8 convolutions (few channels, full height)
LATE = 45  # its convolutions from Conv.45 on: the last stage and the neck before the SVTR blocks
CLS_WIDTH = 192  # the direction classifier's input width (it is asked on pages that look turned)
BINARY = 0.3  # rapidocr's threshold on the detector's map


def record_inputs(files: list[Path]) -> dict[str, list]:
    """The arrays rapidocr feeds its detector ("det") and recogniser ("rec") for every page of `files`."""
    from rapidocr.inference_engine.onnxruntime.main import OrtInferSession

    seen: dict[str, list] = {"det": [], "rec": [], "cls": []}
    plain = OrtInferSession.__call__

    def spy(session, x):
        seen[input_kind(x)].append(x.copy())
        return plain(session, x)

    OrtInferSession.__call__ = spy
    try:
        for f in files:
            data = f.read_bytes()
            for i in range(inspect(data)):
                ocr.recognise(*ocr.render(data, i))
    finally:
        OrtInferSession.__call__ = plain
    return seen


def input_kind(x) -> str:
    """Which model an input is for: the recogniser's are 48 px high and at least 320 wide (rapidocr
    pads to that), the direction classifier's 48 × 192."""
    if x.ndim == 4 and x.shape[2] == 48:
        return "cls" if x.shape[3] == CLS_WIDTH else "rec"
    return "det"


def prepared(index: int, out: Path) -> Path:
    """The wheel's model `index` (0 det, 1 rec) at opset 13 with shapes inferred, ready to quantise."""
    import onnx
    from onnx import version_converter
    from onnxruntime.quantization.shape_inference import quant_pre_process

    source = ocr.model_dir() / ocr.MODEL_FILES[index]
    at13 = out / f"{source.stem}.opset{OPSET}.onnx"
    onnx.save(version_converter.convert_version(onnx.load(str(source)), OPSET), str(at13))
    ready = out / f"{source.stem}.pre.onnx"
    quant_pre_process(str(at13), str(ready), skip_symbolic_shape=True)
    return ready


def conv_groups(model: Path) -> tuple[list[str], set[str]]:
    """The model's convolution node names in graph order, and those that are depthwise."""
    import onnx

    convs = [n for n in onnx.load(str(model)).graph.node if n.op_type == "Conv"]
    depthwise = {n.name for n in convs if any(a.name == "group" and a.i > 1 for a in n.attribute)}
    return [n.name for n in convs], depthwise


def rec_variants(model: Path) -> dict[str, set[str]]:
    """Variant name → convolutions left in float: all quantised; pointwise ones only (depthwise and
    the stem in float); and the middle stages' pointwise ones only (the last stage and neck in float too)."""
    convs, depthwise = conv_groups(model)
    stem = set(convs[:EARLY])
    late = {name for name in convs if int(name.split(".")[-1]) >= LATE}
    return {"all-conv": set(), "pointwise": depthwise | stem, "mid": depthwise | stem | late}


def quantise(model: Path, target: Path, samples: list, exclude: set[str], cache: Path) -> Path:
    from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType,
                                          quantize_static)

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.rest = iter(samples)

        def get_next(self):
            x = next(self.rest, None)
            return None if x is None else {"x": x}

    quantize_static(str(model), str(target), Reader(), quant_format=QuantFormat.QOperator, per_channel=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                    calibrate_method=CalibrationMethod.MinMax, op_types_to_quantize=["Conv"],
                    nodes_to_exclude=sorted(exclude), calibration_cache_path=str(cache))
    return target


def session(model: Path):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def timed_outputs(model: Path, inputs: list) -> tuple[float, list]:
    run = session(model)
    run.run(None, {"x": inputs[0]})  # warm
    t0 = time.process_time()
    outputs = [run.run(None, {"x": x})[0] for x in inputs]
    return time.process_time() - t0, outputs


def folded(text: str) -> str:
    """As score.py compares: width folded, no white space."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def decoder(model: Path):
    """rapidocr's own CTC decoder with the model's character list: outputs → [(text, score)]."""
    from rapidocr.ch_ppocr_rec.utils import CTCLabelDecode

    return CTCLabelDecode(character=session(model).get_modelmeta().custom_metadata_map["character"].splitlines())


def compare_rec(models: dict[str, Path], inputs: list, label: str) -> None:
    plain = ocr.model_dir() / ocr.MODEL_FILES[1]
    decode = decoder(plain)
    base_s, base_out = timed_outputs(plain, inputs)
    base = [decode(p)[0][0][0] for p in base_out]
    print(f"\n{label}: {len(inputs)} line crops, {sum(x.shape[3] for x in inputs)} px wide in all\n")
    print("| recogniser | CPU s | × plain | lines read differently | after folding width and spaces |")
    print("|---|---|---|---|---|")
    print(f"| plain (fp32) | {base_s:.2f} | 1.00 | — | — |")
    for name, model in models.items():
        seconds, out = timed_outputs(model, inputs)
        texts = [decode(p)[0][0][0] for p in out]
        raw = sum(a != b for a, b in zip(texts, base))
        fold = sum(folded(a) != folded(b) for a, b in zip(texts, base))
        print(f"| int8 {name} | {seconds:.2f} | {seconds / base_s:.2f} | {raw} | {fold} |")


def compare_det(model: Path, inputs: list) -> None:
    plain = ocr.model_dir() / ocr.MODEL_FILES[0]
    base_s, base_out = timed_outputs(plain, inputs)
    seconds, out = timed_outputs(model, inputs)
    flipped = sum(int(((a > BINARY) != (b > BINARY)).sum()) for a, b in zip(out, base_out))
    text = sum(int((b > BINARY).sum()) for b in base_out)
    print(f"\ndetector over {len(inputs)} bench pages: plain {base_s:.2f} CPU s, int8 all-conv {seconds:.2f} "
          f"({seconds / base_s:.2f}×); text pixels flipped {flipped} of {text}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="where the int8 models are written (default: a temporary folder)")
    ap.add_argument("--variants", default="all-conv,pointwise,mid")
    ap.add_argument("--det", action="store_true", help="the detector too")
    args = ap.parse_args()
    ocr.warm()
    calibration, bench = record_inputs(CALIBRATION), record_inputs([p for p in DEFAULT if p.is_file()])
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        rec = prepared(1, out)
        samples = calibration["rec"][:CALIBRATION_LINES]
        wanted = args.variants.split(",")
        models = {name: quantise(rec, out / f"rec-int8-{name}.onnx", samples, exclude, out / "rec.calibration.json")
                  for name, exclude in rec_variants(rec).items() if name in wanted}
        compare_rec(models, bench["rec"], "bench pages (dev/scanned, the real scan)")
        compare_rec(models, calibration["rec"], "calibration pages (tests/fixtures scans, photos)")
        if args.det:
            det = prepared(0, out)
            compare_det(quantise(det, out / "det-int8.onnx", calibration["det"], set(), out / "det.calibration.json"),
                        bench["det"])


if __name__ == "__main__":
    main()
