package core

// LeakyReLU is F.leaky_relu / nn.LeakyReLU.
//
//	leaky_relu(x) = x for x > 0, negative_slope·x for x ≤ 0
//	leaky_relu'(x) = 1 for x > 0, negative_slope for x ≤ 0
//
// Special cases are:
//
//	LeakyReLU(±0, s) = 0·s, s (PyTorch's kernel branches on x > 0, so the slope at 0 is s)
//	LeakyReLU(+Inf, s) = +Inf, 1
//	LeakyReLU(-Inf, s) = -Inf·s, s; -0 for s = 0 (PyTorch: -inf·0 = nan)
//	LeakyReLU(NaN, s) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.LeakyReLU.html
func LeakyReLU(x, negativeSlope float64) (y, dy float64) {
	switch {
	case x > 0:
		return x, 1
	case x <= 0:
		return actMul0(negativeSlope, x), negativeSlope
	}
	return nan2(x)
}

func init() {
	Register(&Func{
		ID: "leaky_relu", Class: "LeakyReLU", Name: "Leaky ReLU", Kind: Activation, Group: "ReLU family",
		Params: []Param{{Name: "negative_slope", Type: Real, Default: 0.01, Min: 0, Max: 1, Step: 0.01,
			Doc: "the slope for x < 0"}},
		Formula:    `\operatorname{LeakyReLU}(x) = \begin{cases} x & x > 0 \\ \text{negative\_slope}\cdot x & x \le 0 \end{cases}`,
		Derivative: `\operatorname{LeakyReLU}'(x) = \begin{cases} 1 & x > 0 \\ \text{negative\_slope} & x \le 0 \end{cases}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.LeakyReLU.html",
		Kinks: []string{"at x = 0 the derivative is negative_slope (PyTorch's kernel tests x > 0, so 0 " +
			"takes the left branch)"},
		Differences: []string{"for negative_slope = 0 and x = -inf PyTorch's -inf·0 gives nan; nnplay gives 0"},
		Scalar:      func(p Params, x float64) (float64, float64) { return LeakyReLU(x, p.Num[0]) },
		XRange:      [2]float64{-4, 4},
	})
}
