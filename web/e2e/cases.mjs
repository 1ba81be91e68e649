// Data for the browser tests: the lecture's ids, independent values, and sample inputs.
//
// Expected values are not taken from nnplay: the E/G rows are copied from
// ../shared/reference/edge-cases.md (50-digit arithmetic from the definitions); the EXPECT
// functions recompute a value from the textbook formula in plain JS.

// The functions the lecture covers (issue 2); the registry may hold more.
export const LECTURE_IDS = [
  'heaviside', 'linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'prelu', 'softplus', 'elu', 'celu', 'selu',
  'gelu', 'relu6', 'logsigmoid', 'sin', 'softmin', 'softmax', 'log_softmax',
  'mse_loss', 'l1_loss', 'smooth_l1_loss', 'nll_loss', 'cross_entropy', 'binary_cross_entropy',
  'binary_cross_entropy_with_logits', 'kl_div', 'margin_ranking_loss', 'triplet_margin_loss', 'cosine_embedding_loss',
];

const { log, exp, sqrt, sin, max, log1p } = Math;
const inf = Infinity;

// Activation probe: a grid over [-60, 60] in steps of 0.25 (it contains 0 and every kink and
// switch point of the defaults), for "the value changed after the slider moved".
export const ACT_PROBE = Array.from({ length: 481 }, (_, i) => -60 + i * 0.25);
export const VEC_PROBE = [1.5, -0.5, 0.25, 2, -2, 0];

const nll = [[0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1]].map((r) => r.map(log));

// One input per loss, in the shapes F.* takes (issue 2): a batch of a few samples.
export const LOSS_SAMPLES = {
  mse_loss: { input: [0.5, -1.2, 2, 0.1], target: [0, 1, 2.5, 0] },
  l1_loss: { input: [0.5, -1.2, 2, 0.1], target: [0, 1, 2.5, 0] },
  smooth_l1_loss: { input: [0.5, -1.2, 2, 0.1], target: [0, 1, 2.5, 0] },
  huber_loss: { input: [0.5, -1.2, 2, 0.1], target: [0, 1, 2.5, 0] },
  nll_loss: { input: nll, target: [0, 2, 1] },
  cross_entropy: { input: [[1, 2, 0.5], [0.1, -1, 3], [2, 2, 2]], target: [0, 2, 1] },
  binary_cross_entropy: { input: [0.2, 0.7, 0.9], target: [0, 1, 1] },
  binary_cross_entropy_with_logits: { input: [-1, 0.5, 2], target: [0, 1, 1] },
  kl_div: { input: [[0.25, 0.75], [0.5, 0.5]].map((r) => r.map(log)), target: [[0.5, 0.5], [0.9, 0.1]] },
  margin_ranking_loss: { input1: [0.5, -0.3, 1], input2: [0.2, 0.4, 1.1], target: [1, -1, 1] },
  triplet_margin_loss: { anchor: [[0, 0], [1, 1]], positive: [[0.5, 0], [1, 2]], negative: [[1, 0.5], [0, 1]] },
  cosine_embedding_loss: { input1: [[1, 0], [0.6, 0.8], [1, 1]], input2: [[0.8, 0.6], [0, 1], [-1, 0.2]], target: [1, -1, -1] },
  soft_margin_loss: { input: [0.5, -1.2, 2], target: [1, -1, -1] },
  hinge_embedding_loss: { input: [0.5, 0.3, 2], target: [1, -1, -1] },
  poisson_nll_loss: { input: [0.5, -1.2, 2], target: [1, 0, 3] },
  gaussian_nll_loss: { input: [0.5, -1.2, 2], target: [1, 0, 3], var: [1, 0.5, 2] },
  multi_margin_loss: { input: [[1, 2, 0.5], [0.1, -1, 3]], target: [0, 2] },
  multilabel_soft_margin_loss: { input: [[1, -2, 0.5]], target: [[1, 0, 1]] },
};

// Parameters whose one-step slider change need not change the sample (the reason is printed).
export const NO_EFFECT = {
  'nll_loss.ignore_index': 'ignore_index matters only when a target equals it',
  'cross_entropy.ignore_index': 'ignore_index matters only when a target equals it',
};

// Parameters whose one-step change need not show in the plots (it is checked through evaluate).
export const NO_VISIBLE = {
  'softplus.threshold': 'the switch to x changes the value by less than 1e-8',
  'cosine_embedding_loss.margin': 'the views open at target y = 1, where margin has no effect',
  'triplet_margin_loss.p': 'the views are over the distances d(a,p) and d(a,n); p only changes how they are computed',
  'triplet_margin_loss.eps': 'the views are over the distances d(a,p) and d(a,n); eps only changes how they are computed',
};

