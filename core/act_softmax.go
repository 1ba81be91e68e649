package core

import "math"

// Softmax writes softmax(x) to y, F.softmax / nn.Softmax over a vector, and the vector-Jacobian
// product with a vector of ones to grad, which is 0: the outputs always sum to 1.
//
//	softmax(x)_i = e^{x_i - m} / Σ_j e^{x_j - m}, m = max_j x_j
//	Σ_i ∂softmax_i/∂x_j = 0
//
// Each x_i - m is carried to twice the float64 precision, so every output is within a few ulps
// of the true value, also when it is tiny.
//
// Special cases are:
//
//	a NaN anywhere gives NaN everywhere (y and grad)
//	k entries equal to +Inf get 1/k each and the others 0 (the limit; PyTorch returns NaN)
//	all entries -Inf give 1/n each (the limit of equal logits; PyTorch returns NaN)
//
// y and grad must have len(x) elements. Source:
// https://pytorch.org/docs/stable/generated/torch.nn.Softmax.html
func Softmax(x, y, grad []float64) { softmaxInto(x, y, grad, 1, false) }

// softmaxInto implements Softmax (sign 1), Softmin (sign -1) and LogSoftmax (log). grad may be
// nil: then only y is written (the Jacobian rows need the outputs alone).
func softmaxInto(x, y, grad []float64, sign float64, log bool) {
	n := len(x)
	if n == 0 {
		return
	}
	m, imax, nInf := math.Inf(-1), 0, 0
	for i, v := range x {
		v *= sign
		if v != v {
			for j := range y {
				y[j] = v
			}
			for j := range grad {
				grad[j] = v
			}
			return
		}
		if v > m || i == 0 {
			m, imax = v, i
		}
		if math.IsInf(v, 1) {
			nInf++
		}
	}
	fn := float64(n)
	if math.IsInf(m, 0) { // limits: the +Inf entries share the mass; all -Inf is uniform
		k := float64(nInf)
		if m < 0 {
			k = fn
		}
		for i, v := range x {
			p := 0.0
			if sign*v == m {
				p = 1 / k
			}
			y[i] = p
			if log {
				y[i] = math.Log(p)
			}
			if grad != nil {
				grad[i] = 0
				if log {
					grad[i] = 1 - fn*p
				}
			}
		}
		return
	}
	// r = Σ_{i≠imax} e^{x_i - m}; the sum of the exponentials is 1 + r.
	var r float64
	for i, v := range x {
		if i != imax {
			d, dl := actTwoSum(sign*v, -m)
			r += actMulExp(1+dl, d)
		}
	}
	lse := math.Log1p(r)
	for i, v := range x {
		d, dl := actTwoSum(sign*v, -m)
		if log {
			y[i] = (d - lse) + dl
		} else {
			y[i] = actMulExp((1+dl)/(1+r), d)
		}
		if grad != nil {
			grad[i] = 0
		}
	}
	if log && grad != nil {
		logSoftmaxGrad(x, grad, sign, m, r)
	}
}

// SoftmaxJacobianRow writes softmax(x) to y, as Softmax does, and row k of its Jacobian to row:
//
//	row[j] = ∂softmax_k/∂x_j = s_k (δ_kj - s_j),  s = softmax(x)
//
// The diagonal entry s_k (1 - s_k) is computed as s_k Σ_{j≠k} s_j, so it keeps its precision
// when s_k is near 1 (where 1 - s_k cancels: x = [40, 0] gives s_0 (1 - s_0) ≈ 4.2e-18, not 0);
// the other entries are products of two outputs, each within a few ulps. The rows sum to
// Softmax's grad, 0, up to their rounding.
//
// Special cases are:
//
//	a NaN anywhere gives NaN everywhere (y and row)
//	infinite logits: the formula at the limit outputs of Softmax (k entries +Inf: s = 1/k there)
//
// y and row must have len(x) elements and 0 <= k < len(x). It does not allocate.
func SoftmaxJacobianRow(x []float64, k int, y, row []float64) { softmaxRowInto(x, k, y, row, 1) }

// softmaxRowInto implements SoftmaxJacobianRow (sign 1) and SoftminJacobianRow (sign -1):
// ∂s_k/∂x_j = sign·s_k (δ_kj - s_j) with s = softmax(sign·x).
func softmaxRowInto(x []float64, k int, y, row []float64, sign float64) {
	softmaxInto(x, y, nil, sign, false)
	sk := y[k]
	var rest float64 // Σ_{j≠k} s_j = 1 - s_k without the cancellation
	for j, s := range y {
		if j != k {
			rest += s
		}
		row[j] = (-sign * sk) * s
	}
	row[k] = (sign * sk) * rest
}

// actSameLen is OutLen for the vector activations whose output has the input's length.
func actSameLen(n int) (int, error) { return n, nil }

func init() {
	Register(&Func{
		ID: "softmax", Class: "Softmax", Name: "Softmax", Kind: VectorActivation, Group: "Softmax family",
		Code:       []string{`nn.Softmax(dim=-1)`, `F.softmax(x, dim=-1)`},
		Formula:    `\operatorname{Softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}`,
		Derivative: `\frac{\partial\,\operatorname{Softmax}(x)_i}{\partial x_j} = s_i\,(\delta_{ij} - s_j), \quad \sum_i \frac{\partial s_i}{\partial x_j} = 0`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.Softmax.html",
		Differences: []string{"with a +inf logit PyTorch's softmax returns nan; nnplay returns the limit " +
			"(the +inf entries share the mass equally); all -inf gives 1/n each"},
		Vector: func(_ Params, x, y, g []float64) { Softmax(x, y, g) }, OutLen: actSameLen, DefaultInput: []float64{2, 1, 0.1, -1},
		JacobianRow: func(_ Params, x []float64, k int, y, row []float64) { SoftmaxJacobianRow(x, k, y, row) },
	})
}
