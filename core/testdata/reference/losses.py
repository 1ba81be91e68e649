"""Loss definitions for gen.py, in 50 digits, written from PyTorch's documented definitions.

Each generator returns a list of cases {"id", "params", "inputs", "loss", "grad"}. A case's
gradient is the gradient of sum(loss) (what backward with ones leaves in .grad) with respect to
each differentiable input. Reductions: "none" keeps the per-sample shape, "sum" adds, "mean"
divides by the number of elements (a weighted mean for nll_loss/cross_entropy with class indices,
the batch size for kl_div's "batchmean").
"""

import math

import mpmath as mp
from mpmath import mpf

from gen import log_sum_exp_rest, BIG, EPS12, INF, NAN, ONE, X, fx, s, sigmoid, softplus1, INVALID

NEXT_UP_0 = math.nextafter(0.0, 1.0)
NEXT_DOWN_1 = math.nextafter(1.0, 0.0)


def T(shape, data):
    return {"shape": list(shape), "data": list(data)}


def case(id, params, inputs, loss_shape, loss, grads):
    return {
        "id": id, "params": params,
        "inputs": {k: T(v[0], [fx(x) for x in v[1]]) for k, v in inputs.items()},
        "loss": T(loss_shape, [s(v) for v in loss]),
        "grad": {k: T(inputs[k][0], [s(v) for v in g]) for k, g in grads.items()},
    }


def reduce(red, shape, l, grads, denom=None):
    """Applies reduction red to per-sample losses l (shape shape) and the gradients of sum(l)."""
    if red == "none":
        return shape, l, grads
    if red == "sum":
        return [], [mp.fsum(l)], grads
    n = mpf(len(l)) if denom is None else denom
    if n == 0:
        return [], [mp.nan], {k: [v * 0 for v in g] for k, g in grads.items()}
    return [], [mp.fsum(l) / n], {k: [v / n for v in g] for k, g in grads.items()}


def sgn(v):
    return ONE if v > 0 else (-ONE if v < 0 else mpf(0))


REDS = ["none", "mean", "sum"]

# ---------------------------------------------------------------------------------------------
# Elementwise losses: per element (loss, d loss / d input) from exact input x and target y.


def el_mse(P, x, y):
    d = x - y
    return d * d, 2 * d


def el_l1(P, x, y):
    d = x - y
    return abs(d), sgn(d)


def el_smooth_l1(P, x, y):
    b = mpf(P["beta"])
    d = x - y
    z = abs(d)
    if b == 0:
        return z, sgn(d)
    if z < b:
        return z * z / (2 * b), d / b
    return z - b / 2, sgn(d)


def el_huber(P, x, y):
    dl = mpf(P["delta"])
    d = x - y
    z = abs(d)
    if z < dl:
        return z * z / 2, d
    return dl * (z - dl / 2), dl * sgn(d)


def el_soft_margin(P, x, y):
    m = -y * x
    return softplus1(m), -y * sigmoid(m)


def el_bce(P, x, y):
    # (t - 1) max(log1p(-x), -100) - t max(log x, -100); backward (x - t)/max((1 - x) x, EPSILON)
    lx = mp.log(x) if x > 0 else None
    l1x = mp.log1p(-x) if x < 1 else None
    a = max(lx, mpf(-100)) if lx is not None else mpf(-100)
    b = max(l1x, mpf(-100)) if l1x is not None else mpf(-100)
    loss = (y - 1) * b - y * a
    g = (x - y) / max((1 - x) * x, EPS12)
    return loss, g


def el_bce_logits(P, x, y, pw=ONE):
    # (1 - t) x - lw logsigmoid(x), lw = (pw - 1) t + 1, which is (1 - t) sp(x) + pw t sp(-x)
    loss = mpf(0)
    if y != 1:
        loss += (1 - y) * softplus1(x)
    if y != 0:
        loss += pw * y * softplus1(-x)
    return loss, (1 - y) * sigmoid(x) - pw * y * sigmoid(-x)


def el_kl(P, x, y):
    if P.get("log_target", 0):
        e = mp.exp(y)
        if y == -BIG:  # exp(-inf) (t - x) = 0 for finite x
            return mpf(0), mpf(0)
        return e * (y - x), -e
    if y == 0:
        return mpf(0), mpf(0)  # xlogy(0, 0) - 0 x = 0, also for x = -inf (policy 3)
    return y * mp.log(y) - y * x, -y


