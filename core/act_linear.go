package core

// Linear is the scaled line c·x (nn.Identity for c = 1; torch.mul(x, c) in general).
//
//	linear(x) = c·x
//	linear'(x) = c
//
// Special cases are:
//
//	Linear(±Inf, 0) = 0, 0 (the line with slope 0 is 0 everywhere; IEEE 0·Inf is NaN)
//	Linear(NaN, c) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.Identity.html
func Linear(x, c float64) (y, dy float64) {
	if x != x {
		return nan2(x)
	}
	return actMul0(c, x), c
}

func init() {
	Register(&Func{
		ID: "linear", Class: "Identity", Name: "Linear (c·x)", Kind: Activation, Group: "Step and line",
		Torch: "c · x (nn.Identity when c = 1)",
		Code:  []string{`{c} * x`},
		Params: []Param{{Name: "c", Type: Real, Default: 1, Min: -3, Max: 3, Step: 0.05,
			Doc: "the slope of the line (c = 1 is nn.Identity)"}},
		Formula:    `f(x) = c\,x`,
		Derivative: `f'(x) = c`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.Identity.html",
		Differences: []string{"nn.Identity has no slope: c·x is torch.mul(x, c); for c = 0 and x = ±inf " +
			"PyTorch's 0·inf gives nan, nnplay gives 0"},
		Scalar: func(p Params, x float64) (float64, float64) { return Linear(x, p.Num[0]) },
		XRange: [2]float64{-4, 4},
	})
}
