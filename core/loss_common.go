package core

import (
	"math"
	"slices"
)

// Helpers shared by the loss files: input and shape checks, reductions, compensated sums and
// the few exact-arithmetic primitives (twoSum, mul0) that keep the losses accurate over the whole
// float64 range.

// lossImpl is the signature of Func.Loss.
type lossImpl func(p Params, in map[string]Tensor) (LossResult, error)

// checked returns impl preceded by f.Check, so Go callers of Func.Loss get PyTorch's parameter
// errors (and never an index panic on a malformed Params).
func checked(f *Func, impl lossImpl) lossImpl {
	return func(p Params, in map[string]Tensor) (LossResult, error) {
		if err := f.Check(p); err != nil {
			return LossResult{}, err
		}
		return impl(p, in)
	}
}

// registerLoss sets f.Loss to impl behind f.Check and registers f.
func registerLoss(f *Func, impl lossImpl) {
	f.Loss = checked(f, impl)
	Register(f)
}

// numel returns the number of elements of a tensor of the given shape (1 for a scalar), or -1
// for a negative dimension.
func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return -1
		}
		n *= d
	}
	return n
}

// getInputs returns the named tensors of in, checking that each is present and that its data
// length matches its shape.
func getInputs(in map[string]Tensor, names ...string) ([]Tensor, error) {
	out := make([]Tensor, len(names))
	for i, name := range names {
		t, ok := in[name]
		if !ok {
			return nil, Errorf("", "missing input: ", name)
		}
		if n := numel(t.Shape); n < 0 || n != len(t.Data) {
			return nil, Errorf("", name, ": shape ", t.Shape, " does not match its ", len(t.Data), " data elements")
		}
		out[i] = t
	}
	return out, nil
}

// sameShapeErr returns an error when a and b differ in shape: nnplay never broadcasts silently
// (PyTorch warns and broadcasts for the regression losses).
func sameShapeErr(aName string, a Tensor, bName string, b Tensor) error {
	if slices.Equal(a.Shape, b.Shape) {
		return nil
	}
	return Errorf("", aName, " shape ", a.Shape, " and ", bName, " shape ", b.Shape,
		" differ: give them the same shape (nnplay does not broadcast)")
}

// reductionOf returns the reduction string held in Params slot i (a Choice parameter).
func reductionOf(f *Func, p Params, i int) string { return f.Params[i].Choices[int(p.Num[i])] }

// emptyMeanNote is the note attached when 'mean' divides by zero.
const emptyMeanNote = "the mean over zero elements is NaN (0/0), as in PyTorch"

// applyReduction stores the reduction of the per-element losses l (with shape shape) in res.Loss
// and returns the divisor of the per-element gradients: 1 for "none" and "sum", n for "mean" (n
// is the element count, or the total class weight for nll_loss and cross_entropy; kl_div's
// "batchmean" passes the batch size). A zero divisor gives NaN and a note.
func applyReduction(red string, shape []int, l []float64, n float64, res *LossResult) float64 {
	switch red {
	case "none":
		res.Loss = Tensor{Shape: slices.Clone(shape), Data: l}
		return 1
	case "sum":
		res.Loss = Tensor{Shape: []int{}, Data: []float64{Sum(l)}}
		return 1
	}
	res.Loss = Tensor{Shape: []int{}, Data: []float64{Sum(l) / n}}
	if n == 0 {
		res.Notes = append(res.Notes, emptyMeanNote)
	}
	return n
}

// scaleGrad divides g by n in place (one rounding per element). A zero gradient stays zero when
// n is 0 (a mean over zero elements has no gradient to scale).
func scaleGrad(g []float64, n float64) {
	if n == 1 {
		return
	}
	for i, v := range g {
		if v != 0 || n != 0 {
			g[i] = v / n
		}
	}
}

// elemKernel is one element of an elementwise loss: the loss at input x and target y, its
// derivative with respect to x and its derivative with respect to y (for the surface).
type elemKernel func(p Params, x, y float64) (l, dx, dy float64)

// elementwiseLoss evaluates a loss whose per-element value depends only on input[i] and
// target[i] (same shapes), with the reduction in Params slot ri.
func elementwiseLoss(f *Func, ri int, p Params, in map[string]Tensor, elem elemKernel) (LossResult, error) {
	ts, err := getInputs(in, "input", "target")
	if err != nil {
		return LossResult{}, err
	}
	x, y := ts[0], ts[1]
	if err := sameShapeErr("input", x, "target", y); err != nil {
		return LossResult{}, err
	}
	n := len(x.Data)
	l := make([]float64, n)
	g := make([]float64, n)
	for i := range n {
		l[i], g[i], _ = elem(p, x.Data[i], y.Data[i])
	}
	res := LossResult{Grad: map[string]Tensor{}}
	scaleGrad(g, applyReduction(reductionOf(f, p, ri), x.Shape, l, float64(n), &res))
	res.Grad["input"] = Tensor{Shape: slices.Clone(x.Shape), Data: g}
	return res, nil
}

// elemValue is the loss alone of one element of an elementwise loss, bit for bit the first result
// of its elemKernel: what the views call where the derivatives are not needed.
type elemValue func(p Params, x, y float64) float64

