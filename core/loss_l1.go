package core

import "math"

// l1_loss is the mean absolute error, F.l1_loss / nn.L1Loss.
//
//	l_n = |x_n - y_n|,  d l_n / d x_n = sgn(x_n - y_n)
//
// Shapes: input (*) and target of the same shape; reduction none / mean / sum as mse_loss.
//
// Special cases are:
//
//	d l / d x = 0 at x == y (PyTorch differentiates abs with sgn, and sgn(0) = 0)
//	NaN in gives NaN (loss and gradient)
//
// Errors: input and target shapes differ (nnplay does not broadcast).
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.L1Loss.html
func l1Elem(_ Params, x, y float64) (float64, float64, float64) {
	d := x - y
	s := sgn(d)
	return math.Abs(d), s, -s
}

// sgn returns -1, 0 or 1 by the sign of d, and NaN for NaN.
func sgn(d float64) float64 {
	switch {
	case d > 0:
		return 1
	case d < 0:
		return -1
	case d == 0:
		return 0
	}
	return d
}

func init() {
	f := &Func{
		ID: "l1_loss", Class: "L1Loss", Name: "L1 (MAE)", Kind: Loss, Group: "Regression",
		Params:     []Param{ReductionParam()},
		Formula:    `\ell(x, y) = \operatorname{mean}_n |x_n - y_n|`,
		Derivative: `\frac{\partial \ell}{\partial x_n} = \frac{\operatorname{sgn}(x_n - y_n)}{N}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.L1Loss.html",
		Kinks:      []string{"at x = y the gradient is 0 (sgn(0) = 0, as PyTorch's abs backward)"},
		Differences: []string{
			"input and target must have the same shape: PyTorch warns and broadcasts, nnplay rejects the call",
			"NaN input gives a NaN gradient (PyTorch's sgn(NaN) may give 0)",
		},
	}
	registerRegression(f, l1Elem, l1Value, l1Row)
}

// l1Value is l1Elem's loss alone.
func l1Value(_ Params, x, y float64) float64 { return math.Abs(x - y) }

// l1Row is l1Value over a row of a surface.
func l1Row(_ Params, xs []float64, y float64, z []float64) {
	z = z[:len(xs)]
	for i, x := range xs {
		z[i] = math.Abs(x - y)
	}
}
