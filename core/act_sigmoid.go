package core

import "math"

// Sigmoid is the logistic function, F.sigmoid / nn.Sigmoid.
//
//	σ(x) = 1 / (1 + e^{-x})
//	σ'(x) = σ(x)·σ(-x) = e^{-|x|} / (1 + e^{-|x|})²
//
// The derivative is computed from e^{-|x|}, not as σ(1-σ), which cancels to 0 for x > 37.
//
// Special cases are:
//
//	Sigmoid(±0) = 0.5, 0.25
//	Sigmoid(+Inf) = 1, 0
//	Sigmoid(-Inf) = 0, 0
//	Sigmoid(NaN) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.Sigmoid.html
func Sigmoid(x float64) (y, dy float64) {
	e := exp(-math.Abs(x))
	d := 1 + e
	return sigmoid(x), e / (d * d)
}

func init() {
	Register(&Func{
		ID: "sigmoid", Class: "Sigmoid", Name: "Sigmoid", Kind: Activation, Group: "Sigmoid and tanh",
		// F.sigmoid warned "nn.functional.sigmoid is deprecated. Use torch.sigmoid instead." in PyTorch 1.x.
		Code:       []string{`nn.Sigmoid()`, `torch.sigmoid(x)`},
		Formula:    `\sigma(x) = \frac{1}{1 + e^{-x}}`,
		Derivative: `\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.Sigmoid.html",
		Differences: []string{"for |x| > 37 PyTorch's backward y·(1 - y) rounds to 0 (y is 1 in float64); " +
			"nnplay returns the true e^{-|x|}/(1 + e^{-|x|})², e.g. 4.2e-18 at x = 40"},
		Scalar: func(_ Params, x float64) (float64, float64) { return Sigmoid(x) },
		Value:  func(_ Params, x float64) float64 { return sigmoid(x) },
		XRange: [2]float64{-8, 8},
	})
}
