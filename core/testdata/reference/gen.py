#!/usr/bin/env python3
"""Writes reference.json: 50-digit reference values for every nnplay activation and loss.

    go run ./core/testdata/reference/dumpparams > core/testdata/reference/params.json
    python3 core/testdata/reference/gen.py            # needs mpmath (Debian: python3-mpmath)

CI never runs this script; core/reference_test.go reads the committed reference.json.

Every formula below is written from the definitions (PyTorch's documentation and ATen sources as
summarised in shared/reference/pytorch-semantics.md, and the policy of edge-cases.md), not from
nnplay's Go code, and evaluated with mpmath at 50 significant digits on the exact float64 inputs.
Where PyTorch's convention is part of the definition it is computed exactly as defined:
  * the derivative at a kink (relu'(0) = 0, leaky_relu'(0) = slope, elu'(0) = alpha, celu'(0) = 1,
    hardtanh/relu6 0 at the bounds, hardswish 0 at -3 and 1 at +3, hardsigmoid 0 at +-3,
    hard/softshrink 0 on the closed [-lambd, lambd], threshold 0 at the threshold);
  * Softplus switches to x when the float64 product x*beta > threshold (strict), derivative 1;
  * heaviside: `values` at 0; derivative 0 away from 0 and NaN at 0 (nnplay's convention);
  * BCE clamps each log at -100 and its backward is (x - t) / max((1 - x) x, EPSILON) with
    EPSILON = float32(1e-12) = 9.999999960041972e-13;
  * pairwise_distance is ||x1 - x2 + eps||_p; cosine_embedding_loss adds EPSILON to the squared
    norms; margin losses pass the gradient where the hinge argument is exactly 0 (clamp_min >=).
At +-Inf the reference gives the limit of the function (policy 1: the true value), NaN in gives NaN
out (policy 4), and zero results are written "0" whatever their sign (policy 4).

Format (all floats are strings: inputs as Python's repr, which is exact; results as 50 significant
digits, "inf", "-inf", "nan"; a magnitude below 1e-400 is written 1e-400 and marks a true value that
underflows float64):
  {"activations": [{"id", "params": {name: value}, "cases": [[x, y, dy], ...]}],
   "vectors":     [{"id", "params", "x": [...], "y": [...], "grad": [...]}],   # grad = VJP with ones
   "losses":      [{"id", "params", "inputs": {name: {"shape", "data"}}, "loss": {"shape", "data"},
                    "grad": {name: {"shape", "data"}}}]}                       # grad of sum(loss)
Choice parameters are given by their string, bools as 0/1, vectors as lists.
"""

import json
import math
import os
import random
import sys

import mpmath as mp
from mpmath import mpf

mp.mp.dps = 50  # the precision of the stored results
WORK_DPS = 160  # the working precision: inputs span 1e-300..1e300, so sums and differences need headroom
HERE = os.path.dirname(os.path.abspath(__file__))
INF = float("inf")
NAN = float("nan")
BIG = mpf("1e400")  # stands for +Inf inside the formulas: every limit is reached long before
ONE = mpf(1)
EPS12 = mpf(9.999999960041972e-13)  # float32(1e-12) widened, ATen's EPSILON in double kernels
SELU_ALPHA = mpf("1.6732632423543772848170429916717")
SELU_SCALE = mpf("1.0507009873554804934193349852946")
# GELU's tanh form as documented, 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), with the exact
# constants (PyTorch's kernel rounds them to float64; for x << 0 the result is proportional to
# exp(2u), so that rounding alone would move it by tens of ulps: the definition is the true value).
GELU_C = "0.044715"


def X(x):
    """The exact value of float x for the formulas (+-BIG for +-Inf)."""
    if x == INF:
        return BIG
    if x == -INF:
        return -BIG
    return mpf(x)


def s(v):
    """A result as a string: 50 significant digits, or inf/-inf/nan/0."""
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        v = mpf(v)
    if mp.isnan(v):
        return "nan"
    if mp.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0:
        return "0"
    if abs(v) > mpf("1e400"):
        return "inf" if v > 0 else "-inf"
    if abs(v) < mpf("1e-400"):
        return "1e-400" if v > 0 else "-1e-400"
    return mp.nstr(v, 50, min_fixed=-5, max_fixed=20)  # 50 significant digits whatever mp.dps is


