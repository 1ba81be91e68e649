package core

import "math"

// smooth_l1_loss is F.smooth_l1_loss / nn.SmoothL1Loss with threshold beta (default 1.0).
//
//	z = |x - y|
//	l = 0.5 z^2 / beta   if z < beta
//	l = z - 0.5 beta     otherwise
//	dl/dx = (x - y) / beta inside, sgn(x - y) outside (continuous: ±1 at |x - y| = beta)
//
// Shapes: input (*) and target of the same shape; reduction none / mean / sum.
//
// Special cases are:
//
//	beta = 0: exactly l1_loss, gradient 0 at x == y (F.smooth_l1_loss dispatches to l1_loss;
//	the raw ATen kernel would give -1 there, issue #96813)
//	NaN in gives NaN
//
// Errors: beta < 0 (or NaN): "smooth_l1_loss does not support negative values for beta.";
// input and target shapes differ.
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.SmoothL1Loss.html
func smoothL1Elem(p Params, x, y float64) (float64, float64, float64) {
	beta := p.Num[1]
	d := x - y
	if beta == 0 {
		return l1Elem(p, x, y)
	}
	z := math.Abs(d)
	if z < beta {
		// 0.5 z (z / beta): z / beta < 1, so neither overflow nor an early underflow of z*z
		g := d / beta
		return 0.5 * z * (z / beta), g, -g
	}
	if math.IsNaN(d) {
		return d, d, d
	}
	s := sgn(d)
	return z - 0.5*beta, s, -s
}

func init() {
	f := &Func{
		ID: "smooth_l1_loss", Class: "SmoothL1Loss", Name: "Smooth L1", Kind: Loss, Group: "Regression",
		Params: []Param{ReductionParam(),
			{Name: "beta", Type: Real, Default: 1, Min: 0, Max: 5, Step: 0.01,
				Doc: "where the loss changes from quadratic to linear (0 gives L1)"}},
		Formula: `\ell_n = \begin{cases} \frac{0.5\,(x_n - y_n)^2}{\beta} & |x_n - y_n| < \beta \\ ` +
			`|x_n - y_n| - 0.5\,\beta & \text{otherwise} \end{cases}`,
		Derivative: `\frac{\partial \ell_n}{\partial x_n} = \begin{cases} \frac{x_n - y_n}{\beta} & |x_n - y_n| < \beta \\ ` +
			`\operatorname{sgn}(x_n - y_n) & \text{otherwise} \end{cases}`,
		Source: "https://pytorch.org/docs/stable/generated/torch.nn.SmoothL1Loss.html",
		Kinks: []string{
			"at |x - y| = beta the derivative is continuous: ±1",
			"with beta = 0 the loss is L1 and the gradient at x = y is 0 (F.smooth_l1_loss calls l1_loss)",
		},
		Differences: []string{"input and target must have the same shape: PyTorch warns and broadcasts, nnplay rejects the call"},
		Validate: func(p Params) error {
			if !(p.Num[1] >= 0) {
				return Errorf("beta", "smooth_l1_loss does not support negative values for beta.")
			}
			return nil
		},
	}
	registerRegression(f, smoothL1Elem, smoothL1Value, smoothL1Row)
}

// smoothL1Value is smoothL1Elem's loss alone.
func smoothL1Value(p Params, x, y float64) float64 { return smoothL1Val(p.Num[1], x, y) }

func smoothL1Val(beta, x, y float64) float64 {
	z := math.Abs(x - y)
	if z < beta { // beta > 0
		return 0.5 * z * (z / beta)
	}
	if beta == 0 {
		return z
	}
	return z - 0.5*beta // NaN for a NaN z
}

// smoothL1Row is smoothL1Value over a row of a surface.
func smoothL1Row(p Params, xs []float64, y float64, z []float64) {
	beta := p.Num[1]
	z = z[:len(xs)]
	for i, x := range xs {
		z[i] = smoothL1Val(beta, x, y)
	}
}
