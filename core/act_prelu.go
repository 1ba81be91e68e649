package core

// PReLU is F.prelu / nn.PReLU with one learnable slope, here a parameter: weight (nn.PReLU
// initialises it to init = 0.25).
//
//	prelu(x) = x for x > 0, weight·x for x ≤ 0
//	∂prelu/∂x = 1 for x > 0, weight for x ≤ 0
//	∂prelu/∂weight = 0 for x > 0, x for x ≤ 0 (0 at x = 0)
//
// Special cases are:
//
//	PReLU(±0, w) = 0·w, w (PyTorch's kernel masks on x > 0: at 0, d/dx = w and d/dw = 0)
//	PReLU(+Inf, w) = +Inf, 1
//	PReLU(-Inf, w) = -Inf·w, w; -0 for w = 0 (PyTorch: nan)
//	PReLU(NaN, w) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.PReLU.html
func PReLU(x, weight float64) (y, dy float64) {
	return LeakyReLU(x, weight)
}

func init() {
	Register(&Func{
		ID: "prelu", Class: "PReLU", Name: "PReLU", Kind: Activation, Group: "ReLU family",
		Code: []string{`nn.PReLU(init={weight})`, `F.prelu(x, torch.tensor([{weight}]))`},
		Params: []Param{{Name: "weight", Type: Real, Default: 0.25, Min: -1, Max: 1, Step: 0.01,
			Doc: "the learnable slope for x < 0 (nn.PReLU's init, 0.25 by default)"}},
		Formula: `\operatorname{PReLU}(x) = \begin{cases} x & x > 0 \\ a\,x & x \le 0 \end{cases}, \quad a = \text{weight}`,
		Derivative: `\frac{\partial}{\partial x}\operatorname{PReLU}(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}, ` +
			`\quad \frac{\partial}{\partial a}\operatorname{PReLU}(x) = \begin{cases} 0 & x > 0 \\ x & x \le 0 \end{cases}`,
		Source: "https://pytorch.org/docs/stable/generated/torch.nn.PReLU.html",
		Kinks: []string{"at x = 0 the derivative with respect to x is weight and with respect to weight " +
			"is 0 (PyTorch's backward kernel masks on x > 0)"},
		Differences: []string{"for weight = 0 and x = -inf PyTorch's -inf·0 gives nan; nnplay gives 0"},
		Scalar:      func(p Params, x float64) (float64, float64) { return PReLU(x, p.Num[0]) },
		XRange:      [2]float64{-4, 4},
	})
}