def el_hinge(P, x, y):
    m = mpf(P["margin"])
    loss, g = mpf(0), mpf(0)
    if y != 1:
        if m - x >= 0:
            loss += m - x
            g -= 1
    if y != -1:
        loss += x
        g += 1
    return loss, g


def elementwise(id, el, param_sets, pairs, shape=None, reds=REDS, extra_in=None):
    out = []
    for P in param_sets:
        for chunk in pairs:
            xs = [p[0] for p in chunk]
            ys = [p[1] for p in chunk]
            sh = shape or [len(xs)]
            for red in reds:
                l, g = [], []
                for x, y in zip(xs, ys):
                    a, b = el(P, X(x), X(y))
                    l.append(a)
                    g.append(b)
                if id == "kl_div" and red == "batchmean":
                    ls, lv, gr = reduce("mean", sh, l, {"input": g}, denom=mpf(sh[0]))
                else:
                    ls, lv, gr = reduce(red, sh, l, {"input": g})
                Q = dict(P)
                Q["reduction"] = red
                out.append(case(id, Q, {"input": (sh, xs), "target": (sh, ys)}, ls, lv, gr))
    return out


def gen_elementwise():
    out = []
    reg = [(0.5, 1.0), (-1.0, 2.0), (3.0, 3.0), (1e-8, 0.0), (1e300, -1e300), (-2.5, 0.25),
           (1e4, 1e4 + 1), (5e-324, -5e-324)]
    ext = [(INF, 0.0), (-INF, 1.0), (NAN, 0.0), (1.0, INF)]
    out += elementwise("mse_loss", el_mse, [{}], [reg, ext[:2]])
    out += elementwise("mse_loss", el_mse, [{}], [[(1.0, 2.0), (3.0, -1.0), (0.5, 0.5),
                                                   (-2.0, 1e-8), (7.0, 6.0), (0.0, 1e4)]], shape=[2, 3])
    out += elementwise("l1_loss", el_l1, [{}], [reg, ext[:2]])
    sl = [(1.0, 1.0), (2.0, 2.5), (3.0, 0.0), (1.0, 0.0), (0.0, 1.0), (math.nextafter(1.0, 0), 0.0),
          (math.nextafter(1.0, 2), 0.0), (1e-8, 0.0), (1e300, 0.0), (-0.5, 0.25)]
    out += elementwise("smooth_l1_loss", el_smooth_l1,
                       [{"beta": 1.0}, {"beta": 0.0}, {"beta": 0.5}, {"beta": 2.0}, {"beta": 5.0}], [sl])
    out += elementwise("smooth_l1_loss", el_smooth_l1, [{"beta": 0.0}], [[(1.0, 1.0), (2.0, 2.5), (3.0, 0.0)]],
                       reds=["sum"])  # edge case E14
    out += elementwise("huber_loss", el_huber, [{"delta": 1.0}, {"delta": 0.5}, {"delta": 2.0}, {"delta": 0.01}, {"delta": 5.0}], [sl])
    sm = [(1.0, 1.0), (-1.0, 1.0), (0.0, -1.0), (40.0, -1.0), (-40.0, -1.0), (1e4, -1.0), (1e4, 1.0),
          (800.0, -1.0), (1e300, 1.0), (-1e300, 1.0), (1e-8, 1.0), (36.0, 1.0)]
    out += elementwise("soft_margin_loss", el_soft_margin, [{}], [sm, [(INF, 1.0), (-INF, -1.0)]])
    # probabilities at 0, 1 and one ulp inside, targets 0, 0.5 and 1 (E04, G03)
    ps = [0.0, NEXT_UP_0, 1e-50, 1e-12, 0.25, 0.5, NEXT_DOWN_1, 1.0]
    bce = [[(p, t) for p in ps] for t in (0.0, 0.5, 1.0)]
    out += elementwise("binary_cross_entropy", el_bce, [{}], bce)
    out += elementwise("binary_cross_entropy", el_bce, [{}], [[(1.0, 0.0), (0.5, 1.0)]], reds=["mean"])
    lg = [0.0, 1.5, -1.5, 1e-8, 36.0, -37.0, 40.0, -40.0, 1e4, -1e4, 8e7, 1e300, -1e300, INF, -INF]
    out += elementwise("binary_cross_entropy_with_logits", el_bce_logits, [{}],
                       [[(x, t) for x in lg] for t in (0.0, 0.5, 1.0)])
    for pw in (0.0, 3.0, 10.0):  # pos_weight: the slider's ends and the documented 300/100 example
        el = lambda P, x, y, pw=pw: el_bce_logits(P, x, y, mpf(pw))
        out += elementwise("binary_cross_entropy_with_logits", el, [{"pos_weight": pw}],
                           [[(x, t) for x in lg] for t in (0.25, 1.0)])
    # kl_div: input log-probabilities, target probabilities (or log-probabilities)
    kl_in = [math.log(0.25), math.log(0.75), math.log(0.5), math.log(0.5)]
    kl_t = [0.5, 0.5, 0.9, 0.1]
    kl_reds = ["none", "mean", "sum", "batchmean"]
    out += elementwise("kl_div", el_kl, [{"log_target": 0}], [list(zip(kl_in, kl_t))], shape=[2, 2],
                       reds=kl_reds)
    out += elementwise("kl_div", el_kl, [{"log_target": 0}],
                       [[(-1.0, 0.0), (-INF, 0.0), (-INF, 0.5), (-2.0, 1e-300), (-2.0, 1.0), (0.0, 5e-324)]],
                       shape=[3, 2], reds=kl_reds)
    out += elementwise("kl_div", el_kl, [{"log_target": 1}],
                       [[(-1.0, -2.0), (-0.5, -0.5), (-3.0, -INF), (0.0, -1e-8), (-700.0, -710.0), (-2.0, 0.0)]],
                       shape=[2, 3], reds=kl_reds)
    hg = [(0.5, 1.0), (0.5, -1.0), (1.0, -1.0), (math.nextafter(1.0, 0), -1.0), (math.nextafter(1.0, 2), -1.0),
          (-2.0, -1.0), (3.0, 1.0), (0.25, 0.0), (1e300, -1.0), (-1e300, -1.0)]
    out += elementwise("hinge_embedding_loss", el_hinge, [{"margin": 1.0}, {"margin": 0.0}, {"margin": 2.0}, {"margin": 3.0}], [hg])
    return out