const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length;
const dist = (a, b, eps = 1e-6) => sqrt(a.reduce((s, x, i) => s + (x - b[i] + eps) ** 2, 0));
const dot = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0);

// Independent expectations after a slider moved: given the params in state(), the value
// nnplay.evaluate must give. Key: "<id>.<param>".
export const EXPECT = {
  'elu.alpha': (p) => ({ input: [-1, -2, 3], want: [p.alpha * (exp(-1) - 1), p.alpha * (exp(-2) - 1), 3] }),
  'celu.alpha': (p) => ({ input: [-1, 3], want: [p.alpha * (exp(-1 / p.alpha) - 1), 3] }),
  'leaky_relu.negative_slope': (p) => ({ input: [-2, 3], want: [-2 * p.negative_slope, 3] }),
  'prelu.weight': (p) => ({ input: [-2, 3], want: [-2 * p.weight, 3] }),
  'sin.w0': (p) => ({ input: [0.1, -0.03], want: [sin(p.w0 * 0.1), sin(p.w0 * -0.03)] }),
  'softplus.beta': (p) => ({ input: [0.5, -1], want: [log1p(exp(p.beta * 0.5)) / p.beta, log1p(exp(-p.beta)) / p.beta] }),
  'heaviside.values': (p) => ({ input: [-1, 0, 1], want: [0, p.values, 1] }),
  'linear.c': (p) => ({ input: [-2, 0.5, 3], want: [-2 * p.c, 0.5 * p.c, 3 * p.c] }),
  'hardshrink.lambd': (p) => {
    const xs = [-1, -0.52, 0.3, 0.52, 2];
    return { input: xs, want: xs.map((x) => (Math.abs(x) > p.lambd ? x : 0)) };
  },
  'softshrink.lambd': (p) => {
    const xs = [-1, -0.52, 0.3, 0.52, 2];
    return { input: xs, want: xs.map((x) => (x > p.lambd ? x - p.lambd : x < -p.lambd ? x + p.lambd : 0)) };
  },
  'hardtanh.min_val': (p) => {
    const xs = [-3, -0.97, 0.2, 0.97, 3];
    return { input: xs, want: xs.map((x) => Math.min(p.max_val, Math.max(p.min_val, x))) };
  },
  'hardtanh.max_val': (p) => {
    const xs = [-3, -0.97, 0.2, 0.97, 3];
    return { input: xs, want: xs.map((x) => Math.min(p.max_val, Math.max(p.min_val, x))) };
  },
  'threshold.threshold': (p) => {
    const xs = [-1, 0.02, 0.07, 2];
    return { input: xs, want: xs.map((x) => (x > p.threshold ? x : p.value)) };
  },
  'threshold.value': (p) => {
    const xs = [-1, 0.02, 2];
    return { input: xs, want: xs.map((x) => (x > p.threshold ? x : p.value)) };
  },
  'huber_loss.delta': (p) => {
    const s = LOSS_SAMPLES.huber_loss;
    const d = p.delta;
    return { input: s, pick: (r) => r.loss, want: mean(s.input.map((x, i) => { const a = Math.abs(x - s.target[i]); return a < d ? 0.5 * a * a : d * (a - 0.5 * d); })) };
  },
  'hinge_embedding_loss.margin': (p) => {
    const s = LOSS_SAMPLES.hinge_embedding_loss;
    return { input: s, pick: (r) => r.loss, want: mean(s.input.map((x, i) => (s.target[i] === 1 ? x : max(0, p.margin - x)))) };
  },
  'margin_ranking_loss.margin': (p) => {
    const s = LOSS_SAMPLES.margin_ranking_loss;
    return { input: s, pick: (r) => r.loss, want: mean(s.input1.map((x1, i) => max(0, -s.target[i] * (x1 - s.input2[i]) + p.margin))) };
  },
  'triplet_margin_loss.margin': (p) => {
    const s = LOSS_SAMPLES.triplet_margin_loss;
    return { input: s, pick: (r) => r.loss, want: mean(s.anchor.map((a, i) => max(0, dist(a, s.positive[i]) - dist(a, s.negative[i]) + p.margin))) };
  },
  'cosine_embedding_loss.margin': (p) => {
    const s = LOSS_SAMPLES.cosine_embedding_loss;
    const cos = (a, b) => dot(a, b) / sqrt((dot(a, a) + 1e-12) * (dot(b, b) + 1e-12));
    return { input: s, pick: (r) => r.loss, want: mean(s.input1.map((a, i) => (s.target[i] === 1 ? 1 - cos(a, s.input2[i]) : max(0, cos(a, s.input2[i]) - p.margin)))) };
  },
  'smooth_l1_loss.beta': (p) => {
    const s = LOSS_SAMPLES.smooth_l1_loss;
    const b = p.beta;
    return { input: s, pick: (r) => r.loss, want: mean(s.input.map((x, i) => { const d = Math.abs(x - s.target[i]); return d < b ? 0.5 * d * d / b : d - 0.5 * b; })) };
  },
};

