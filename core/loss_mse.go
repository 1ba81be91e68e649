package core

// mse_loss is the mean squared error, F.mse_loss / nn.MSELoss.
//
//	l_n = (x_n - y_n)^2,  d l_n / d x_n = 2 (x_n - y_n)
//
// Shapes: input (*) and target of the same shape. reduction "none" returns l (input's shape),
// "mean" sum(l)/N, "sum" sum(l); the gradient of "mean" is scaled by 1/N.
//
// Special cases are:
//
//	mean over zero elements = NaN (with a note), as in PyTorch
//	NaN in either input gives NaN
//
// Errors: input and target shapes differ (PyTorch warns and broadcasts; nnplay rejects, edge E20).
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.MSELoss.html
func mseElem(_ Params, x, y float64) (float64, float64, float64) {
	d := x - y
	return d * d, 2 * d, -2 * d
}

func init() {
	f := &Func{
		ID: "mse_loss", Class: "MSELoss", Name: "MSE (L2)", Kind: Loss, Group: "Regression",
		Params:      []Param{ReductionParam()},
		Formula:     `\ell(x, y) = \operatorname{mean}_n (x_n - y_n)^2`,
		Derivative:  `\frac{\partial \ell}{\partial x_n} = \frac{2 (x_n - y_n)}{N}`,
		Source:      "https://pytorch.org/docs/stable/generated/torch.nn.MSELoss.html",
		Differences: []string{"input and target must have the same shape: PyTorch warns and broadcasts, nnplay rejects the call"},
	}
	registerRegression(f, mseElem, mseValue, mseRow)
}

// mseValue is mseElem's loss alone.
func mseValue(_ Params, x, y float64) float64 { d := x - y; return d * d }

// mseRow is mseValue over a row of a surface.
func mseRow(_ Params, xs []float64, y float64, z []float64) {
	z = z[:len(xs)]
	for i, x := range xs {
		d := x - y
		z[i] = d * d
	}
}
