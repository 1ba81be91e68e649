package core

import "math"

// CELU is the continuously differentiable ELU, F.celu / nn.CELU.
//
//	celu(x) = x for x > 0, alpha·(e^{x/alpha} - 1) for x ≤ 0
//	celu'(x) = 1 for x > 0, e^{x/alpha} for x ≤ 0
//
// x/alpha is carried to twice the float64 precision, so e^{x/alpha} keeps its accuracy for large
// |x/alpha|.
//
// Special cases are:
//
//	CELU(±0, alpha) = ±0, 1
//	CELU(+Inf, alpha) = +Inf, 1
//	CELU(-Inf, alpha) = -alpha, 0 (alpha > 0)
//	CELU(NaN, alpha) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.CELU.html
func CELU(x, alpha float64) (y, dy float64) {
	switch {
	case x > 0:
		return x, 1
	case x <= 0:
		q := x / alpha
		if q > 709 { // alpha < 0: e^{x/alpha} overflows, as the true value does
			return alpha * math.Expm1(q), exp(q)
		}
		var ql float64 // x/alpha = q + ql to first order
		if q-q == 0 && q != 0 {
			ql = divRem(x, alpha, q) / alpha
		}
		return alpha * (math.Expm1(q) + actMulExp(ql, q)), actMulExp(1+ql, q)
	}
	return nan2(x)
}

func init() {
	Register(&Func{
		ID: "celu", Class: "CELU", Name: "CELU", Kind: Activation, Group: "Smooth ReLU",
		Params: []Param{{Name: "alpha", Type: Real, Default: 1, Min: 0.05, Max: 3, Step: 0.05,
			Doc: "the value approached as x → -∞ is -alpha; must not be 0"}},
		Formula:    `\operatorname{CELU}(x) = \begin{cases} x & x > 0 \\ \alpha\,\left(e^{x/\alpha} - 1\right) & x \le 0 \end{cases}`,
		Derivative: `\operatorname{CELU}'(x) = \begin{cases} 1 & x > 0 \\ e^{x/\alpha} & x \le 0 \end{cases}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.CELU.html",
		Kinks:      []string{"at x = 0 the derivative is 1 from both sides, for every alpha ≠ 0"},
		Validate: func(p Params) error {
			if p.Num[0] == 0 {
				return Errorf("alpha", "ZeroDivisionError: alpha cannot be 0 for CELU")
			}
			return nil
		},
		Scalar: func(p Params, x float64) (float64, float64) { return CELU(x, p.Num[0]) },
		XRange: [2]float64{-4, 4},
	})
}