# ---------------------------------------------------------------------------------------------
# nll_loss and cross_entropy


def log_softmax_row(row):
    m = max(row)
    if m == BIG and sum(1 for v in row if v == BIG) == 1:
        return [mpf(0) if v == BIG else -BIG for v in row], [ONE if v == BIG else mpf(0) for v in row]
    S = mp.fsum(mp.exp(v - m) for v in row)
    _, L = log_sum_exp_rest(row)
    return [(v - m) - L for v in row], [mp.exp(v - m) / S for v in row]


def rows(shape, data):
    if len(shape) == 1:
        return [data]
    C = shape[1]
    return [data[i * C:(i + 1) * C] for i in range(shape[0])]


def nll_like(id, P, shape, xs, tgt, logsoftmax):
    """nll_loss (logsoftmax False) or cross_entropy with class-index targets."""
    C = shape[-1]
    w = [mpf(v) for v in P.get("weight") or [1.0] * C]
    ig = P.get("ignore_index", -100)
    ls = mpf(P.get("label_smoothing", 0.0))
    R = rows(shape, [X(v) for v in xs])
    losses, grads, tw, sw = [], [], mpf(0), mpf(0)
    nll_g, sm_g, nll_l, sm_l = [], [], [], []
    for r, y in zip(R, tgt):
        y = int(y)
        if y == ig:
            nll_l.append(mpf(0)); sm_l.append(mpf(0))
            nll_g.append([mpf(0)] * C); sm_g.append([mpf(0)] * C)
            continue
        if logsoftmax:
            lp, sm = log_softmax_row(r)
        else:
            lp, sm = r, None
        wy = w[y]
        tw += wy
        nll_l.append(-wy * lp[y])
        if logsoftmax:
            # softmax_y - 1 as minus the other classes' share, so a share below the working
            # precision (logits 1e4 apart) is not lost
            nll_g.append([wy * (sm[c] if c != y else -mp.fsum(sm[j] for j in range(C) if j != y)) for c in range(C)])
            sw_row = mp.fsum(w)
            sm_l.append(-mp.fsum(w[c] * lp[c] if w[c] != 0 else 0 for c in range(C)))
            sm_g.append([-w[c] + sm[c] * sw_row for c in range(C)])
        else:
            nll_g.append([-wy if c == y else mpf(0) for c in range(C)])
    red = P["reduction"]
    flat = lambda g: [v for row in g for v in row]
    lshape = [] if len(shape) == 1 else [shape[0]]
    if ls > 0:
        l = [(1 - ls) * a + ls / C * b for a, b in zip(nll_l, sm_l)]
        g = [[(1 - ls) * a + ls / C * b for a, b in zip(ra, rb)] for ra, rb in zip(nll_g, sm_g)]
    else:
        l, g = nll_l, nll_g
    if red == "none":
        return lshape, l, {"input": flat(g)}
    if red == "sum":
        return [], [mp.fsum(l)], {"input": flat(g)}
    if tw == 0:
        return [], [mp.nan], {"input": [mpf(0)] * len(xs)}
    return [], [mp.fsum(l) / tw], {"input": [v / tw for v in flat(g)]}