// elemRow fills z[i] with the loss at input xs[i] and target y, bit for bit elemValue's, for a
// whole row of a surface (Surface.Row). The loss files write it out with the kernel inlined.
type elemRow func(p Params, xs []float64, y float64, z []float64)

// elemCurve returns the Curve of an elementwise loss: the loss of one element against the input x
// for target t. A single element's loss is the same under every reduction.
func elemCurve(x, t Axis, tStep, tDefault float64, elem elemKernel, val elemValue) *Curve {
	return &Curve{X: x, T: t, TStep: tStep, TDefault: tDefault,
		Eval: func(p Params, t, x float64) (float64, float64) {
			l, dx, _ := elem(p, x, t)
			return l, dx
		},
		Value: func(p Params, t, x float64) float64 { return val(p, x, t) }}
}

// elemSurface returns the Surface input x target of an elementwise loss. Its Y axis is the target,
// so the view's target t plays no part (IgnoresT).
func elemSurface(x, y Axis, point [2]float64, note string, elem elemKernel, val elemValue, row elemRow) *Surface {
	return &Surface{X: x, Y: y, Point: point, Note: note, IgnoresT: true,
		Eval:  func(p Params, _, x, y float64) (float64, float64, float64) { return elem(p, x, y) },
		Value: func(p Params, _, x, y float64) float64 { return val(p, x, y) },
		Row:   func(p Params, _ float64, xs []float64, y float64, z []float64) { row(p, xs, y, z) }}
}

// markTarget is Curve.Mark for a loss whose target is in the input's units (the regression
// losses): the target itself, where the loss is smallest.
//
// Special cases are:
//
//	markTarget(p, NaN) = NaN, ""
func markTarget(_ Params, t float64) (float64, string) {
	if t != t {
		return t, ""
	}
	return t, "target y"
}

// markNone is Curve.Mark for a loss whose target singles out no point of the curve's x axis:
// class-index targets (nll_loss, cross_entropy), or a label whose loss has no kink or zero
// (soft_margin_loss). It returns NaN and "".
func markNone(Params, float64) (float64, string) { return math.NaN(), "" }

// registerRegression registers f as an elementwise regression loss of input and target of the
// same shape: it sets the two Inputs, the Curve (loss of one element against the input x for a
// target t, marked at x = t) and the Surface over input x target, both on [-3, 3] and both axes
// following the curve's x range (input and target are in the same units), and Loss through
// elementwiseLoss (parameter 0 is the reduction).
func registerRegression(f *Func, elem elemKernel, val elemValue, row elemRow) {
	x := Axis{Label: "input x", Min: -3, Max: 3}
	y := Axis{Label: "target y", Min: -3, Max: 3}
	f.Inputs = []LossInput{
		{Name: "input", Differentiable: true, Doc: "(*) predictions"},
		{Name: "target", Doc: "(*) same shape as input"},
	}
	f.Curve = elemCurve(x, y, 0.01, 0, elem, val)
	f.Curve.Mark = markTarget
	f.Surface = elemSurface(x, y, [2]float64{1.5, -0.5}, "loss of one element over prediction x and target y", elem, val, row)
	f.Surface.XFollowsCurve, f.Surface.YFollowsCurve = true, true
	registerLoss(f, func(p Params, in map[string]Tensor) (LossResult, error) {
		return elementwiseLoss(f, 0, p, in, elem)
	})
}

// Sum returns the sum of v, using Neumaier's compensated summation so the result is within an
// ulp or so of the exact sum whatever the order.
func Sum(v []float64) float64 {
	var s, c float64
	for _, x := range v {
		t := s + x
		if abs(s) >= abs(x) {
			c += (s - t) + x
		} else {
			c += (x - t) + s
		}
		s = t
	}
	if s-s != 0 { // ±Inf or NaN: the compensation term is meaningless
		return s
	}
	return s + c
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// twoSum returns s = fl(a+b) and the rounding error e with a + b = s + e exactly (Knuth). For an
// infinite or NaN s, e is 0.
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	if s-s != 0 {
		return s, 0
	}
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}

// mul0 returns a*b, except that 0 times ±Inf is 0: a term whose coefficient is exactly zero does
// not take part (the mathematical value), where PyTorch's a*b gives NaN. NaN still propagates.
func mul0(a, b float64) float64 {
	if a == 0 && math.IsInf(b, 0) {
		return 0
	}
	return a * b
}

// isInfTimesZero reports whether a*b is 0 times ±Inf (PyTorch then gives NaN; mul0 gives 0).
func isInfTimesZero(a, b float64) bool {
	return (a == 0 && math.IsInf(b, 0)) || (b == 0 && math.IsInf(a, 0))
}

// classIndex converts a stored class-index target to an int, reporting whether it is an integer.
func classIndex(v float64) (int, bool) {
	if v != math.Trunc(v) || math.IsInf(v, 0) || math.Abs(v) > 1<<53 {
		return 0, false
	}
	return int(v), true
}

// sizeParts returns the Errorf parts that print a shape as PyTorch prints torch.Size: torch.Size([2, 3]).
func sizeParts(shape []int) []any { return []any{"torch.Size(", shape, ")"} }
