package core

import "math"

// Tanh is the hyperbolic tangent, F.tanh / nn.Tanh.
//
//	tanh(x) = (e^x - e^{-x}) / (e^x + e^{-x})
//	tanh'(x) = 1 - tanh²(x) = 4e^{-2|x|} / (1 + e^{-2|x|})²
//
// The derivative is computed from e^{-2|x|}, not as 1 - tanh², which cancels to 0 for |x| > 19.
//
// Special cases are:
//
//	Tanh(±0) = ±0, 1
//	Tanh(±Inf) = ±1, 0
//	Tanh(NaN) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.Tanh.html
func Tanh(x float64) (y, dy float64) {
	e := exp(-2 * math.Abs(x))
	d := 1 + e
	return tanhAcc(x), 4 * e / (d * d)
}

// tanhAcc returns tanh(x) to within an ulp: -expm1(-2|x|) / (2 + expm1(-2|x|)) with the sign
// of x (math.Tanh is a little less accurate near |x| = 0.6).
func tanhAcc(x float64) float64 {
	a := math.Abs(x)
	if a > 22 { // tanh is 1 - 2e^{-2a}, which rounds to 1
		return math.Copysign(1, x)
	}
	if a < 0x1p-27 { // tanh x = x - x³/3 rounds to x
		return x
	}
	m := math.Expm1(-2 * a)
	return math.Copysign(-m/(2+m), x)
}

func init() {
	Register(&Func{
		ID: "tanh", Class: "Tanh", Name: "Tanh", Kind: Activation, Group: "Sigmoid and tanh",
		// F.tanh warned "nn.functional.tanh is deprecated. Use torch.tanh instead." in PyTorch 1.x.
		Code:       []string{`nn.Tanh()`, `torch.tanh(x)`},
		Formula:    `\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}`,
		Derivative: `\tanh'(x) = 1 - \tanh^2(x)`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.Tanh.html",
		Differences: []string{"for |x| > 19 PyTorch's backward 1 - y² rounds to 0 (y is ±1 in float64); " +
			"nnplay returns the true 4e^{-2|x|}/(1 + e^{-2|x|})², e.g. 1.8e-17 at x = 20"},
		Scalar: func(_ Params, x float64) (float64, float64) { return Tanh(x) },
		Value:  func(_ Params, x float64) float64 { return tanhAcc(x) },
		XRange: [2]float64{-4, 4},
	})
}
