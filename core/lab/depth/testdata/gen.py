#!/usr/bin/env python3
"""Writes reference.json, the independent values the depth package's tests compare against.

    /usr/bin/python3 core/lab/depth/testdata/gen.py     # needs torch (1.13 or 2.x) and mpmath

CI never runs this script; the tests read the committed reference.json. It takes a few minutes.

Nothing here comes from nnplay's Go code. The sections:

gains   torch.nn.init.calculate_gain(nonlinearity, param) as the installed PyTorch returns it (the
        error message for an unknown name), for every nonlinearity it knows.

inits   the distribution each torch.nn.init function draws from for a few (fan_out, fan_in)
        weight shapes, read from PyTorch itself: Tensor.uniform_ and Tensor.normal_ are replaced by
        recorders while the init function runs, so the bounds (from, to) and the (mean, std) are the
        exact float64 values PyTorch passes (nn.Linear(fan_in, fan_out) gives the "default" weight
        and bias). lecun_normal is kaiming_normal_(nonlinearity='linear'). Nothing is drawn.

expectations
        E[g(h)], E[g(h)^2], Var[g(h)], E[g'(h)^2], E[g(h)^2 g'(h)^2] for h ~ N(mu, v), with mpmath at
        mp.dps = 30: mp.quad (tanh-sinh) over z in [-40, 40] (phi(40) ~ 1e-348) split at
        0, +-1.5, +-3, +-6, +-10, +-20 and at every z where g or g' has a kink or a jump, with 5 more
        working digits (as many more again for an integral far below 1, a tail) and the
        quadrature's own error estimate required below 1e-22 relative; relu's values are also
        checked against their closed forms to 1e-22. g and g' are written from PyTorch's
        definitions (https://pytorch.org/docs/stable/nn.html#non-linear-activations-weighted-sum-nonlinearity);
        sin (nnplay's SIREN sine, sin(w0 x)) uses the closed forms E[sin(a + b z)] = sin(a) e^{-b^2/2}
        and E[cos(a + b z)] = cos(a) e^{-b^2/2}, which tanh-sinh cannot follow at w0 = 30.
        At v = 0 the values are g(mu) etc. with PyTorch's derivative at a kink: relu'(0) = 0,
        leaky_relu'(0) = negative_slope, elu'(0) = alpha, selu'(0) = scale*alpha, relu6'(0) = 0,
        hardtanh'(+-1) = 0; softplus is x where beta*x > threshold (derivative 1 there).

recursions
        the mean-field recursion for depth 20 from unit-variance inputs (Q0 = 1): pre-activations of
        layer l ~ N(bias_mean, v_l), v_1 = sigma_w2*Q0 + bias_var, v_{l+1} = sigma_w2*E[g(h_l)^2] + bias_var
        (Poole et al. 2016, with a bias mean added); per layer q_l = v_l + bias_mean^2, the mean and
        standard deviation of g(h_l), chi_l = sigma_w2*E[g'(h_l)^2], and the RMS gradient of
        L = 1/2 mean(y^2) over `units` outputs under the gradient-independence assumption:
        E[d_L^2] = E[g^2 g'^2](h_L)/units^2, E[d_l^2] = chi_l*E[d_{l+1}^2]. The fixed point v* of
        v -> sigma_w2*E[g(bias_mean + sqrt(v) z)^2] + bias_var is mp.findroot's from v_20 (the recursion
        has converged to a few digits there); q_star = v* + bias_mean^2 and chi_star = sigma_w2*E[g'^2]
        at v*. relu with sigma_w2 = 2, bias 0 is the neutral case: the map is the identity
        (E[relu(sqrt(v) z)^2] = v/2), so every v is fixed and q_star is the value reached, v_1 = 2.

All numbers are strings with 25 significant digits (inputs: Python's repr).
"""

import json
import math
import os
import sys

import mpmath as mp
import torch

