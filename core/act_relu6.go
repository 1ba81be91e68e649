package core

// ReLU6 is min(max(0, x), 6), F.relu6 / nn.ReLU6 (PyTorch computes it as hardtanh(x, 0, 6)).
//
//	relu6(x) = min(max(0, x), 6)
//	relu6'(x) = 1 for 0 < x < 6, 0 otherwise
//
// Special cases are:
//
//	ReLU6(±0) = 0, 0 (hardtanh's backward is 0 at both bounds)
//	ReLU6(6) = 6, 0
//	ReLU6(+Inf) = 6, 0
//	ReLU6(-Inf) = 0, 0
//	ReLU6(NaN) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.ReLU6.html
func ReLU6(x float64) (y, dy float64) {
	switch {
	case x <= 0:
		return 0, 0
	case x >= 6:
		return 6, 0
	case x > 0:
		return x, 1
	}
	return nan2(x)
}

func init() {
	Register(&Func{
		ID: "relu6", Class: "ReLU6", Name: "ReLU6", Kind: Activation, Group: "ReLU family",
		Formula:    `\operatorname{ReLU6}(x) = \min(\max(0, x), 6)`,
		Derivative: `\operatorname{ReLU6}'(x) = \begin{cases} 1 & 0 < x < 6 \\ 0 & \text{otherwise} \end{cases}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.ReLU6.html",
		Kinks: []string{"at x = 0 the derivative is 0", "at x = 6 the derivative is 0 " +
			"(ReLU6 is hardtanh(x, 0, 6), whose backward is 0 at both bounds, unlike torch.clamp's)"},
		Scalar: func(_ Params, x float64) (float64, float64) { return ReLU6(x) },
		XRange: [2]float64{-2, 8},
	})
}
