package core

import "math"

// Mish is x·tanh(softplus(x)), F.mish / nn.Mish (Misra, 2019).
//
//	mish(x) = x·tanh(log(1 + e^x))
//	mish'(x) = T + x·σ(x)·(1 - T²), T = tanh(log(1 + e^x))
//
// T is a rational function of e^x: T = e^x(e^x + 2)/(e^x(e^x + 2) + 2) for x ≤ 0 and, with
// n = e^{-x}, T = (1 + 2n)/(1 + 2n + 2n²) for x > 0, where 1 - T² = 4n²(1 + n)²/(1 + 2n + 2n²)²
// is computed without cancellation. Nothing overflows for large |x|.
//
// Special cases are:
//
//	Mish(±0) = ±0, 0.6
//	Mish(+Inf) = +Inf, 1
//	Mish(-Inf) = -0, -0 (PyTorch: -inf·0 = nan)
//	Mish(NaN) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.Mish.html
func Mish(x float64) (y, dy float64) {
	switch {
	case x != x:
		return nan2(x)
	case math.IsInf(x, 1):
		return x, 1
	case math.IsInf(x, -1):
		return math.Copysign(0, -1), math.Copysign(0, -1)
	case x >= mishDerivSeries[0].lo && x <= mishDerivSeries[len(mishDerivSeries)-1].hi:
		// the derivative's zero at x = -1.1924: the terms below cancel
		d, _ := seriesEval(mishDerivSeries, x)
		e := exp(x)
		num := e * (e + 2)
		return x * (num / (num + 2)), d
	case x > 0:
		n := exp(-x)
		d := 1 + 2*n*(1+n)
		t := (1 + 2*n) / d
		m := 2 * n * (1 + n) / d // 1 - T² = m²
		return x * t, t + x*sigmoid(x)*(m*m)
	}
	e := exp(x)
	num := e * (e + 2)
	d := num + 2
	// mish'(x) = e^x·b, b = (e+2)/d + x·(1 - T²)/(1 + e) with 1 - T² = 4(num + 1)/d², written as
	// 1 + x plus its small corrections so that b keeps its precision for x << 0:
	// (e+2)/d - 1 = -e(1+e)/d and (1 - T²)/(1 + e) - 1 = -(num²/d² + e)/(1 + e).
	b := (1 + x) - e*(1+e)/d - x*((num/d)*(num/d)+e)/(1+e)
	if x < -708 {
		return actMulExp(x*((e+2)/d), x), actMulExp(b, x)
	}
	return x * (num / d), e * b
}

func init() {
	Register(&Func{
		ID: "mish", Class: "Mish", Name: "Mish", Kind: Activation, Group: "Smooth ReLU",
		Formula:     `\operatorname{Mish}(x) = x\,\tanh\bigl(\operatorname{softplus}(x)\bigr) = x\,\tanh\left(\log\left(1 + e^{x}\right)\right)`,
		Derivative:  `\operatorname{Mish}'(x) = T + x\,\sigma(x)\,\left(1 - T^2\right), \quad T = \tanh\left(\log\left(1 + e^{x}\right)\right)`,
		Source:      "https://pytorch.org/docs/stable/generated/torch.nn.Mish.html",
		Differences: []string{"at x = -inf PyTorch's -inf·0 gives nan; nnplay gives the limit 0"},
		Scalar:      func(_ Params, x float64) (float64, float64) { return Mish(x) },
		Value:       func(_ Params, x float64) float64 { return mishValue(x) },
		XRange:      [2]float64{-6, 6},
	})
}

// mishValue is Mish's y alone.
func mishValue(x float64) float64 {
	switch {
	case x != x, math.IsInf(x, 1):
		return x
	case math.IsInf(x, -1):
		return math.Copysign(0, -1)
	case x >= mishDerivSeries[0].lo && x <= mishDerivSeries[len(mishDerivSeries)-1].hi:
		e := exp(x)
		num := e * (e + 2)
		return x * (num / (num + 2))
	case x > 0:
		n := exp(-x)
		d := 1 + 2*n*(1+n)
		return x * ((1 + 2*n) / d)
	}
	e := exp(x)
	num := e * (e + 2)
	d := num + 2
	if x < -708 {
		return actMulExp(x*((e+2)/d), x)
	}
	return x * (num / d)
}