def ce_prob(P, shape, xs, ts):
    C = shape[-1]
    w = [mpf(v) for v in P.get("weight") or [1.0] * C]
    ls = mpf(P.get("label_smoothing", 0.0))
    R = rows(shape, [X(v) for v in xs])
    TT = rows(shape, [X(v) for v in ts])
    l, g = [], []
    for r, t in zip(R, TT):
        if ls > 0:
            t = [v * (1 - ls) + ls / C for v in t]
        lp, sm = log_softmax_row(r)
        l.append(-mp.fsum(w[c] * t[c] * lp[c] for c in range(C) if t[c] != 0 and w[c] != 0))
        swt = mp.fsum(w[c] * t[c] for c in range(C))
        g.append([sm[j] * swt - w[j] * t[j] for j in range(C)])
    flat = [v for row in g for v in row]
    lshape = [] if len(shape) == 1 else [shape[0]]
    return reduce(P["reduction"], lshape, l, {"input": flat}, denom=mpf(len(R)))


def gen_nll_ce():
    out = []
    x23 = [0.5, -1.0, 2.0, 1e-8, 3.0, -0.25]
    lp23 = [math.log(0.2), math.log(0.3), math.log(0.5), -1e-8, -40.0, -1e300]
    big = [1e4, 0.0, -1e4, 1e300, -1e300, 0.0, 700.0, 710.0, -745.0, 0.0, 0.0, 0.0]
    inf_rows = [-INF, 0.0, 0.0, 0.0, -INF, 1.0, INF, 0.0, -2.0]
    cases = [
        ([2, 3], x23, [2, 0], {}),
        ([2, 3], x23, [1, 1], {"weight": [0.2, 1.0, 3.0]}),
        ([2, 3], x23, [2, 1], {"weight": [0.2, 1.0, 3.0], "ignore_index": 1}),
        ([2, 3], x23, [-100, -100], {}),  # E08: every target ignored
        ([3], [1.0, 2.0, 3.0], [0], {}),
        ([4, 3], big, [0, 1, 1, 2], {}),
        ([3, 3], inf_rows, [1, 2, 0], {}),  # E09 and a row with -inf at the target
    ]
    for shape, xs, tg, extra in cases:
        for red in REDS:
            P = dict(extra, reduction=red)
            tshape = [] if len(shape) == 1 else [shape[0]]
            ls, lv, gr = nll_like("cross_entropy", P, shape, xs, tg, True)
            out.append(case("cross_entropy", P, {"input": (shape, xs), "target": (tshape, [float(v) for v in tg])},
                            ls, lv, gr))
    for red in REDS:  # E10
        P = {"reduction": red}
        ls, lv, gr = nll_like("cross_entropy", P, [1, 2], [0.0, -INF], [1], True)
        out.append(case("cross_entropy", P, {"input": ([1, 2], [0.0, -INF]), "target": ([1], [1.0])}, ls, lv, gr))
    for red in REDS:  # label smoothing, with and without weight
        for extra in ({"label_smoothing": 0.1}, {"label_smoothing": 1.0, "weight": [0.2, 1.0, 3.0]},
                      {"label_smoothing": 0.25, "weight": [0.2, 1.0, 3.0], "ignore_index": 1}):
            P = dict(extra, reduction=red)
            ls, lv, gr = nll_like("cross_entropy", P, [2, 3], x23, [2, 1], True)
            out.append(case("cross_entropy", P, {"input": ([2, 3], x23), "target": ([2], [2.0, 1.0])}, ls, lv, gr))
    # probability targets (E11 among them)
    prob = [
        ([2, 3], x23, [0.2, 0.3, 0.5, 0.0, 1.0, 0.0], {}),
        ([2, 3], x23, [0.2, 0.3, 0.5, 0.0, 1.0, 0.0], {"weight": [0.2, 1.0, 3.0]}),
        ([1, 2], [-INF, 0.0], [0.0, 1.0], {}),
        ([2, 3], [1e4, 0.0, -1e4, 1e300, -1e300, 0.0], [0.5, 0.5, 0.0, 0.0, 0.25, 0.75], {}),
        ([2, 3], x23, [0.2, 0.3, 0.5, 0.0, 1.0, 0.0], {"label_smoothing": 0.2}),
    ]
    for shape, xs, ts, extra in prob:
        for red in REDS:
            P = dict(extra, reduction=red)
            ls, lv, gr = ce_prob(P, shape, xs, ts)
            out.append(case("cross_entropy", P, {"input": (shape, xs), "target": (shape, ts)}, ls, lv, gr))
    nl = [
        ([2, 3], lp23, [2, 0], {}),
        ([2, 3], lp23, [1, 2], {"weight": [0.2, 1.0, 3.0]}),
        ([2, 3], lp23, [0, 1], {"weight": [0.2, 1.0, 3.0], "ignore_index": 1}),
        ([2, 3], lp23, [-100, -100], {}),
        ([3], [-1.0, -2.0, -0.5], [2], {}),
        ([3, 3], [-INF, 0.0, -1e4, 0.0, -INF, 1e300, -2.0, 0.5, -1e-300], [0, 2, 2], {}),
    ]
    for shape, xs, tg, extra in nl:
        for red in REDS:
            P = dict(extra, reduction=red)
            tshape = [] if len(shape) == 1 else [shape[0]]
            ls, lv, gr = nll_like("nll_loss", P, shape, xs, tg, False)
            out.append(case("nll_loss", P, {"input": (shape, xs), "target": (tshape, [float(v) for v in tg])},
                            ls, lv, gr))
    return out


