package core

// Hardshrink is F.hardshrink / nn.Hardshrink: 0 on [-lambd, lambd], x elsewhere.
//
//	hardshrink(x) = x for |x| > lambd, 0 for -lambd ≤ x ≤ lambd
//	hardshrink'(x) = 1 for |x| > lambd, 0 for -lambd ≤ x ≤ lambd
//
// Special cases are:
//
//	Hardshrink(±lambd, lambd) = 0, 0
//	Hardshrink(±Inf, lambd) = ±Inf, 1
//	Hardshrink(NaN, lambd) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.Hardshrink.html
func Hardshrink(x, lambd float64) (y, dy float64) {
	switch {
	case x != x:
		return nan2(x)
	case x >= -lambd && x <= lambd:
		return 0, 0
	}
	return x, 1
}

func init() {
	Register(&Func{
		ID: "hardshrink", Class: "Hardshrink", Name: "Hardshrink", Kind: Activation, Group: "Shrinkage",
		Params:     []Param{lambdParam()},
		Formula:    `\operatorname{Hardshrink}(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}`,
		Derivative: `\operatorname{Hardshrink}'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.Hardshrink.html",
		Kinks: []string{"at x = ±lambd the value and the derivative are 0 (the interval [-lambd, lambd] is closed " +
			"in both the forward and the backward kernel)"},
		Scalar: func(p Params, x float64) (float64, float64) { return Hardshrink(x, p.Num[0]) },
		XRange: [2]float64{-2, 2},
	})
}

// lambdParam is the lambd parameter of Hardshrink and Softshrink (PyTorch's default 0.5).
func lambdParam() Param {
	return Param{Name: "lambd", Type: Real, Default: 0.5, Min: 0, Max: 3, Step: 0.05,
		Doc: "the half-width of the interval mapped to 0"}
}