mp.mp.dps = 30
HERE = os.path.dirname(os.path.abspath(__file__))
ONE = mp.mpf(1)
SQRT2 = mp.sqrt(2)
SQRT2PI = mp.sqrt(2 * mp.pi)
SELU_ALPHA = mp.mpf("1.6732632423543772848170429916717")
SELU_SCALE = mp.mpf("1.0507009873554804934193349852946")


def s(v):
    v = mp.mpf(v)
    if mp.isnan(v):
        return "nan"
    if mp.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0:
        return "0"
    return mp.nstr(v, 25, min_fixed=-5, max_fixed=20)


# ---------------------------------------------------------------------------------------------
# gains

def gains():
    out = []
    cases = [(n, None) for n in ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                                 "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]]
    cases += [("leaky_relu", p) for p in [0.0, 0.01, 0.2, 1.0, -0.5, 3.0, math.sqrt(5)]]
    cases += [("relu", 0.2), ("tanh", 0.7), ("foo", None), ("Tanh", None)]
    for name, p in cases:
        row = {"nonlinearity": name, "param": None if p is None else repr(p)}
        try:
            row["gain"] = repr(float(torch.nn.init.calculate_gain(name, p)))
        except ValueError as e:
            row["error"] = str(e)
        out.append(row)
    return out


# ---------------------------------------------------------------------------------------------
# inits: record what PyTorch passes to uniform_ / normal_

class Recorder:
    def __init__(self):
        self.calls = []

    def __enter__(self):
        self.u, self.n = torch.Tensor.uniform_, torch.Tensor.normal_
        rec = self

        def uniform_(t, a=0.0, b=1.0, generator=None):
            rec.calls.append({"dist": "uniform", "shape": list(t.shape), "a": repr(float(a)), "b": repr(float(b))})
            return t

        def normal_(t, mean=0.0, std=1.0, generator=None):
            rec.calls.append({"dist": "normal", "shape": list(t.shape), "mean": repr(float(mean)), "std": repr(float(std))})
            return t

        torch.Tensor.uniform_, torch.Tensor.normal_ = uniform_, normal_
        return self

    def __exit__(self, *a):
        torch.Tensor.uniform_, torch.Tensor.normal_ = self.u, self.n


def inits():
    I = torch.nn.init
    out = []
    for fan_out, fan_in in [(64, 64), (512, 512), (5, 3), (100, 300), (8, 8)]:
        specs = [
            ("default", {}, None),
            ("xavier_uniform", {"gain": 1.0}, lambda w: I.xavier_uniform_(w)),
            ("xavier_uniform", {"gain": 0.5}, lambda w: I.xavier_uniform_(w, gain=0.5)),
            ("xavier_normal", {"gain": 1.0}, lambda w: I.xavier_normal_(w)),
            ("xavier_normal", {"gain": 2.0}, lambda w: I.xavier_normal_(w, gain=2.0)),
            ("kaiming_uniform", {"a": 0.0, "nonlinearity": "leaky_relu"}, lambda w: I.kaiming_uniform_(w)),
            ("kaiming_uniform", {"a": 0.2, "nonlinearity": "leaky_relu"}, lambda w: I.kaiming_uniform_(w, a=0.2)),
            ("kaiming_uniform", {"a": 0.0, "nonlinearity": "relu"}, lambda w: I.kaiming_uniform_(w, nonlinearity="relu")),
            ("kaiming_normal", {"a": 0.0, "nonlinearity": "leaky_relu"}, lambda w: I.kaiming_normal_(w)),
            ("kaiming_normal", {"a": 0.3, "nonlinearity": "leaky_relu"}, lambda w: I.kaiming_normal_(w, a=0.3)),
            ("kaiming_normal", {"a": 0.0, "nonlinearity": "relu"}, lambda w: I.kaiming_normal_(w, nonlinearity="relu")),
            ("lecun_normal", {}, lambda w: I.kaiming_normal_(w, nonlinearity="linear")),
        ]
        for name, params, fn in specs:
            with Recorder() as r:
                if fn is None:
                    torch.nn.Linear(fan_in, fan_out)
                else:
                    fn(torch.empty(fan_out, fan_in))
            row = {"init": name, "params": params, "fan_in": fan_in, "fan_out": fan_out, "weight": r.calls[0]}
            assert r.calls[0]["shape"] == [fan_out, fan_in]
            if name == "default":
                assert r.calls[1]["shape"] == [fan_out]
                row["bias"] = r.calls[1]
            out.append(row)
    return out


# ---------------------------------------------------------------------------------------------
# activations, from PyTorch's definitions: g(x, P) -> (value, derivative), kinks(P) -> the x where
# g or g' is not smooth.

def Phi(x):
    return mp.erfc(-x / SQRT2) / 2


def phi(x):
    return mp.exp(-x * x / 2) / SQRT2PI


def sigm(x):
    return ONE / (1 + mp.exp(-x))


ACTS = {
    "relu": (lambda x, P: (x, ONE) if x > 0 else (mp.mpf(0), mp.mpf(0)), lambda P: [0]),
    "leaky_relu": (lambda x, P: (x, ONE) if x > 0 else (P["negative_slope"] * x, mp.mpf(P["negative_slope"])),
                   lambda P: [0]),
    "elu": (lambda x, P: (x, ONE) if x > 0 else (P["alpha"] * mp.expm1(x), P["alpha"] * mp.exp(x)), lambda P: [0]),
    "selu": (lambda x, P: (SELU_SCALE * x, SELU_SCALE) if x > 0 else
             (SELU_SCALE * SELU_ALPHA * mp.expm1(x), SELU_SCALE * SELU_ALPHA * mp.exp(x)), lambda P: [0]),
    "gelu": (lambda x, P: (x * Phi(x), Phi(x) + x * phi(x)), lambda P: [0]),
    "tanh": (lambda x, P: (mp.tanh(x), 1 - mp.tanh(x) ** 2), lambda P: [0]),
    "sigmoid": (lambda x, P: (sigm(x), sigm(x) * (1 - sigm(x))), lambda P: [0]),
    "softplus": (lambda x, P: (x, ONE) if P["beta"] * x > P["threshold"] else
                 (mp.log1p(mp.exp(P["beta"] * x)) / P["beta"], sigm(P["beta"] * x)),
                 lambda P: [0, P["threshold"] / P["beta"]]),
    "silu": (lambda x, P: (x * sigm(x), sigm(x) * (1 + x * (1 - sigm(x)))), lambda P: [0]),
    "hardtanh": (lambda x, P: (min(max(x, P["min_val"]), P["max_val"]),
                               ONE if P["min_val"] < x < P["max_val"] else mp.mpf(0)),
                 lambda P: [0, P["min_val"], P["max_val"]]),
    "relu6": (lambda x, P: (min(max(x, 0), 6), ONE if 0 < x < 6 else mp.mpf(0)), lambda P: [0, 6]),
    "linear": (lambda x, P: (P["c"] * x, mp.mpf(P["c"])), lambda P: [0]),
}

# (id, params): the registry's parameter names and PyTorch's defaults unless varied.
SETTINGS = [
    ("relu", {}), ("leaky_relu", {"negative_slope": 0.01}), ("leaky_relu", {"negative_slope": 0.2}),
    ("elu", {"alpha": 1.0}), ("selu", {}), ("gelu", {"approximate": "none"}), ("tanh", {}), ("sigmoid", {}),
    ("softplus", {"beta": 1.0, "threshold": 20.0}), ("silu", {}), ("hardtanh", {"min_val": -1.0, "max_val": 1.0}),
    ("relu6", {}), ("sin", {"w0": 30.0}), ("sin", {"w0": 1.0}), ("linear", {"c": 1.0}), ("linear", {"c": -2.0}),
]
POINTS = [(mu, v) for mu in [0.0, -1.0] for v in [0.01, 1.0, 4.0, 100.0]] + [(0.5, 2.25), (-3.0, 0.25), (0.0, 0.0), (-1.0, 0.0)]
BREAKS = [-40, -20, -10, -6, -3, -1.5, 0, 1.5, 3, 6, 10, 20, 40]


def quad(f, mu, v, kinks, extra=0):
    """E[f(mu + sqrt(v) z)]. mp.quad's tolerance is absolute (about 10^-dps), so an integral far
    below 1 (a tail: relu at mu = -1, v = 0.01 is 7e-26) is redone with as many more digits."""
    with mp.workdps(mp.mp.dps + 5 + extra):
        sd = mp.sqrt(v)
        pts = set(mp.mpf(b) for b in BREAKS)
        for k in kinks:
            z = (mp.mpf(k) - mu) / sd
            if -40 < z < 40:
                pts.add(z)
        pts = sorted(pts)
        val, err = mp.quad(lambda z: f(mu + sd * z) * phi(z), pts, error=True, maxdegree=10)
    if val != 0 and abs(val) < mp.mpf("1e-5") and extra == 0:
        return quad(f, mu, v, kinks, extra=int(-mp.log10(abs(val))) + 5)
    # mpmath's estimate (the change between the last two levels) is far above the true error once
    # converged; an integral that is 0 by symmetry (E[tanh] at mu = 0) comes out ~1e-38 with an
    # estimate ~1e-34, hence the absolute floor. The relu closed forms below check the tails.
    if err > mp.mpf("1e-22") * abs(val) and err > mp.mpf(10) ** -(mp.mp.dps + extra):
        sys.exit("quadrature error %s for value %s" % (err, val))
    return +val


def moments(id, P, mu, v):
    """(mean, sq, var, dsq, sqdsq) of g at h ~ N(mu, v)."""
    mu, v = mp.mpf(mu), mp.mpf(v)
    if id == "sin":
        w = mp.mpf(P["w0"])
        a, b2 = w * mu, w * w * v
        Es = lambda k: mp.sin(k * a) * mp.exp(-k * k * b2 / 2)   # E[sin(k (a + b z))]
        Ec = lambda k: mp.cos(k * a) * mp.exp(-k * k * b2 / 2)   # E[cos(k (a + b z))]
        mean = Es(1)
        sq = (1 - Ec(2)) / 2                 # sin^2 = (1 - cos 2t)/2
        dsq = w * w * (1 + Ec(2)) / 2        # (w cos t)^2
        sqdsq = w * w * (1 - Ec(4)) / 8      # w^2 sin^2 cos^2 = w^2 (1 - cos 4t)/8
        return mean, sq, (sq - mean * mean if v > 0 else mp.mpf(0)), dsq, sqdsq
    g, kinks = ACTS[id]
    if v == 0:
        y, dy = g(mu, P)
        return y, y * y, mp.mpf(0), dy * dy, y * y * dy * dy
    k = kinks(P)
    mean = quad(lambda x: g(x, P)[0], mu, v, k)
    sq = quad(lambda x: g(x, P)[0] ** 2, mu, v, k)
    dsq = quad(lambda x: g(x, P)[1] ** 2, mu, v, k)
    sqdsq = quad(lambda x: (g(x, P)[0] * g(x, P)[1]) ** 2, mu, v, k)
    var = quad(lambda x: (g(x, P)[0] - mean) ** 2, mu, v, k)
    return mean, sq, var, dsq, sqdsq


def relu_closed(mu, v):
    """E[relu], E[relu^2], E[relu'^2] in closed form (a = mu/sqrt(v)): mu Phi(a) + sqrt(v) phi(a),
    (mu^2 + v) Phi(a) + mu sqrt(v) phi(a), Phi(a)."""
    sd = mp.sqrt(v)
    a = mu / sd
    return mu * Phi(a) + sd * phi(a), (mu * mu + v) * Phi(a) + mu * sd * phi(a), Phi(a)


def mparams(P):
    return {k: (mp.mpf(x) if isinstance(x, float) else x) for k, x in P.items()}


def expectations():
    out = []
    for id, P in SETTINGS:
        MP = mparams(P)
        for mu, v in POINTS:
            m = moments(id, MP, mu, v)
            if id == "relu" and v > 0:
                with mp.workdps(60):  # the closed forms cancel for mu << 0
                    c = relu_closed(mp.mpf(mu), mp.mpf(v))
                for got, want in zip((m[0], m[1], m[3]), c):
                    assert abs(got - want) <= mp.mpf("1e-22") * abs(want), (mu, v, got, want)
            out.append({"id": id, "params": P, "mu": repr(mu), "v": repr(v),
                        "mean": s(m[0]), "sq": s(m[1]), "var": s(m[2]), "dsq": s(m[3]), "sqdsq": s(m[4])})
            print(id, P, mu, v, [mp.nstr(x, 8) for x in m], file=sys.stderr)
    return out


RECURSIONS = [
    ("tanh", {}, 1.5, 0.0, 0.05),
    ("relu", {}, 2.0, 0.0, 0.0),
    ("selu", {}, 1.0, 0.0, 0.0),
    ("sigmoid", {}, 1.0 / 3, 0.0, 1.0 / (3 * 256)),
    ("gelu", {"approximate": "none"}, 1.8, 0.1, 0.02),
    ("elu", {"alpha": 1.0}, 1.2, -0.2, 0.1),
]
DEPTH, Q0, UNITS = 20, 1.0, 16384.0


def recursion(id, P, sw2, bmean, bvar):
    MP = mparams(P)
    sw2m, bm, bv = mp.mpf(sw2), mp.mpf(bmean), mp.mpf(bvar)
    v = sw2m * Q0 + bv
    rows = []
    for l in range(DEPTH):
        m = moments(id, MP, bm, v)
        rows.append((v, m))
        v = sw2m * m[1] + bv
    q = [r[0] + bm * bm for r in rows]
    chi = [sw2m * r[1][3] for r in rows]
    d2 = [None] * DEPTH
    d2[-1] = rows[-1][1][4] / mp.mpf(UNITS) ** 2
    for l in range(DEPTH - 2, -1, -1):
        d2[l] = chi[l] * d2[l + 1]
    def G(x):
        g, kinks = ACTS[id]
        return sw2m * quad(lambda h: g(h, MP)[0] ** 2, bm, x, kinks(MP)) + bv

    if id == "relu" and sw2 == 2.0 and bvar == 0.0 and bmean == 0.0:
        vstar = rows[-1][0]  # the identity map: the value reached
    else:
        # bracket the root next to v_20 on the side the iterates move to, then Anderson-Bjorck
        F = lambda x: G(x) - x
        x = rows[-1][0]
        lo = hi = x
        if abs(F(x)) < mp.mpf("1e-28") * x:  # selu: v_1 = 1 is the fixed point
            lo = hi = None
        elif F(x) < 0:
            while F(lo) < 0:
                lo /= 2
        else:
            while F(hi) > 0:
                hi *= 2
        vstar = x if lo is None else mp.findroot(F, (lo, hi), solver="anderson")
    assert abs(G(vstar) - vstar) < mp.mpf("1e-27") * vstar, (id, vstar, G(vstar) - vstar)
    chistar = sw2m * moments(id, MP, bm, vstar)[3]
    print(id, "q*", mp.nstr(vstar + bm * bm, 15), "chi*", mp.nstr(chistar, 15), file=sys.stderr)
    return {"id": id, "params": P, "sigma_w2": repr(sw2), "bias_mean": repr(bmean), "bias_var": repr(bvar),
            "q0": repr(Q0), "units": repr(UNITS), "depth": DEPTH,
            "q": [s(x) for x in q],
            "pre_std": [s(mp.sqrt(r[0])) for r in rows],
            "post_mean": [s(r[1][0]) for r in rows],
            "post_std": [s(mp.sqrt(r[1][2])) for r in rows],
            "chi": [s(x) for x in chi],
            "grad": [s(mp.sqrt(x)) for x in d2],
            "q_star": s(vstar + bm * bm), "chi_star": s(chistar)}


def main():
    doc = {"torch": torch.__version__, "mpmath": mp.__version__, "dps": mp.mp.dps,
           "gains": gains(), "inits": inits(), "expectations": expectations(),
           "recursions": [recursion(*r) for r in RECURSIONS]}
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