# ---------------------------------------------------------------------------------------------
# margin_ranking_loss, triplet_margin_loss, cosine_embedding_loss


def gen_margin_ranking():
    out = []
    u = math.nextafter(1.0, 2.0)
    d = math.nextafter(1.0, 0.0)
    sets = [
        ({"margin": 0.0}, [1.0, 2.0, 0.5, 3.0, -1.0, 1e300], [2.0, 1.0, 0.5, 3.0, 1.0, -1e300], [1.0, 1.0, -1.0, 1.0, -1.0, -1.0]),
        # at the hinge (z = 0 exactly) and one ulp either side
        ({"margin": 0.5}, [1.0, u, d, 0.0, 1e4], [0.5, 0.5, 0.5, 0.5, -1e4], [1.0, 1.0, 1.0, -1.0, 1.0]),
        ({"margin": 2.0}, [1.0, -1.0, 0.25, 5.0], [-1.0, 1.0, 0.25, 0.0], [1.0, -1.0, 1.0, 1.0]),
        ({"margin": -1.0}, [1.0, 0.0, 2.0], [2.0, 0.0, 2.0], [1.0, 1.0, -1.0]),
        ({"margin": -2.0}, [1.0, 0.0, 2.0, -1.0], [3.0, 0.0, 2.0, 1.0], [1.0, 1.0, -1.0, -1.0]),
        ({"margin": 2.0}, [3.0, -1.0, 0.0], [1.0, 1.0, 0.0], [1.0, -1.0, -1.0]),
    ]
    for P0, x1, x2, t in sets:
        for red in REDS:
            l, g1, g2 = [], [], []
            m = mpf(P0["margin"])
            for a, b, y in zip(x1, x2, t):
                z = -mpf(y) * (mpf(a) - mpf(b)) + m
                if z >= 0:
                    l.append(z); g1.append(-mpf(y)); g2.append(mpf(y))
                else:
                    l.append(mpf(0)); g1.append(mpf(0)); g2.append(mpf(0))
            n = [len(x1)]
            ls, lv, gr = reduce(red, n, l, {"input1": g1, "input2": g2})
            P = dict(P0, reduction=red)
            out.append(case("margin_ranking_loss", P, {"input1": (n, x1), "input2": (n, x2), "target": (n, t)},
                            ls, lv, gr))
    return out


