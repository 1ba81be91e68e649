package core

import "math"

// ELU is the exponential linear unit, F.elu / nn.ELU.
//
//	elu(x) = x for x > 0, alpha·(e^x - 1) for x ≤ 0
//	elu'(x) = 1 for x > 0, alpha·e^x for x ≤ 0
//
// e^x - 1 is computed with expm1 (PyTorch's CPU kernel uses exp(x) - 1, which loses relative
// precision for tiny |x|).
//
// Special cases are:
//
//	ELU(±0, alpha) = ±0·alpha, alpha (the x ≤ 0 branch is used at 0)
//	ELU(+Inf, alpha) = +Inf, 1
//	ELU(-Inf, alpha) = -alpha, 0
//	ELU(NaN, alpha) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.ELU.html
func ELU(x, alpha float64) (y, dy float64) {
	switch {
	case x > 0:
		return x, 1
	case x <= 0:
		return alpha * math.Expm1(x), actMulExp(alpha, x)
	}
	return nan2(x)
}

func init() {
	Register(&Func{
		ID: "elu", Class: "ELU", Name: "ELU", Kind: Activation, Group: "Smooth ReLU",
		Params: []Param{{Name: "alpha", Type: Real, Default: 1, Min: 0, Max: 3, Step: 0.05,
			Doc: "the value approached as x → -∞ is -alpha"}},
		Formula:    `\operatorname{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}`,
		Derivative: `\operatorname{ELU}'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.ELU.html",
		Kinks: []string{"at x = 0 the derivative is alpha (PyTorch uses the x ≤ 0 branch); " +
			"for alpha ≠ 1 the derivative jumps from alpha to 1 there"},
		Scalar: func(p Params, x float64) (float64, float64) { return ELU(x, p.Num[0]) },
		Value: func(p Params, x float64) float64 {
			if x <= 0 {
				return p.Num[0] * math.Expm1(x)
			}
			return x // x > 0, or NaN
		},
		XRange: [2]float64{-4, 4},
	})
}
