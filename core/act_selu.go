package core

import "math"

// SELU's constants, from Klambauer et al., "Self-Normalizing Neural Networks" (2017), as in
// PyTorch (aten/src/ATen/native/Activation.cpp).
const (
	SELUAlpha = 1.6732632423543772848170429916717
	SELUScale = 1.0507009873554804934193349852946
)

// seluNegCoef is scale·alpha as PyTorch computes it in float64 (1.7580993408473766; the exact
// product of the decimal constants rounds to 1.7580993408473768, one ulp away).
var seluNegCoef = func() float64 {
	a, s := float64(SELUAlpha), float64(SELUScale)
	return a * s
}()

// SELU is the scaled ELU, F.selu / nn.SELU.
//
//	selu(x) = scale·x for x > 0, scale·alpha·(e^x - 1) for x ≤ 0
//	selu'(x) = scale for x > 0, scale·alpha·e^x for x ≤ 0
//
// with alpha = 1.6732632423543772… and scale = 1.0507009873554804….
//
// Special cases are:
//
//	SELU(±0) = ±0, 1.7580993408473766 (= scale·alpha: the x ≤ 0 branch is used at 0)
//	SELU(+Inf) = +Inf, scale
//	SELU(-Inf) = -scale·alpha, 0
//	SELU(NaN) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.SELU.html
func SELU(x float64) (y, dy float64) {
	switch {
	case x > 0:
		return SELUScale * x, SELUScale
	case x <= 0:
		return seluNegCoef * math.Expm1(x), actMulExp(seluNegCoef, x)
	}
	return nan2(x)
}

func init() {
	Register(&Func{
		ID: "selu", Class: "SELU", Name: "SELU", Kind: Activation, Group: "Smooth ReLU",
		Formula: `\operatorname{SELU}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}, ` +
			`\quad \alpha \approx 1.6733,\ \lambda \approx 1.0507`,
		Derivative: `\operatorname{SELU}'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.SELU.html",
		Kinks: []string{"at x = 0 the derivative is scale·alpha = 1.7580993408473766 (PyTorch uses the x ≤ 0 " +
			"branch); from the right it is scale = 1.0507009873554805"},
		Scalar: func(_ Params, x float64) (float64, float64) { return SELU(x) },
		XRange: [2]float64{-4, 4},
	})
}