def pdist(a, b, p, eps):
    """||a - b + eps||_p and its gradient with respect to a (minus it for b)."""
    v = [ai - bi + eps for ai, bi in zip(a, b)]
    if p == 1:
        d = mp.fsum(abs(t) for t in v)
        return d, [sgn(t) for t in v]
    d = mp.fsum(abs(t) ** p for t in v) ** (1 / p)
    if d == 0:
        return d, [mpf(0)] * len(v)
    return d, [sgn(t) * abs(t) ** (p - 1) / d ** (p - 1) for t in v]


def gen_triplet():
    out = []
    sets = [
        ({}, [2, 2], [0.0, 0.0, 1.0, 2.0], [1.0, 0.0, 1.0, 2.0], [0.0, 3.0, 4.0, 2.0]),
        ({}, [3], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [1.5, 2.0, -3.0]),  # identical a and p: d = eps sqrt(D)
        ({"eps": 0.0}, [3, 1], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [2.0, math.nextafter(2.0, 3), math.nextafter(2.0, 1)]),
        ({"margin": 0.5, "p": 1.0}, [2, 3], [0.0, 1.0, -1.0, 2.0, 2.0, 2.0], [0.5, 1.0, 0.0, 1.0, 2.0, 3.0],
         [1.0, 1.0, 1.0, -2.0, 5.0, 0.0]),
        ({"p": 3.0}, [2, 2], [0.0, 1.0, 1e-8, 2.0], [1.0, -1.0, 0.0, 2.5], [0.5, 0.5, 3.0, 3.0]),
        ({"swap": 1}, [2, 2], [0.0, 0.0, 0.0, 0.0], [3.0, 0.0, 1.0, 0.0], [3.5, 0.0, 5.0, 0.0]),
        ({"margin": 2.0, "eps": 1e-3}, [2, 2], [1e4, -1e4, 0.1, 0.2], [1e4, -1e4 + 1, 0.3, 0.1], [0.0, 0.0, 0.1, 0.2]),
        ({"margin": 0.01, "p": 5.0}, [2, 2], [0.0, 1.0, 1.0, 2.0], [0.5, 1.0, -1.0, 0.0], [0.25, 0.5, 2.0, 2.0]),
        ({"margin": 3.0, "p": 1.0, "eps": 1e-3, "swap": 1}, [2, 3], [0.0, 1.0, 2.0, 0.0, 0.0, 0.0],
         [1.0, 1.0, 1.0, 0.5, 0.5, 0.5], [4.0, -1.0, 2.0, 0.75, 0.5, 0.25]),
    ]
    for extra, shape, A, Pp, Nn in sets:
        P0 = {"margin": 1.0, "p": 2.0, "eps": 1e-6, "swap": 0}
        P0.update(extra)
        D = shape[-1]
        rs = lambda v: [v[i * D:(i + 1) * D] for i in range(len(v) // D)]
        for red in REDS:
            l, ga, gp, gn = [], [], [], []
            m, p, eps = mpf(P0["margin"]), mpf(P0["p"]), mpf(P0["eps"])
            for a, pp, nn in zip(rs([mpf(v) for v in A]), rs([mpf(v) for v in Pp]), rs([mpf(v) for v in Nn])):
                dp, gdp = pdist(a, pp, p, eps)
                dn, gdn = pdist(a, nn, p, eps)
                # d loss/d a, d p, d n through dp and dn
                cn_a, cn_p, cn_n = gdn, [mpf(0)] * D, [-v for v in gdn]
                if P0["swap"]:
                    ds, gds = pdist(pp, nn, p, eps)
                    if ds < dn:
                        dn, cn_a, cn_p, cn_n = ds, [mpf(0)] * D, gds, [-v for v in gds]
                    elif ds == dn:  # torch.minimum's backward splits a tie in halves
                        cn_a = [v / 2 for v in gdn]
                        cn_p = [v / 2 for v in gds]
                        cn_n = [-(u + v) / 2 for u, v in zip(gdn, gds)]
                z = m + dp - dn
                if z >= 0:
                    l.append(z)
                    ga += [x - y for x, y in zip(gdp, cn_a)]
                    gp += [-x - y for x, y in zip(gdp, cn_p)]
                    gn += [-y for y in cn_n]
                else:
                    l.append(mpf(0))
                    ga += [mpf(0)] * D; gp += [mpf(0)] * D; gn += [mpf(0)] * D
            lshape = [shape[0]] if len(shape) == 2 else []
            ls, lv, gr = reduce(red, lshape, l, {"anchor": ga, "positive": gp, "negative": gn})
            P = dict(P0, reduction=red)
            out.append(case("triplet_margin_loss", P,
                            {"anchor": (shape, A), "positive": (shape, Pp), "negative": (shape, Nn)}, ls, lv, gr))
    return out


def gen_cosine():
    out = []
    sets = [
        ({"margin": 0.0}, [3, 2], [1.0, 0.0, 1.0, 2.0, 3.0, -1.0], [1.0, 0.0, -2.0, 1.0, 0.5, 0.5], [1.0, -1.0, -1.0]),
        # at the hinge: orthogonal with margin 0 (cos = 0 exactly), and a hair either side
        ({"margin": 0.0}, [3, 2], [1.0, 0.0, 1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 1e-8, 1.0, -1e-8, 1.0], [-1.0, -1.0, -1.0]),
        ({"margin": 0.5}, [2, 3], [1.0, 2.0, 3.0, 0.0, 0.0, 0.0], [3.0, 2.0, 1.0, 1.0, 0.0, 0.0], [-1.0, 1.0]),
        ({"margin": -0.5}, [2, 2], [1e300, 1e300, 1e-300, 0.0], [1e300, -1e300, 1e-300, 1e-300], [-1.0, 1.0]),
        ({"margin": 0.25}, [3], [1.0, -1.0, 0.5], [0.5, 0.5, 0.5], [-1.0]),
        ({"margin": 1.0}, [2, 2], [1.0, 0.0, 1.0, 1.0], [1.0, 0.0, 2.0, 2.0], [-1.0, -1.0]),
        ({"margin": -1.0}, [2, 2], [1.0, 0.0, 1.0, 1.0], [-1.0, 0.0, 3.0, -1e4], [-1.0, 1.0]),
    ]
    for P0, shape, A, B, t in sets:
        D = shape[-1]
        rs = lambda v: [v[i * D:(i + 1) * D] for i in range(len(v) // D)]
        for red in REDS:
            l, g1, g2 = [], [], []
            m = mpf(P0["margin"])
            for a, b, y in zip(rs([mpf(v) for v in A]), rs([mpf(v) for v in B]), t):
                prod = mp.fsum(x * z for x, z in zip(a, b))
                m1 = mp.fsum(x * x for x in a) + EPS12
                m2 = mp.fsum(x * x for x in b) + EPS12
                r = mp.sqrt(m1 * m2)
                cos = prod / r
                dc1 = [z / r - cos * x / m1 for x, z in zip(a, b)]
                dc2 = [x / r - cos * z / m2 for x, z in zip(a, b)]
                if y == 1:
                    l.append(1 - cos); g1 += [-v for v in dc1]; g2 += [-v for v in dc2]
                elif y == -1 and cos - m >= 0:
                    l.append(cos - m); g1 += dc1; g2 += dc2
                else:
                    l.append(mpf(0)); g1 += [mpf(0)] * D; g2 += [mpf(0)] * D
            lshape = [shape[0]] if len(shape) == 2 else []
            ls, lv, gr = reduce(red, lshape, l, {"input1": g1, "input2": g2})
            P = dict(P0, reduction=red)
            out.append(case("cosine_embedding_loss", P,
                            {"input1": (shape, A), "input2": (shape, B), "target": (lshape, t)}, ls, lv, gr))
    return out


def gen_losses():
    out = gen_elementwise() + gen_nll_ce() + gen_margin_ranking() + gen_triplet() + gen_cosine()
    return [c for c in out if not (c["id"] in INVALID and INVALID[c["id"]](c["params"]))]