def fx(x):
    """An input float as an exact string."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(x)


# ---------------------------------------------------------------------------------------------
# Helpers in 50 digits

def sigmoid(z):
    if z >= 0:
        return ONE / (1 + mp.exp(-z))
    e = mp.exp(z)
    return e / (1 + e)


def softplus1(z):  # log(1 + exp(z)), z exact
    if z > 1000:
        return z + mp.log1p(mp.exp(-z))
    return mp.log1p(mp.exp(z))


def Phi(z):  # standard normal cdf
    t = -z / mp.sqrt(2)
    if t > 1e8:  # mpmath's erfc fails for huge arguments: asymptotic series, exact to 50 digits
        return mp.exp(-t * t) / (t * mp.sqrt(mp.pi)) / 2 * (1 - 1 / (2 * t * t))
    if t < -1e8:
        return ONE
    return mp.erfc(t) / 2


def phi(z):
    return mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)


# ---------------------------------------------------------------------------------------------
# Activations: f(x, xf, P) -> (value, derivative), x the exact mpf (+-BIG for +-Inf), xf the float.
# kinks(P) -> the switch points (floats) whose neighbourhoods are tested.

ACT = {}


def act(id, defaults, kinks=lambda P: [], extra=lambda P: [], settings=None, at_inf=None):
    def deco(f):
        ACT[id] = dict(f=f, defaults=defaults, kinks=kinks, extra=extra, settings=settings or [], at_inf=at_inf)
        return f
    return deco


@act("heaviside", {"values": 0.5}, kinks=lambda P: [0.0],
     settings=[{"values": 0.0}, {"values": 1.0}])
def _heaviside(x, xf, P):
    if x == 0:
        return mpf(P["values"]), mp.nan
    return (ONE if x > 0 else mpf(0)), mpf(0)


@act("linear", {"c": 1.0}, settings=[{"c": 0.0}, {"c": -0.5}])
def _linear(x, xf, P):  # c x (c = 1 is nn.Identity); 0 * inf is 0, the limit
    c = mpf(P["c"])
    return c * x, c


@act("sigmoid", {}, extra=lambda P: [-37.0, 36.0, -745.0, -709.0])
def _sigmoid(x, xf, P):
    y = sigmoid(x)
    return y, y * sigmoid(-x)


@act("tanh", {}, extra=lambda P: [0.55, -0.55, 19.0, 22.0, 1e-5])
def _tanh(x, xf, P):
    t = mp.tanh(x)
    # 1 - tanh^2 = sech^2, computed without cancellation
    return t, 1 / mp.cosh(x) ** 2 if abs(x) < 10000 else 4 * mp.exp(-2 * abs(x))


@act("relu", {}, kinks=lambda P: [0.0])
def _relu(x, xf, P):
    return (x, ONE) if x > 0 else (mpf(0), mpf(0))


@act("leaky_relu", {"negative_slope": 0.01}, kinks=lambda P: [0.0],
     settings=[{"negative_slope": 0.0}, {"negative_slope": 1.0}, {"negative_slope": 0.2}])
def _leaky(x, xf, P):
    a = mpf(P["negative_slope"])
    return (x, ONE) if x > 0 else (a * x, a)


@act("prelu", {"weight": 0.25}, kinks=lambda P: [0.0],
     settings=[{"weight": 0.0}, {"weight": 1.0}, {"weight": -0.5}])
def _prelu(x, xf, P):
    a = mpf(P["weight"])
    return (x, ONE) if x > 0 else (a * x, a)


def _sp_kinks(P):
    b, t = P["beta"], P["threshold"]
    return [t / b] if b != 0 else []


@act("softplus", {"beta": 1.0, "threshold": 20.0}, kinks=_sp_kinks,
     extra=lambda P: [-37.0, 18.0, 33.3, -12.3392, 1000.0, -1000.0],
     settings=[{"beta": 0.5, "threshold": 20.0}, {"beta": 10.0, "threshold": 20.0},
               {"beta": 1.0, "threshold": 1.0}, {"beta": 1.0, "threshold": 50.0},
               {"beta": 1e30, "threshold": 1e30}])
def _softplus(x, xf, P):
    b, t = P["beta"], P["threshold"]
    if xf * b > t:  # PyTorch's switch: the float64 product, strict
        return x, ONE
    B = mpf(b)
    return softplus1(B * x) / B, sigmoid(B * x)


@act("elu", {"alpha": 1.0}, kinks=lambda P: [0.0],
     settings=[{"alpha": 0.5}, {"alpha": 2.0}, {"alpha": 0.1}])
def _elu(x, xf, P):
    a = mpf(P["alpha"])
    if x <= 0:
        return a * mp.expm1(x), a * mp.exp(x)
    return x, ONE


@act("celu", {"alpha": 1.0}, kinks=lambda P: [0.0],
     extra=lambda P: [-P["alpha"], P["alpha"] * -1e-3, P["alpha"] * -30],
     settings=[{"alpha": 2.0}, {"alpha": 0.1}, {"alpha": 3.0}])
def _celu(x, xf, P):
    a = mpf(P["alpha"])
    if x <= 0:
        return a * mp.expm1(x / a), mp.exp(x / a)
    return x, ONE


@act("selu", {}, kinks=lambda P: [0.0])
def _selu(x, xf, P):
    if x <= 0:
        return SELU_SCALE * SELU_ALPHA * mp.expm1(x), SELU_SCALE * SELU_ALPHA * mp.exp(x)
    return SELU_SCALE * x, SELU_SCALE


@act("gelu", {"approximate": "none"}, extra=lambda P: [-3.0, 2.0, -5.0, -10.0, -37.0, 5.5, -0.7],
     settings=[{"approximate": "tanh"}])
def _gelu(x, xf, P):
    if P["approximate"] == "none":
        c = Phi(x)
        return x * c, c + x * phi(x)
    K, C = mp.sqrt(2 / mp.pi), mpf(GELU_C)
    u = K * (x + C * x ** 3)
    if abs(u) > 1e6:  # limits, mpmath's tanh is exact but slow there
        return (x, ONE) if u > 0 else (mpf(0), mpf(0))
    t = mp.tanh(u)
    # 1 + tanh(u) = 2 sigmoid(2u), no cancellation for u << 0
    one_plus_t = 2 * sigmoid(2 * u)
    sech2 = 4 * sigmoid(2 * u) * sigmoid(-2 * u)
    return x * one_plus_t / 2, one_plus_t / 2 + x / 2 * sech2 * K * (1 + 3 * C * x * x)


@act("relu6", {}, kinks=lambda P: [0.0, 6.0])
def _relu6(x, xf, P):
    if x <= 0:
        return mpf(0), mpf(0)
    if x >= 6:
        return mpf(6), mpf(0)
    return x, ONE


@act("logsigmoid", {}, extra=lambda P: [-300.0, -1000.0, 30.0, 1000.0, -37.0, 37.0, 18.0, -18.0, 33.3, -33.3])
def _logsigmoid(x, xf, P):
    return -softplus1(-x), sigmoid(-x)


@act("sin", {"w0": 30.0}, extra=lambda P: [math.pi / P["w0"], 0.1, -0.05, 2.0],
     settings=[{"w0": 1.0}, {"w0": 60.0}], at_inf=lambda P: (mp.nan, mp.nan))
def _sin(x, xf, P):
    w = mpf(P["w0"])
    return mp.sin(w * x), w * mp.cos(w * x)


@act("silu", {}, extra=lambda P: [-37.0, -745.0, -700.0, 36.0, -1.2784645427610738])
def _silu(x, xf, P):
    g = sigmoid(x)
    return x * g, g * (1 + x * sigmoid(-x))


def _mish_parts(x):
    sp = softplus1(x)
    if x > 200:
        t = 1 - 2 * mp.exp(-2 * sp)
        one_minus_t2 = 4 * mp.exp(-2 * sp)
    else:
        t = mp.tanh(sp)
        one_minus_t2 = 1 / mp.cosh(sp) ** 2
    return t, one_minus_t2


@act("mish", {}, extra=lambda P: [-37.0, -745.0, -700.0, 36.0, -1.1924, 18.0, 33.3])
def _mish(x, xf, P):
    t, q = _mish_parts(x)
    return x * t, t + x * sigmoid(x) * q


@act("hardtanh", {"min_val": -1.0, "max_val": 1.0}, kinks=lambda P: [P["min_val"], P["max_val"]],
     settings=[{"min_val": -2.0, "max_val": 2.0}, {"min_val": 0.0, "max_val": 6.0}])
def _hardtanh(x, xf, P):
    lo, hi = mpf(P["min_val"]), mpf(P["max_val"])
    if x <= lo:
        return lo, mpf(0)
    if x >= hi:
        return hi, mpf(0)
    return x, ONE


@act("hardsigmoid", {}, kinks=lambda P: [-3.0, 3.0], extra=lambda P: [-2.9715])
def _hardsigmoid(x, xf, P):
    if x <= -3:
        return mpf(0), mpf(0)
    if x >= 3:
        return ONE, mpf(0)
    return x / 6 + mpf(1) / 2, mpf(1) / 6


@act("hardswish", {}, kinks=lambda P: [-3.0, 3.0], extra=lambda P: [-4.0, -2.0, 2.0, 4.0, -1.5])
def _hardswish(x, xf, P):
    if x <= -3:
        return mpf(0), mpf(0)
    if x >= 3:
        return x, ONE
    return x * (x + 3) / 6, x / 3 + mpf(1) / 2


@act("softsign", {})
def _softsign(x, xf, P):
    return x / (1 + abs(x)), 1 / (1 + abs(x)) ** 2


@act("tanhshrink", {}, extra=lambda P: [1e-4, -1e-3, 0.01, 0.1, -0.3, 2e-5, 1e-150, 1e-200])
def _tanhshrink(x, xf, P):
    if abs(x) < mpf("1e-30"):
        return x ** 3 / 3 - 2 * x ** 5 / 15, mp.tanh(x) ** 2
    return x - mp.tanh(x), mp.tanh(x) ** 2


@act("hardshrink", {"lambd": 0.5}, kinks=lambda P: [-P["lambd"], P["lambd"]],
     settings=[{"lambd": 0.0}, {"lambd": 2.0}])
def _hardshrink(x, xf, P):
    l = mpf(P["lambd"])
    if -l <= x <= l:
        return mpf(0), mpf(0)
    return x, ONE


@act("softshrink", {"lambd": 0.5}, kinks=lambda P: [-P["lambd"], P["lambd"]],
     settings=[{"lambd": 0.0}, {"lambd": 2.0}])
def _softshrink(x, xf, P):
    l = mpf(P["lambd"])
    if x > l:
        return x - l, ONE
    if x < -l:
        return x + l, ONE
    return mpf(0), mpf(0)


@act("threshold", {"threshold": 0.0, "value": 0.0}, kinks=lambda P: [P["threshold"]],
     settings=[{"threshold": 1.0, "value": 99.0}, {"threshold": -1.0, "value": -2.0}])
def _threshold(x, xf, P):
    if x <= mpf(P["threshold"]):
        return mpf(P["value"]), mpf(0)
    return x, ONE


# ---------------------------------------------------------------------------------------------
# The input grid

BASE = [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, -2.2250738585072014e-308,
        1e-300, -1e-300, 1e-20, -1e-20, 1e-8, -1e-8, 0.1, -0.1, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0,
        3.0, -3.0, 5.0, -5.0, 10.0, -10.0, 20.0, -20.0, 40.0, -40.0, 700.0, -700.0, 710.0, -710.0,
        709.782712893384, -745.1332191019411, 1e4, -1e4, 1e300, -1e300, 1.7976931348623157e308,
        -1.7976931348623157e308, INF, -INF, NAN]


def grid(spec, P, dense=False):
    rnd = random.Random(12345)
    xs = list(BASE)
    if dense:  # the default parameters get a sweep: log-spaced magnitudes and more uniform points
        xs += [sg * 10 ** (k / 4) for k in range(-12, 11) for sg in (1, -1)]
        xs += [rnd.uniform(-8, 8) for _ in range(24)]
    for k in spec["kinks"](P):
        xs += [k, math.nextafter(k, -INF), math.nextafter(k, INF)]
    xs += spec["extra"](P)
    # a few pseudo-random points, the same on every run: uniform in [-8, 8] and log-uniform magnitudes
    xs += [rnd.uniform(-8, 8) for _ in range(8)]
    xs += [rnd.choice([-1, 1]) * 10 ** rnd.uniform(-6, 2.5) for _ in range(8)]
    out, seen = [], set()
    for x in xs:
        key = repr(x)
        if key not in seen:
            seen.add(key)
            out.append(x)
    return out


def eval_act(spec, P, x):
    if math.isnan(x):
        return mp.nan, mp.nan
    if math.isinf(x) and spec["at_inf"]:
        return spec["at_inf"](P)
    return spec["f"](X(x), x, P)


def self_check(id, spec, P):
    """The analytic derivative against a 50-digit numerical derivative at smooth points."""
    for x in [-2.5, -0.75, 0.3, 1.7, 4.2]:
        if any(abs(x - k) < 1e-3 for k in spec["kinks"](P)):
            continue
        f = lambda t: spec["f"](mpf(t), float(t), P)[0]
        num = mp.diff(f, mpf(x))
        ana = spec["f"](mpf(x), x, P)[1]
        if abs(num - ana) > mpf("1e-30") * (1 + abs(ana)):
            sys.exit(f"gen.py: {id} {P}: derivative at {x}: analytic {ana} numeric {num}")


# ---------------------------------------------------------------------------------------------
# Parameter settings: defaults, then the edges of each Real parameter's slider range as the Go
# registry gives them (params.json), then the hand-picked settings above.

def load_registry():
    p = os.path.join(HERE, "params.json")
    if not os.path.exists(p):
        return {}
    with open(p) as f:
        return {d["id"]: d for d in json.load(f)}


REG = load_registry()

INVALID = {  # parameter values PyTorch or nnplay rejects: never a reference setting
    "softplus": lambda P: P["beta"] == 0,
    "celu": lambda P: P["alpha"] == 0,
    "softshrink": lambda P: P["lambd"] < 0,
    "hardtanh": lambda P: P["min_val"] >= P["max_val"],
    "smooth_l1_loss": lambda P: P.get("beta", 1) < 0,
    "huber_loss": lambda P: P.get("delta", 1) <= 0,
    "triplet_margin_loss": lambda P: P.get("margin", 1) <= 0 or P.get("p", 2) < 1,
}


def settings_for(id, defaults, extra):
    out = [dict(defaults)]
    reg = REG.get(id)
    if reg:
        for q in reg["params"]:
            if q["type"] in ("real", "int") and q["name"] in defaults:
                for v in (q["min"], q["max"]):
                    P = dict(defaults)
                    P[q["name"]] = v
                    out.append(P)
            if q["type"] == "choice" and q["name"] in defaults:
                for c in q["choices"]:
                    P = dict(defaults)
                    P[q["name"]] = c
                    out.append(P)
    for e in extra:
        P = dict(defaults)
        P.update(e)
        out.append(P)
    res, seen = [], set()
    for P in out:
        key = json.dumps(P, sort_keys=True)
        if key in seen or (id in INVALID and INVALID[id](P)):
            continue
        seen.add(key)
        res.append(P)
    return res


def gen_activations():
    out = []
    for id, spec in ACT.items():
        for i, P in enumerate(settings_for(id, spec["defaults"], spec["settings"])):
            self_check(id, spec, P)
            cases = []
            for x in grid(spec, P, dense=(i == 0)):
                y, dy = eval_act(spec, P, x)
                cases.append([fx(x), s(y), s(dy)])
            out.append({"id": id, "params": P, "cases": cases})
    return out


# ---------------------------------------------------------------------------------------------
# Vector activations: the output and the vector-Jacobian product with a vector of ones.

def softmax_list(xs):
    m = max(xs)
    e = [mp.exp(v - m) for v in xs]
    S = mp.fsum(e)
    return [v / S for v in e]


def v_softmax(xs, P):
    return softmax_list(xs), [mpf(0)] * len(xs)


def v_softmin(xs, P):
    return softmax_list([-v for v in xs]), [mpf(0)] * len(xs)


def log_sum_exp_rest(xs):
    """(m, L): the maximum and log(sum(exp(x - m))), the latter as log1p of the other terms so
    that a sum of 1 + 1e-324 is not lost to the working precision."""
    m = max(xs)
    k = xs.index(m)
    rest = mp.fsum(mp.exp(v - m) for i, v in enumerate(xs) if i != k)
    return m, mp.log1p(rest)


def v_log_softmax(xs, P):
    m, L = log_sum_exp_rest(xs)
    sm = softmax_list(xs)
    # 1 - n softmax_i = softmax_i sum_j expm1(x_j - x_i): no cancellation at any working precision
    # (at [1e-300, -1e-300] the values are -+1e-300, which 1 - n softmax_i would lose)
    g = []
    for i, q in enumerate(sm):
        if q == 0 or xs[i] == -BIG:
            g.append(ONE)
        else:
            g.append(q * mp.fsum(mp.expm1(v - xs[i]) for v in xs))
    return [(v - m) - L for v in xs], g


def v_glu(xs, P):
    h = len(xs) // 2
    a, b = xs[:h], xs[h:]
    y = [ai * sigmoid(bi) for ai, bi in zip(a, b)]
    ga = [sigmoid(bi) for bi in b]
    gb = [ai * sigmoid(bi) * sigmoid(-bi) for ai, bi in zip(a, b)]
    return y, ga + gb


VEC = {"softmin": v_softmin, "softmax": v_softmax, "log_softmax": v_log_softmax, "glu": v_glu}

VECTORS = [
    [1.0, 2.0, 3.0], [0.0], [0.0, 0.0, 0.0, 0.0], [-1.0, 0.5, 2.0, -3.0, 0.25],
    [1e4, 0.0, -1e4], [1e300, -1e300, 0.0], [1e300, 1e300], [-INF, 0.0, 1.0], [-INF, -INF, 0.0],
    [1e-8, 0.0, -1e-8], [700.0, 710.0, -700.0], [40.0, 0.0], [3.5, 3.5, -2.0], [-1e4, -1e4, -1e4 + 1],
    [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [-745.0, 0.0], [1e-300, -1e-300], [20.0, -20.0, 5.0, -5.0],
    [1.7976931348623157e308, -1.7976931348623157e308], [2.5, -0.75, 1e4, -1e4],
]
GLU_VECTORS = [
    [1.0, 2.0, 3.0, 4.0], [0.0, 0.0], [2.0, -INF], [-3.0, INF], [1e300, -1e300, 40.0, -40.0],
    [5.0, -40.0, 2.0, 40.0], [1e-8, 1.0, 0.0, -1.0], [-1e4, 1e4, 800.0, -800.0],
    [0.5, -0.5, 1e-300, 745.0], [7.0, -2.0, 0.25, -37.0, 18.0, 3.0],
]


def gen_vectors():
    out = []
    for id, f in VEC.items():
        vs = GLU_VECTORS if id == "glu" else VECTORS
        for v in vs:
            y, g = f([X(x) for x in v], {})
            out.append({"id": id, "params": {}, "x": [fx(x) for x in v], "y": [s(t) for t in y],
                        "grad": [s(t) for t in g]})
    return out


# ---------------------------------------------------------------------------------------------

# Values of shared/reference/edge-cases.md (worked out there independently, in 50 digits): the
# reference must round to them, a check on this script itself.
EDGE = [
    ("softplus", {"beta": 1.0, "threshold": 20.0}, -40.0, 4.248354255291589e-18),
    ("softplus", {"beta": 1.0, "threshold": 20.0}, -12.3392, 4.376758446056116e-06),
    ("softplus", {"beta": 1e30, "threshold": 1e30}, 0.5, 0.5),
    ("logsigmoid", {}, 30.0, -9.357622968839737e-14),
    ("logsigmoid", {}, 0.0, -0.6931471805599453),
    ("celu", {"alpha": 2.0}, -1.0, -0.7869386805747332),
    ("gelu", {"approximate": "none"}, 1.0, 0.8413447460685429),
    ("gelu", {"approximate": "none"}, -3.0, -0.0040496940948902835),
    ("gelu", {"approximate": "none"}, 2.0, 1.9544997361036416),
    ("gelu", {"approximate": "tanh"}, 1.0, 0.8411919906082767),
    ("gelu", {"approximate": "tanh"}, -3.0, -0.003637392081773019),
    ("gelu", {"approximate": "tanh"}, 2.0, 1.954597694087775),
]


def check_edge_cases(doc):
    for id, P, x, want in EDGE:
        for a in doc["activations"]:
            if a["id"] == id and a["params"] == {**ACT[id]["defaults"], **P}:
                got = [float(c[1]) for c in a["cases"] if c[0] == repr(x)]
                if got != [want]:
                    sys.exit(f"gen.py: {id} {P} at {x}: reference {got}, edge-cases.md {want}")
                break
        else:
            sys.exit(f"gen.py: no reference setting {id} {P} for the edge-case check")


def main():
    from losses import gen_losses  # the loss definitions, next to this file (importing gen again resets dps)
    mp.mp.dps = WORK_DPS
    doc = {
        "generator": "core/testdata/reference/gen.py (mpmath, 50 digits)",
        "activations": gen_activations(),
        "vectors": gen_vectors(),
        "losses": gen_losses(),
    }
    check_edge_cases(doc)
    path = os.path.join(HERE, "reference.json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    n = sum(len(a["cases"]) for a in doc["activations"])
    print(f"wrote {path}: {n} activation points, {len(doc['vectors'])} vectors, "
          f"{len(doc['losses'])} loss cases, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
