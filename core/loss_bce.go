package core

import (
	"math"
	"slices"
)

// bceEpsilon is ATen's EPSILON (constexpr float 1e-12) as it is used with double tensors:
// float32(1e-12) widened to float64.
const bceEpsilon = 9.999999960041972e-13

// binary_cross_entropy is F.binary_cross_entropy / nn.BCELoss on probabilities.
//
//	l = -(t max(log x, -100) + (1 - t) max(log(1 - x), -100))
//	dl/dx = (x - t) / max(x (1 - x), EPSILON),  EPSILON = float32(1e-12) = 9.999999960041972e-13
//
// The log clamp at -100 keeps the loss finite at x = 0 or 1 (E04: (1, 0) gives 100). The gradient
// is PyTorch's backward formula, not the derivative of the clamped forward: at x = 0, t = 1 the
// forward is flat at 100 but the gradient is -1/EPSILON ≈ -1e12 (G03). log(1 - x) is computed as
// log1p(-x). F.binary_cross_entropy's optional per-element weight is not offered.
//
// Shapes: input (*) and target of the same shape; reduction none / mean / sum.
//
// Errors (PyTorch's texts): an input outside [0, 1] or NaN: "all elements of input should be
// between 0 and 1" (E05); the same for the target: "all elements of target should be between 0
// and 1"; shapes differ: "Using a target size (...) that is different to the input size (...) is
// deprecated. Please ensure they have the same size."
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.BCELoss.html
func bceElem(_ Params, x, t float64) (float64, float64, float64) {
	lx := math.Max(math.Log(x), -100)
	l1x := math.Max(math.Log1p(-x), -100)
	l := -(t*lx + (1-t)*l1x)
	g := (x - t) / math.Max(x*(1-x), bceEpsilon)
	return l, g, l1x - lx
}

func init() {
	f := &Func{
		ID: "binary_cross_entropy", Class: "BCELoss", Name: "Binary cross-entropy", Kind: Loss, Group: "Classification",
		Params:     []Param{ReductionParam()},
		Formula:    `\ell_n = -\left[ y_n \max(\log x_n, -100) + (1 - y_n) \max(\log(1 - x_n), -100) \right]`,
		Derivative: `\frac{\partial \ell_n}{\partial x_n} = \frac{x_n - y_n}{\max\left(x_n (1 - x_n),\ 10^{-12}\right)}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.BCELoss.html",
		Kinks: []string{
			"the log terms are clamped at -100, so the loss is finite (at most 100) at x = 0 and x = 1",
			"the gradient is PyTorch's backward (x - y) / max(x(1 - x), 1e-12), not the derivative of the clamped " +
				"forward: at x = 0, y = 1 it is about -1e12",
		},
		Differences: []string{"the optional per-element weight of F.binary_cross_entropy is not offered"},
		Inputs: []LossInput{
			{Name: "input", Differentiable: true, Doc: "(*) probabilities in [0, 1] (for example sigmoid output)"},
			{Name: "target", Doc: "(*) same shape as input, values in [0, 1]"},
		},
		Curve: elemCurve(Axis{Label: "input probability x", Min: 0, Max: 1}, Axis{Label: "target y", Min: 0, Max: 1},
			0.01, 1, bceElem, bceValue),
		Surface: elemSurface(Axis{Label: "input probability x", Min: 0, Max: 1}, Axis{Label: "target y", Min: 0, Max: 1},
			[2]float64{0.3, 0.8}, "loss of one element over the predicted probability x and the target y", bceElem, bceValue, bceRow),
	}
	f.Curve.Mark = bceMark
	registerLoss(f, func(p Params, in map[string]Tensor) (LossResult, error) {
		ts, err := getInputs(in, "input", "target")
		if err != nil {
			return LossResult{}, err
		}
		x, t := ts[0], ts[1]
		if !slices.Equal(x.Shape, t.Shape) {
			parts := append([]any{"Using a target size ("}, sizeParts(t.Shape)...)
			parts = append(parts, ") that is different to the input size (")
			parts = append(parts, sizeParts(x.Shape)...)
			parts = append(parts, ") is deprecated. Please ensure they have the same size.")
			return LossResult{}, Errorf("", parts...)
		}
		for _, v := range x.Data {
			if !(v >= 0 && v <= 1) {
				return LossResult{}, Errorf("", "all elements of input should be between 0 and 1")
			}
		}
		for _, v := range t.Data {
			if !(v >= 0 && v <= 1) {
				return LossResult{}, Errorf("", "all elements of target should be between 0 and 1")
			}
		}
		return elementwiseLoss(f, 0, p, in, bceElem)
	})
}

// bceMark is binary_cross_entropy's Curve.Mark: the input probability x equal to the target
// probability y, where the loss is smallest (its derivative (x - y)/(x(1 - x)) is 0).
//
// Special cases are:
//
//	bceMark(p, t) = NaN, "" for t outside [0, 1] or NaN (PyTorch rejects such a target)
func bceMark(_ Params, t float64) (float64, string) {
	if !(t >= 0 && t <= 1) {
		return math.NaN(), ""
	}
	return t, "target y"
}

// bceValue is bceElem's loss alone.
func bceValue(_ Params, x, t float64) float64 {
	lx := math.Max(math.Log(x), -100)
	l1x := math.Max(math.Log1p(-x), -100)
	return -(t*lx + (1-t)*l1x)
}

// bceRow is bceValue over a row of a surface.
func bceRow(_ Params, xs []float64, t float64, z []float64) {
	z = z[:len(xs)]
	for i, x := range xs {
		lx := math.Max(math.Log(x), -100)
		l1x := math.Max(math.Log1p(-x), -100)
		z[i] = -(t*lx + (1-t)*l1x)
	}
}
