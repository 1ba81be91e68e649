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

// Softmin writes softmin(x) = softmax(-x) to y, F.softmin / nn.Softmin, and the vector-Jacobian
// product with ones (0) to grad. Special cases are those of Softmax with -x.
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.Softmin.html
func Softmin(x, y, grad []float64) { softmaxInto(x, y, grad, -1, false) }

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

// softmaxInto implements Softmax (sign 1), Softmin (sign -1) and LogSoftmax (log).
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
				y[j], grad[j] = v, v
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
			if log {
				y[i] = math.Log(p)
				grad[i] = 1 - fn*p
			} else {
				y[i], grad[i] = p, 0
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
		grad[i] = 0
	}
	if log {
		logSoftmaxGrad(x, grad, sign, m, r)
	}
}

// logSoftmaxGrad writes 1 - n·p_i (p = softmax(sign·x), m the maximum of sign·x, 1 + r the sum of
// e^{sign·x_j - m}) to grad without the cancellation of 1 - n·p_i when p_i is near 1/n:
// 1 - n·p_i = Σ_j (p_j - p_i), and p_j - p_i = p_i·expm1(x_j - x_i) when |x_j - x_i| < 1.
func logSoftmaxGrad(x, grad []float64, sign, m, r float64) {
	for i, vi := range x {
		di, dil := actTwoSum(sign*vi, -m)
		pi := actMulExp((1+dil)/(1+r), di)
		var g, c float64 // Neumaier-compensated sum
		for j, vj := range x {
			if j == i {
				continue
			}
			d, dl := actTwoSum(sign*vj, -sign*vi)
			var t float64
			if math.Abs(d) < 1 {
				t = pi * (math.Expm1(d) + math.Exp(d)*dl)
			} else {
				dj, djl := actTwoSum(sign*vj, -m)
				t = actMulExp((1+djl)/(1+r), dj) - pi
			}
			s := g + t
			if math.Abs(g) >= math.Abs(t) {
				c += (g - s) + t
			} else {
				c += (t - s) + g
			}
			g = s
		}
		grad[i] = g + c
	}
}

func init() {
	vecLen := func(n int) (int, error) { return n, nil }
	input := []float64{2, 1, 0.1, -1}
	Register(&Func{
		ID: "softmin", Class: "Softmin", Name: "Softmin", Kind: VectorActivation, Group: "Softmax family",
		Formula:    `\operatorname{Softmin}(x)_i = \frac{e^{-x_i}}{\sum_j e^{-x_j}}`,
		Derivative: `\frac{\partial\,\operatorname{Softmin}(x)_i}{\partial x_j} = -s_i\,(\delta_{ij} - s_j), \quad \sum_i \frac{\partial s_i}{\partial x_j} = 0`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.Softmin.html",
		Differences: []string{"with a -inf logit PyTorch's softmin returns nan; nnplay returns the limit " +
			"(the -inf entries share the mass equally); all +inf gives 1/n each"},
		Vector: func(_ Params, x, y, g []float64) { Softmin(x, y, g) }, OutLen: vecLen, DefaultInput: input,
	})
	Register(&Func{
		ID: "softmax", Class: "Softmax", Name: "Softmax", Kind: VectorActivation, Group: "Softmax family",
		Formula:    `\operatorname{Softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}`,
		Derivative: `\frac{\partial\,\operatorname{Softmax}(x)_i}{\partial x_j} = s_i\,(\delta_{ij} - s_j), \quad \sum_i \frac{\partial s_i}{\partial x_j} = 0`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.Softmax.html",
		Differences: []string{"with a +inf logit PyTorch's softmax returns nan; nnplay returns the limit " +
			"(the +inf entries share the mass equally); all -inf gives 1/n each"},
		Vector: func(_ Params, x, y, g []float64) { Softmax(x, y, g) }, OutLen: vecLen, DefaultInput: input,
	})
	Register(&Func{
		ID: "log_softmax", Class: "LogSoftmax", Name: "LogSoftmax", Kind: VectorActivation, Group: "Softmax family",
		Formula:    `\operatorname{LogSoftmax}(x)_i = x_i - \log \sum_j e^{x_j} = x_i - m - \log \sum_j e^{x_j - m},\ m = \max_j x_j`,
		Derivative: `\frac{\partial\,\operatorname{LogSoftmax}(x)_i}{\partial x_j} = \delta_{ij} - \operatorname{softmax}(x)_j, \quad \sum_i \frac{\partial y_i}{\partial x_j} = 1 - n\,\operatorname{softmax}(x)_j`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.LogSoftmax.html",
		Differences: []string{"with a +inf logit PyTorch's log_softmax returns nan; nnplay returns the limit " +
			"(-log k at the k +inf entries, -inf elsewhere); all -inf gives -log n each"},
		Vector: func(_ Params, x, y, g []float64) { LogSoftmax(x, y, g) }, OutLen: vecLen, DefaultInput: input,
	})
}
