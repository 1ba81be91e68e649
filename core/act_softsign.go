package core

import "math"

// Softsign is x / (1 + |x|), F.softsign / nn.Softsign.
//
//	softsign(x) = x / (1 + |x|)
//	softsign'(x) = 1 / (1 + |x|)²
//
// Special cases are:
//
//	Softsign(±0) = ±0, 1
//	Softsign(±Inf) = ±1, 0
//	Softsign(NaN) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.Softsign.html
func Softsign(x float64) (y, dy float64) {
	if math.IsInf(x, 0) {
		return math.Copysign(1, x), 0
	}
	r := 1 / (1 + math.Abs(x))
	return x / (1 + math.Abs(x)), r * r
}

func init() {
	Register(&Func{
		ID: "softsign", Class: "Softsign", Name: "Softsign", Kind: Activation, Group: "Sigmoid and tanh",
		Formula:    `\operatorname{Softsign}(x) = \frac{x}{1 + |x|}`,
		Derivative: `\operatorname{Softsign}'(x) = \frac{1}{(1 + |x|)^2}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.Softsign.html",
		Differences: []string{"at x = ±inf PyTorch's inf/inf gives nan; nnplay gives the limit ±1 " +
			"(derivative 0)"},
		Scalar: func(_ Params, x float64) (float64, float64) { return Softsign(x) },
		XRange: [2]float64{-8, 8},
	})
}
