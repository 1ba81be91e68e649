package core

import "math"

// Tanhshrink is x - tanh(x), F.tanhshrink / nn.Tanhshrink.
//
//	tanhshrink(x) = x - tanh(x)
//	tanhshrink'(x) = tanh²(x)
//
// For |x| < 2 the difference (and for |x| < 1 tanh² = x²/(1 + q)²) is computed without cancellation from Lambert's continued fraction
// tanh x = x / (1 + q), q = x²/(3 + x²/(5 + x²/(7 + ...))), as x·q / (1 + q); near 0 the naive
// x - tanh x loses all its digits (it is x³/3 + O(x⁵)).
//
// Special cases are:
//
//	Tanhshrink(±0) = ±0, 0
//	Tanhshrink(±Inf) = ±Inf, 1
//	Tanhshrink(NaN) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.Tanhshrink.html
func Tanhshrink(x float64) (y, dy float64) {
	if x != x {
		return nan2(x)
	}
	a := math.Abs(x)
	var d2 float64 // tanh² = 1 - sech², sech² = 4e/(1 + e)², e = e^{-2|x|}: used for |x| >= 1
	if a >= 1 {
		e := exp(-2 * a)
		d := 1 + e
		d2 = 1 - 4*e/(d*d)
	}
	if a >= 2 { // x - tanh x does not cancel
		return x - tanhAcc(x), d2
	}
	x2 := x * x
	d := 2*tanhshrinkDepth + 1.0
	for k := tanhshrinkDepth - 1; k >= 1; k-- {
		d = float64(2*k+1) + x2/d
	}
	q := x2 / d // tanh x = x/(1 + q)
	if a < 1 {
		d2 = x2 / ((1 + q) * (1 + q))
	}
	return x * q / (1 + q), d2
}

// tanhshrinkDepth is the number of levels of the continued fraction: enough for |x| < 2.
const tanhshrinkDepth = 16

func init() {
	Register(&Func{
		ID: "tanhshrink", Class: "Tanhshrink", Name: "Tanhshrink", Kind: Activation, Group: "Shrinkage",
		Formula:    `\operatorname{Tanhshrink}(x) = x - \tanh(x)`,
		Derivative: `\operatorname{Tanhshrink}'(x) = \tanh^2(x)`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.Tanhshrink.html",
		Scalar:     func(_ Params, x float64) (float64, float64) { return Tanhshrink(x) },
		XRange:     [2]float64{-4, 4},
	})
}
