package core

// Hardswish is F.hardswish / nn.Hardswish, x times a hard sigmoid.
//
//	hardswish(x) = x·min(max(x + 3, 0), 6) / 6
//	hardswish'(x) = 0 for x ≤ -3, (2x + 3)/6 for -3 < x < 3, 1 for x ≥ 3
//
// The derivative at ±3 follows current PyTorch (pytorch/pytorch PR #148049): 0 at -3 and 1 at 3.
// Releases up to 2.6 gave -0.5 and 1.5 there.
//
// Special cases are:
//
//	Hardswish(-3) = 0, 0
//	Hardswish(3) = 3, 1
//	Hardswish(+Inf) = +Inf, 1
//	Hardswish(-Inf) = 0, 0
//	Hardswish(NaN) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.Hardswish.html
func Hardswish(x float64) (y, dy float64) {
	switch {
	case x <= -3:
		return 0, 0
	case x >= 3:
		return x, 1
	case x > -3:
		return x * (x + 3) / 6, (2*x + 3) / 6
	}
	return nan2(x)
}

func init() {
	Register(&Func{
		ID: "hardswish", Class: "Hardswish", Name: "Hardswish", Kind: Activation, Group: "Smooth ReLU",
		Formula: `\operatorname{Hardswish}(x) = \begin{cases} 0 & x \le -3 \\ x & x \ge 3 \\ x\,(x + 3)/6 & \text{otherwise} \end{cases}`,
		Derivative: `\operatorname{Hardswish}'(x) = \begin{cases} 0 & x \le -3 \\ 1 & x \ge 3 \\ ` +
			`(2x + 3)/6 & \text{otherwise} \end{cases}`,
		Source: "https://pytorch.org/docs/stable/generated/torch.nn.Hardswish.html",
		Kinks: []string{"at x = -3 the derivative is 0 and at x = 3 it is 1 (current PyTorch, PR #148049; " +
			"PyTorch 2.6 and older gave -0.5 and 1.5)"},
		Scalar: func(_ Params, x float64) (float64, float64) { return Hardswish(x) },
		XRange: [2]float64{-5, 5},
	})
}
