#!/usr/bin/env python3
"""Writes vectors.json.gz here: the ONNX backend node-test cases that core's tests check.

Reads the shared copy (default /work/shared/testdata/onnx/vectors.json, or the path given as
the first argument) and keeps, in the same JSON format, only the cases that
core/act_onnx_test.go and core/loss_onnx_test.go use: the operators that are nnplay functions in
PyTorch's parameterisation. The output is gzip-compressed with a zero timestamp, so running the
script twice gives identical bytes.

    python3 core/testdata/onnx/extract.py [path/to/vectors.json]
"""
import gzip
import json
import os
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/testdata/onnx/vectors.json"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json.gz")

# Elementwise activations and the vector/loss operators with a PyTorch equivalent.
ALWAYS = {
    "Relu", "Sigmoid", "Tanh", "Softsign", "Mish", "HardSwish", "Softplus", "Elu", "Celu",
    "LeakyRelu", "Gelu", "ThresholdedRelu", "PRelu", "Clip",
    "SoftmaxCrossEntropyLoss", "NegativeLogLikelihoodLoss",
}


def used(c):
    op, attrs = c["op"], c["attributes"]
    if op in ALWAYS:
        return True
    if op == "Selu":  # nn.SELU has fixed constants: only the default attributes
        return not attrs
    if op == "Swish":  # alpha = 1 is nn.SiLU
        return attrs.get("alpha", 1.0) == 1.0
    if op == "Shrink":  # bias 0 is Hardshrink, bias = lambd is Softshrink
        return attrs.get("bias", 0.0) in (0.0, attrs.get("lambd", 0.5))
    if op in ("Softmax", "LogSoftmax"):  # opset < 13 coerces to 2-D
        return c["opset"].get("ai.onnx", 0) >= 13
    # HardSigmoid (alpha/beta are not 1/6, 1/2), Hardmax, SwiGLU: not nnplay functions
    return False


def main():
    with open(SRC) as f:
        cases = json.load(f)
    keep = [c for c in cases if used(c)]
    keep.sort(key=lambda c: (c["op"], c["case"]))
    text = json.dumps(keep, separators=(",", ":"), allow_nan=False) + "\n"
    with open(OUT, "wb") as raw:
        with gzip.GzipFile(filename="vectors.json", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
            gz.write(text.encode())
    print(f"{OUT}: {len(keep)} of {len(cases)} cases, {len(text)} bytes of JSON, "
          f"{os.path.getsize(OUT)} gzipped")


if __name__ == "__main__":
    main()
