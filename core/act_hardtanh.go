package core

import "math"

// Hardtanh is F.hardtanh / nn.Hardtanh: x clamped to [min_val, max_val].
//
//	hardtanh(x) = min(max(x, min_val), max_val)
//	hardtanh'(x) = 1 for min_val < x < max_val, 0 otherwise
//
// Special cases are:
//
//	Hardtanh(min_val, min_val, max_val) = min_val, 0 (0 at both bounds, unlike torch.clamp)
//	Hardtanh(max_val, min_val, max_val) = max_val, 0
//	Hardtanh(±Inf, min_val, max_val) = max_val or min_val, 0
//	Hardtanh(NaN, min_val, max_val) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.Hardtanh.html
func Hardtanh(x, minVal, maxVal float64) (y, dy float64) {
	if x != x {
		return nan2(x)
	}
	y = math.Min(math.Max(x, minVal), maxVal)
	if x <= minVal || x >= maxVal {
		return y, 0
	}
	return y, 1
}

func init() {
	Register(&Func{
		ID: "hardtanh", Class: "Hardtanh", Name: "Hardtanh", Kind: Activation, Group: "Sigmoid and tanh",
		Params: []Param{
			{Name: "min_val", Type: Real, Default: -1, Min: -5, Max: 5, Step: 0.05, Doc: "the lower bound"},
			{Name: "max_val", Type: Real, Default: 1, Min: -5, Max: 5, Step: 0.05, Doc: "the upper bound"},
		},
		Formula: `\operatorname{Hardtanh}(x) = \begin{cases} \text{max\_val} & x > \text{max\_val} \\ ` +
			`\text{min\_val} & x < \text{min\_val} \\ x & \text{otherwise} \end{cases}`,
		Derivative: `\operatorname{Hardtanh}'(x) = \begin{cases} 1 & \text{min\_val} < x < \text{max\_val} \\ 0 & \text{otherwise} \end{cases}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.Hardtanh.html",
		Kinks: []string{"at x = min_val and at x = max_val the derivative is 0 (hardtanh_backward; " +
			"torch.clamp would pass the gradient there)"},
		Validate: func(p Params) error {
			if p.Num[0] > p.Num[1] {
				return Errorf("min_val", "min_val cannot be greater than max_val")
			}
			return nil
		},
		Scalar: func(p Params, x float64) (float64, float64) { return Hardtanh(x, p.Num[0], p.Num[1]) },
		XRange: [2]float64{-3, 3},
	})
}
