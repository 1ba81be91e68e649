package core

// ReLU is the rectified linear unit, F.relu / nn.ReLU.
//
//	relu(x) = max(0, x)
//	relu'(x) = 1 for x > 0, 0 for x <= 0
//
// Special cases are:
//
//	relu(NaN) = NaN
//	relu(±Inf) = +Inf, 0
//	relu'(0) = 0 (PyTorch's threshold_backward keys on the output: result <= 0 gives 0)
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.ReLU.html
func ReLU(x float64) (y, dy float64) {
	switch {
	case x > 0:
		return x, 1
	case x <= 0:
		return 0, 0
	}
	return x, x // NaN
}

func init() {
	Register(&Func{
		ID: "relu", Class: "ReLU", Name: "ReLU", Kind: Activation, Group: "ReLU family",
		Formula:    `\operatorname{ReLU}(x) = \max(0, x)`,
		Derivative: `\operatorname{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.ReLU.html",
		Kinks:      []string{"at x = 0 the derivative is 0 (PyTorch's threshold_backward: output <= 0 gives 0)"},
		Scalar:     func(_ Params, x float64) (float64, float64) { return ReLU(x) },
		XRange:     [2]float64{-4, 4},
	})
}
