package core

import "math"

// SiLU is the sigmoid-weighted linear unit (swish), F.silu / nn.SiLU.
//
//	silu(x) = x·σ(x)
//	silu'(x) = σ(x)·(1 + x·σ(-x)) = σ(x)·(1 + x·(1 - σ(x)))
//
// Special cases are:
//
//	SiLU(±0) = ±0, 0.5
//	SiLU(+Inf) = +Inf, 1
//	SiLU(-Inf) = -0, -0 (PyTorch: -inf·0 = nan)
//	SiLU(NaN) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.SiLU.html
func SiLU(x float64) (y, dy float64) {
	switch {
	case x != x:
		return nan2(x)
	case math.IsInf(x, 1):
		return x, 1
	case math.IsInf(x, -1):
		return math.Copysign(0, -1), math.Copysign(0, -1)
	}
	if d, ok := seriesEval(siluDerivSeries, x); ok { // the derivative's zero at x = -1.2785
		return actMulSigmoid(x, x), d
	}
	return actMulSigmoid(x, x), actMulSigmoid(1+x*sigmoid(-x), x)
}

func init() {
	Register(&Func{
		ID: "silu", Class: "SiLU", Name: "SiLU (swish)", Kind: Activation, Group: "Smooth ReLU",
		Formula:     `\operatorname{SiLU}(x) = x\,\sigma(x) = \frac{x}{1 + e^{-x}}`,
		Derivative:  `\operatorname{SiLU}'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)`,
		Source:      "https://pytorch.org/docs/stable/generated/torch.nn.SiLU.html",
		Differences: []string{"at x = -inf PyTorch's -inf·0 gives nan; nnplay gives the limit 0"},
		Scalar:      func(_ Params, x float64) (float64, float64) { return SiLU(x) },
		Value:       func(_ Params, x float64) float64 { return siluValue(x) },
		XRange:      [2]float64{-6, 6},
	})
}

// siluValue is SiLU's y alone.
func siluValue(x float64) float64 {
	switch {
	case x != x, math.IsInf(x, 1):
		return x
	case math.IsInf(x, -1):
		return math.Copysign(0, -1)
	}
	return actMulSigmoid(x, x)
}
