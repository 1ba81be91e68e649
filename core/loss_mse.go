package core

// MSELoss is the mean squared error, F.mse_loss / nn.MSELoss.
//
//	l_n = (x_n - y_n)^2,  d l_n / d x_n = 2 (x_n - y_n)
//
// reduction: "none" returns l (same shape as input), "mean" sum(l)/N, "sum" sum(l); the
// gradient of "mean" is scaled by 1/N. input and target must have the same shape (nnplay does
// not broadcast silently; PyTorch warns and broadcasts).
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.MSELoss.html
func init() {
	Register(&Func{
		ID: "mse_loss", Class: "MSELoss", Name: "MSE (L2)", Kind: Loss, Group: "Regression",
		Params:     []Param{ReductionParam()},
		Formula:    `\ell(x, y) = \operatorname{mean}_n (x_n - y_n)^2`,
		Derivative: `\frac{\partial \ell}{\partial x_n} = \frac{2 (x_n - y_n)}{N}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.MSELoss.html",
		Inputs: []LossInput{
			{Name: "input", Differentiable: true, Doc: "(*) predictions"},
			{Name: "target", Doc: "(*) same shape as input"},
		},
		Loss: func(p Params, in map[string]Tensor) (LossResult, error) {
			return elementwiseLoss(p, in, func(x, y float64) (float64, float64) {
				d := x - y
				return d * d, 2 * d
			})
		},
		Curve: &Curve{
			X: Axis{Label: "input x", Min: -3, Max: 3}, T: Axis{Label: "target y", Min: -3, Max: 3},
			TStep: 0.01, TDefault: 0,
			Eval: func(_ Params, t, x float64) (float64, float64) { d := x - t; return d * d, 2 * d },
		},
		Surface: &Surface{
			X: Axis{Label: "input x", Min: -3, Max: 3}, Y: Axis{Label: "target y", Min: -3, Max: 3},
			Point: [2]float64{1.5, -0.5},
			Eval: func(_ Params, _, x, y float64) (float64, float64, float64) {
				d := x - y
				return d * d, 2 * d, -2 * d
			},
		},
	})
}