// Values from ../shared/reference/edge-cases.md. want keys: value, grad (activations); loss,
// grad.<input> (losses). ulps: the tolerance (4 unless stated).
export const EDGE_CASES = [
  { name: 'E01 softplus beta=threshold=1e30', id: 'softplus', params: { beta: 1e30, threshold: 1e30 }, input: [0.5, -1, 2], want: { value: [0.5, 0, 2] } },
  { name: 'E02 softplus', id: 'softplus', params: {}, input: [1000, -1000, -40, -12.3392], want: { value: [1000, 0, 4.248354255291589e-18, 4.376758446056116e-06] } },
  { name: 'E03 logsigmoid', id: 'logsigmoid', params: {}, input: [-300, -1000, 0, 30, 1000], want: { value: [-300, -1000, -0.6931471805599453, -9.357622968839737e-14, -0] } },
  { name: 'E15 relu special values', id: 'relu', params: {}, input: [NaN, inf, -inf, -1, 2], want: { value: [NaN, inf, 0, 0, 2] } },
  { name: 'E16 leaky_relu slope 0', id: 'leaky_relu', params: { negative_slope: 0 }, input: [-1], want: { value: [-0] } },
  { name: 'E18 celu alpha=2', id: 'celu', params: { alpha: 2 }, input: [-1, 0], want: { value: [-0.7869386805747332, 0], grad: [0.6065306597126334, 1] } },
  { name: 'E19 gelu none', id: 'gelu', params: {}, input: [1, -3, 2], want: { value: [0.8413447460685429, -0.0040496940948902835, 1.9544997361036416] } },
  { name: 'E19 gelu tanh', id: 'gelu', params: { approximate: 'tanh' }, input: [1, -3, 2], want: { value: [0.8411919906082767, -0.003637392081773019, 1.954597694087775] } },
  { name: 'G01 softplus grad at 0', id: 'softplus', params: {}, input: [0], want: { grad: [0.5] } },
  { name: 'G01+G02 logsigmoid grad', id: 'logsigmoid', params: {}, input: [0, -1000, 1000], want: { grad: [0.5, 1, 0] } },
  { name: 'G04 relu grad at 0', id: 'relu', params: {}, input: [0], want: { grad: [0] } },
  { name: 'G04 leaky_relu grad at 0', id: 'leaky_relu', params: { negative_slope: 0.01 }, input: [0], want: { grad: [0.01] } },
  { name: 'G04 prelu grad at 0', id: 'prelu', params: { weight: 0.25 }, input: [0], want: { grad: [0.25] } },
  { name: 'G08 elu alpha=0.5 grad at 0', id: 'elu', params: { alpha: 0.5 }, input: [0], want: { grad: [0.5] } },
  { name: 'softmax sums to 1', id: 'softmax', params: {}, input: [1, 2, 3], want: { value: [0.09003057317038046, 0.24472847105479764, 0.6652409557748219], grad: [0, 0, 0] }, ulps: 8 },
  { name: 'E04 binary_cross_entropy none', id: 'binary_cross_entropy', params: {}, input: { input: [1, 0, 1, 0, 0, 0.5, 1e-50], target: [0, 1, 1, 0, 0.5, 1, 1], reduction: 'none' }, want: { loss: [100, 100, 0, 0, 50, 0.6931471805599453, 100] } },
  { name: 'E04 binary_cross_entropy mean', id: 'binary_cross_entropy', params: {}, input: { input: [1, 0.5], target: [0, 1], reduction: 'mean' }, want: { loss: 50.346573590279974 } },
  { name: 'E06 bce_with_logits at +-inf', id: 'binary_cross_entropy_with_logits', params: {}, input: { input: [inf, -inf], target: [1, 0], reduction: 'none' }, want: { loss: [0, 0] } },
  { name: 'E07 bce_with_logits large', id: 'binary_cross_entropy_with_logits', params: {}, input: { input: [1e4, -1e4, 1e4, 8e7], target: [0, 1, 1, 0], reduction: 'none' }, want: { loss: [1e4, 1e4, 0, 8e7] } },
  { name: 'E09 cross_entropy with -inf logit', id: 'cross_entropy', params: {}, input: { input: [[-inf, 0, 0]], target: [1], reduction: 'mean' }, want: { loss: 0.6931471805599453, 'grad.input': [[0, -0.5, 0.5]] } },
  { name: 'E10 cross_entropy target at -inf', id: 'cross_entropy', params: {}, input: { input: [[0, -inf]], target: [1], reduction: 'mean' }, want: { loss: inf } },
  { name: 'E11 cross_entropy probability target', id: 'cross_entropy', params: {}, input: { input: [[-inf, 0]], target: [[0, 1]], reduction: 'mean' }, want: { loss: 0 } },
  ...['sum', 'batchmean', 'mean'].map((reduction, i) => ({
    name: `E12 kl_div ${reduction}`, id: 'kl_div', params: {},
    input: { input: [[0.25, 0.75], [0.5, 0.5]].map((r) => r.map(log)), target: [[0.5, 0.5], [0.9, 0.1]], reduction },
    want: { loss: [0.5119052433943876, 0.2559526216971938, 0.1279763108485969][i] },
  })),
  { name: 'E13 cosine_embedding_loss (eps on the norms)', id: 'cosine_embedding_loss', params: {}, input: { input1: [[0, 0], [0, 0], [1, 0]], input2: [[0, 0], [1, 0], [-1, 0]], target: [1, 1, 1], reduction: 'none' }, want: { loss: [1, 1, 2] }, ulps: 1e5 },
  { name: 'E14 smooth_l1_loss beta=0 sum', id: 'smooth_l1_loss', params: { beta: 0 }, input: { input: [1, 2, 3], target: [1, 2.5, 0], reduction: 'sum' }, want: { loss: 3.5, 'grad.input': [0, -1, 1] } },
  { name: 'mse_loss sum', id: 'mse_loss', params: {}, input: { input: [1, 2, 3], target: [1, 2.5, 0], reduction: 'sum' }, want: { loss: 9.25, 'grad.input': [0, -1, 6] } },
  { name: 'margin_ranking_loss margin=0.5', id: 'margin_ranking_loss', params: { margin: 0.5 }, input: { input1: [1, 0], input2: [0, 1], target: [1, 1], reduction: 'none' }, want: { loss: [0, 1.5] } },
  { name: 'triplet_margin_loss (eps in the distance)', id: 'triplet_margin_loss', params: { margin: 1 }, input: { anchor: [[0, 0]], positive: [[3, 4]], negative: [[0, 0]], reduction: 'mean' }, want: { loss: dist([0, 0], [3, 4]) - dist([0, 0], [0, 0]) + 1 }, ulps: 16 },
];

