package core

// Threshold is F.threshold / nn.Threshold: x above the threshold, value at or below it.
//
//	threshold(x) = x for x > threshold, value for x ≤ threshold
//	threshold'(x) = 1 for x > threshold, 0 for x ≤ threshold
//
// nn.Threshold has no defaults (both arguments are required); nnplay starts from threshold = 0,
// value = 0, where it is ReLU.
//
// Special cases are:
//
//	Threshold(threshold, threshold, v) = v, 0
//	Threshold(+Inf, t, v) = +Inf, 1 (t finite)
//	Threshold(-Inf, t, v) = v, 0
//	Threshold(NaN, t, v) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.Threshold.html
func Threshold(x, threshold, value float64) (y, dy float64) {
	switch {
	case x > threshold:
		return x, 1
	case x <= threshold:
		return value, 0
	}
	return nan2(x)
}

func init() {
	Register(&Func{
		ID: "threshold", Class: "Threshold", Name: "Threshold", Kind: Activation, Group: "ReLU family",
		// threshold and value are required positional arguments of nn.Threshold and F.threshold.
		Code: []string{`nn.Threshold({threshold}, {value})`, `F.threshold(x, {threshold}, {value})`},
		Params: []Param{
			{Name: "threshold", Type: Real, Default: 0, Min: -3, Max: 3, Step: 0.05,
				Doc: "inputs at or below it are replaced (required in PyTorch; nnplay starts at 0)"},
			{Name: "value", Type: Real, Default: 0, Min: -3, Max: 3, Step: 0.05,
				Doc: "the replacement (required in PyTorch; nnplay starts at 0)"},
		},
		Formula:    `\operatorname{Threshold}(x) = \begin{cases} x & x > \text{threshold} \\ \text{value} & x \le \text{threshold} \end{cases}`,
		Derivative: `\operatorname{Threshold}'(x) = \begin{cases} 1 & x > \text{threshold} \\ 0 & x \le \text{threshold} \end{cases}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.Threshold.html",
		Kinks:      []string{"at x = threshold the derivative is 0 (threshold_backward: x <= threshold gives 0)"},
		Scalar:     func(p Params, x float64) (float64, float64) { return Threshold(x, p.Num[0], p.Num[1]) },
		XRange:     [2]float64{-3, 3},
	})
}
