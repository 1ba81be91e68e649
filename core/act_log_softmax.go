package core

import "math"

// LogSoftmax writes log_softmax(x) to y, F.log_softmax / nn.LogSoftmax, and the vector-Jacobian
// product with ones to grad.
//
//	log_softmax(x)_i = x_i - m - log Σ_j e^{x_j - m}, m = max_j x_j
//	Σ_i ∂log_softmax_i/∂x_j = 1 - n·softmax(x)_j
//
// The sum is split as 1 + r with r the sum over all entries but the first maximum, and log(1 + r)
// is computed with log1p, so the maximum's output -log1p(r) keeps its precision when r is tiny.
//
// Special cases are:
//
//	a NaN anywhere gives NaN everywhere
//	entries equal to -Inf give -Inf (and grad 1)
//	k entries equal to +Inf give -log k, the others -Inf (the limit; PyTorch returns NaN)
//	all entries -Inf give -log n each (the limit of equal logits; PyTorch returns NaN)
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.LogSoftmax.html
func LogSoftmax(x, y, grad []float64) { softmaxInto(x, y, grad, 1, true) }

// LogSoftmaxJacobianRow writes log_softmax(x) to y, as LogSoftmax does, and row k of its
// Jacobian to row:
//
//	row[j] = ∂log_softmax_k/∂x_j = δ_kj - s_j,  s = softmax(x)
//
// The diagonal entry 1 - s_k is computed as Σ_{j≠k} s_j, without the cancellation where s_k is
// near 1 (x = [40, 0]: 1 - s_0 ≈ 4.2e-18, not 0). Row k does not depend on k except at its
// diagonal: every output moves with -s_j when x_j grows, and its own input adds 1.
//
// Special cases are:
//
//	a NaN anywhere gives NaN everywhere (y and row)
//	infinite logits: the formula at LogSoftmax's limit (k entries +Inf: s = 1/k there, 0 elsewhere)
//
// y and row must have len(x) elements and 0 <= k < len(x). It does not allocate.
func LogSoftmaxJacobianRow(x []float64, k int, y, row []float64) {
	softmaxInto(x, y, nil, 1, true)
	softmaxInto(x, row, nil, 1, false) // s, in place in row
	var rest float64                   // Σ_{j≠k} s_j = 1 - s_k
	for j, s := range row {
		if j != k {
			rest += s
		}
		row[j] = -s
	}
	row[k] = rest
}

// logSoftmaxGrad writes 1 - n·p_i (p = softmax(sign·x), m the maximum of sign·x, 1 + r the sum of
// e^{sign·x_j - m}) to grad without the cancellation of 1 - n·p_i when p_i is near 1/n:
//
//	1 - n·p_i = Σ_j (p_j - p_i),  p_j - p_i = p_i·expm1(d_j),  d_j = x_j - x_i
//
// and for |d_j| < 1, expm1(d_j) = d_j + (e^{d_j} - 1 - d_j), where the first terms are summed
// exactly (compensated, with d_j itself exact as a double-double) and the second, never negative,
// from their Taylor series. The cancellation at near-ties (x = [1e-8, 0, -1e-8]) is then exact.
func logSoftmaxGrad(x, grad []float64, sign, m, r float64) {
	for i, vi := range x {
		di, dil := actTwoSum(sign*vi, -m)
		pi := actMulExp((1+dil)/(1+r), di)
		var lin, linC, e2, far, farC float64
		for j, vj := range x {
			if j == i {
				continue
			}
			d, dl := actTwoSum(sign*vj, -sign*vi)
			if math.Abs(d) < 1 {
				lin, linC = actNeumaierAdd(lin, linC, d)
				lin, linC = actNeumaierAdd(lin, linC, dl)
				e2 += actExpm1MinusX(d) + math.Expm1(d)*dl
			} else {
				dj, djl := actTwoSum(sign*vj, -m)
				far, farC = actNeumaierAdd(far, farC, actMulExp((1+djl)/(1+r), dj))
				far, farC = actNeumaierAdd(far, farC, -pi)
			}
		}
		grad[i] = pi*((lin+linC)+e2) + (far + farC)
	}
}

// actNeumaierAdd adds t to the compensated sum (s, c).
func actNeumaierAdd(s, c, t float64) (float64, float64) {
	u := s + t
	if math.Abs(s) >= math.Abs(t) {
		c += (s - u) + t
	} else {
		c += (t - u) + s
	}
	return u, c
}

// actExpm1MinusX returns e^d - 1 - d for |d| < 1 from its Taylor series (Σ_{k≥2} d^k/k!).
func actExpm1MinusX(d float64) float64 {
	v := 1.0 / 121645100408832000 // 1/19!
	for k := 18; k >= 2; k-- {
		v = v*d + 1/actFactorials[k]
	}
	return v * d * d
}

// actFactorials[k] = k! for k <= 19 (exact in float64 up to 18!, rounded for 19!).
var actFactorials = [...]float64{1, 1, 2, 6, 24, 120, 720, 5040, 40320, 362880, 3628800, 39916800,
	479001600, 6227020800, 87178291200, 1307674368000, 20922789888000, 355687428096000,
	6402373705728000, 121645100408832000}

func init() {
	Register(&Func{
		ID: "log_softmax", Class: "LogSoftmax", Name: "LogSoftmax", Kind: VectorActivation, Group: "Softmax family",
		Code:       []string{`nn.LogSoftmax(dim=-1)`, `F.log_softmax(x, dim=-1)`},
		Formula:    `\operatorname{LogSoftmax}(x)_i = x_i - \log \sum_j e^{x_j} = x_i - m - \log \sum_j e^{x_j - m},\ m = \max_j x_j`,
		Derivative: `\frac{\partial\,\operatorname{LogSoftmax}(x)_i}{\partial x_j} = \delta_{ij} - \operatorname{softmax}(x)_j, \quad \sum_i \frac{\partial y_i}{\partial x_j} = 1 - n\,\operatorname{softmax}(x)_j`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.LogSoftmax.html",
		Differences: []string{"with a +inf logit PyTorch's log_softmax returns nan; nnplay returns the limit " +
			"(-log k at the k +inf entries, -inf elsewhere); all -inf gives -log n each"},
		Vector: func(_ Params, x, y, g []float64) { LogSoftmax(x, y, g) }, OutLen: actSameLen, DefaultInput: []float64{2, 1, 0.1, -1},
		JacobianRow: func(_ Params, x []float64, k int, y, row []float64) { LogSoftmaxJacobianRow(x, k, y, row) },
	})
}
