package core

import "math"

// soft_margin_loss is F.soft_margin_loss / nn.SoftMarginLoss: the logistic loss for targets ±1.
//
//	l = log(1 + exp(-y x)),  dl/dx = -y sigmoid(-y x)
//
// computed with the stable log1pExp, so it is accurate for every x (PyTorch evaluates
// log1p(exp(-y x)), which overflows to inf, and a NaN gradient, once -y x > 709). Targets are
// not checked (the doc says 1 or -1).
//
// Shapes: input (*) and target of the same shape; reduction none / mean / sum. NaN in gives NaN.
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.SoftMarginLoss.html
func softMarginElem(_ Params, x, y float64) (float64, float64, float64) {
	z := -mul0(y, x)
	if math.IsNaN(x) || math.IsNaN(y) {
		z = math.NaN()
	}
	s := sigmoid(z)
	return log1pExp(z), -mul0(s, y), -mul0(s, x)
}

func init() {
	f := &Func{
		ID: "soft_margin_loss", Class: "SoftMarginLoss", Name: "Soft margin", Kind: Loss, Group: "Ranking and embedding",
		Params:     []Param{ReductionParam()},
		Formula:    `\ell_n = \log\left(1 + e^{-y_n x_n}\right)`,
		Derivative: `\frac{\partial \ell_n}{\partial x_n} = -y_n\, \sigma(-y_n x_n)`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.SoftMarginLoss.html",
		Differences: []string{
			"computed stably: PyTorch's log1p(exp(-y x)) overflows to inf (gradient nan) once -y x > 709; nnplay returns the true value",
			"input and target must have the same shape (nnplay does not broadcast)",
		},
		Inputs: []LossInput{
			{Name: "input", Differentiable: true, Doc: "(*) scores"},
			{Name: "target", Doc: "(*) same shape as input, labels 1 or -1"},
		},
		Curve: elemCurve(Axis{Label: "input x", Min: -4, Max: 4}, Axis{Label: "target y", Min: -1, Max: 1},
			2, 1, softMarginElem, softMarginValue),
		Surface: elemSurface(Axis{Label: "input x", Min: -4, Max: 4}, Axis{Label: "target y", Min: -1.5, Max: 1.5},
			[2]float64{-1, 1}, "loss of one element over the score x and the label y (normally ±1)", softMarginElem, softMarginValue, softMarginRow),
	}
	// log(1 + e^{-y x}) has no zero and no kink: the label ±1 is a side, not a point of the axis.
	f.Curve.Mark = markNone
	f.Surface.XFollowsCurve = true // the score x; Y is the label
	registerLoss(f, func(p Params, in map[string]Tensor) (LossResult, error) {
		return elementwiseLoss(f, 0, p, in, softMarginElem)
	})
}

// softMarginValue is softMarginElem's loss alone.
func softMarginValue(_ Params, x, y float64) float64 {
	z := -mul0(y, x)
	if math.IsNaN(x) || math.IsNaN(y) {
		z = math.NaN()
	}
	return log1pExp(z)
}

// softMarginRow is softMarginValue over a row of a surface.
func softMarginRow(_ Params, xs []float64, y float64, z []float64) {
	z = z[:len(xs)]
	for i, x := range xs {
		z[i] = softMarginValue(Params{}, x, y)
	}
}
