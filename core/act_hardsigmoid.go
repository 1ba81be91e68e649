package core

// Hardsigmoid is F.hardsigmoid / nn.Hardsigmoid, a piecewise-linear sigmoid.
//
//	hardsigmoid(x) = min(max(x + 3, 0), 6) / 6
//	hardsigmoid'(x) = 1/6 for -3 < x < 3, 0 otherwise
//
// Special cases are:
//
//	Hardsigmoid(±3) = 0 or 1, 0 (the backward's test is strict)
//	Hardsigmoid(±Inf) = 1 or 0, 0
//	Hardsigmoid(NaN) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.Hardsigmoid.html
func Hardsigmoid(x float64) (y, dy float64) {
	switch {
	case x <= -3:
		return 0, 0
	case x >= 3:
		return 1, 0
	case x > -3:
		return (x + 3) / 6, 1.0 / 6
	}
	return nan2(x)
}

func init() {
	Register(&Func{
		ID: "hardsigmoid", Class: "Hardsigmoid", Name: "Hardsigmoid", Kind: Activation, Group: "Sigmoid and tanh",
		Formula:    `\operatorname{Hardsigmoid}(x) = \begin{cases} 0 & x \le -3 \\ 1 & x \ge 3 \\ x/6 + 1/2 & \text{otherwise} \end{cases}`,
		Derivative: `\operatorname{Hardsigmoid}'(x) = \begin{cases} 1/6 & -3 < x < 3 \\ 0 & \text{otherwise} \end{cases}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.Hardsigmoid.html",
		Kinks:      []string{"at x = -3 and at x = 3 the derivative is 0 (the backward tests -3 < x < 3)"},
		Differences: []string{"PyTorch's CPU backward uses float32(1/6) = 0.1666666716337204 as the slope " +
			"even for float64; nnplay uses 1/6"},
		Scalar: func(_ Params, x float64) (float64, float64) { return Hardsigmoid(x) },
		XRange: [2]float64{-5, 5},
	})
}