// Invalid parameters and inputs: evaluate must reject with a message matching `message`.
export const INVALID = [
  { name: 'E17 celu alpha=0', id: 'celu', params: { alpha: 0 }, input: [1], message: /alpha cannot be 0/ },
  { name: 'E14 smooth_l1_loss beta<0', id: 'smooth_l1_loss', params: { beta: -1 }, input: { input: [1], target: [0], reduction: 'mean' }, message: /beta/ },
  { name: 'E19 gelu approximate=foo', id: 'gelu', params: { approximate: 'foo' }, input: [1], message: /approximate/ },
  { name: 'E05 binary_cross_entropy p=1.5', id: 'binary_cross_entropy', params: {}, input: { input: [1.5], target: [1], reduction: 'mean' }, message: /between 0 and 1|\[0, 1\]/ },
  { name: 'E20 mse_loss shape mismatch', id: 'mse_loss', params: {}, input: { input: [[1], [2]], target: [[[[1]]], [[[2]]]], reduction: 'mean' }, message: /size|shape/i },
  { name: 'triplet_margin_loss margin<=0', id: 'triplet_margin_loss', params: { margin: 0 }, input: { anchor: [[0, 0]], positive: [[1, 0]], negative: [[0, 1]], reduction: 'mean' }, message: /margin/ },
  { name: 'unknown id', id: 'nope', params: {}, input: [1], message: /nope|unknown/i },
];
