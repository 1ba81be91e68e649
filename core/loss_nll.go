package core

import (
	"math"
	"slices"
)

// nll_loss is the negative log-likelihood loss, F.nll_loss / nn.NLLLoss. input holds
// log-probabilities (usually log_softmax output), target class indices.
//
//	l_n = -w[y_n] x[n, y_n]        (0 where y_n == ignore_index)
//	mean = sum_n l_n / sum_n w[y_n]   (over the targets that are not ignored)
//	d l_n / d x[n, c] = -w[y_n] if c == y_n, else 0
//
// weight (class weights, length C) defaults to all ones; ignore_index (default -100) marks
// targets that contribute neither loss nor weight. With weights, 'mean' is a weighted mean, so a
// single sample's weight cancels under 'mean' but not under 'sum' or 'none'.
//
// Shapes: input (N, C), (C) or (N, C, d1, ..., dk); target (N), () or (N, d1, ..., dk) holding
// integers in [0, C) or ignore_index; 'none' returns the target's shape.
//
// Special cases are:
//
//	every target ignored (or total weight 0) with 'mean': NaN (0/0) with a note, as in PyTorch
//	weight 0 times a log-probability of -Inf: 0 (PyTorch: NaN; policy 3, with a note)
//	NaN in the target class's entry gives NaN; entries of other classes are not read
//
// Errors (PyTorch's texts): "Expected 1 or more dimensions (got 0)", "Expected input batch_size
// (N) to match target batch_size (M).", "Expected target size [...], got [...]", "weight tensor
// should be defined either for all C classes or no classes but got weight tensor of shape: [n]",
// "Target t is out of bounds."; and a non-integer target.
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.NLLLoss.html
func init() {
	f := &Func{
		ID: "nll_loss", Class: "NLLLoss", Name: "Negative log-likelihood", Kind: Loss, Group: "Classification",
		Params: []Param{weightParam(), ignoreIndexParam(), ReductionParam()},
		Formula: `\ell_n = -w_{y_n}\, x_{n, y_n}, \qquad ` +
			`\ell = \frac{\sum_n \ell_n}{\sum_n w_{y_n}} \ (\text{mean})`,
		Derivative: `\frac{\partial \ell_n}{\partial x_{n,c}} = -w_{y_n} [c = y_n]`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.NLLLoss.html",
		Differences: []string{
			"a class weight of 0 times a log-probability of -inf counts as 0 (PyTorch: nan)",
		},
		Inputs: []LossInput{
			{Name: "input", Differentiable: true, Doc: "(N, C), (C) or (N, C, d1, ..., dk) log-probabilities"},
			{Name: "target", Doc: "(N), () or (N, d1, ..., dk) class indices in [0, C), or ignore_index"},
		},
		Curve: &Curve{
			X: Axis{Label: "log-probability of the target class", Min: -5, Max: 0.5},
			T: Axis{Label: "target class t (0 to C - 1)", Min: 0, Max: 9}, TStep: 1, TDefault: 0,
			Eval: func(p Params, t, x float64) (float64, float64) {
				return nllSingle(p, t, x)
			},
			Mark: markNone, // t is a class index, not a log-probability
		},
		Surface: &Surface{
			X:     Axis{Label: "sample 1: log-probability of its target class t", Min: -5, Max: 0.5},
			Y:     Axis{Label: "sample 2: log-probability of its target class t+1", Min: -5, Max: 0.5},
			Point: [2]float64{-2, -0.5},
			Eval:  nllPair,
			Note: "a batch of two samples, the first with target class t and the second with class (t+1) mod C: " +
				"with class weights, 'mean' is the weighted mean sum(w l)/sum(w), so the weights tilt the surface; " +
				"for 'none' the surface shows the sum of the two losses (what backward differentiates)",
		},
	}
	registerLoss(f, func(p Params, in map[string]Tensor) (LossResult, error) { return nllLoss(f, p, in) })
}

// Parameter slots shared by nll_loss and cross_entropy.
const (
	clsWeight = 0
	clsIgnore = 1
	clsReduce = 2
	clsSmooth = 3 // cross_entropy only
)

func weightParam() Param {
	return Param{Name: "weight", Type: Vector, MinLen: 2, MaxLen: 10, Min: 0, Max: 10, Step: 0.1,
		Doc: "a weight per class (C values); unset means all ones"}
}

// ignoreIndexParam is ignore_index: PyTorch's default -100 ignores nothing (no class has a
// negative index), and the views have at most 10 classes (weight has at most 10 elements), so
// the values that mean something are -100 and 0..9. Every integer in [-100, 9] stays valid (a
// negative one ignores nothing, as -100), but the control offers only those 11 stops (Marks)
// instead of a slider whose left nine tenths all mean the same.
func ignoreIndexParam() Param {
	return Param{Name: "ignore_index", Type: Int, Default: -100, Min: -100, Max: 9, Step: 1,
		Marks: []float64{-100, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
		Doc:   "targets equal to this class index contribute neither loss nor weight (-100: none)"}
}

// viewClasses returns C for the views: len(weight), or 3 when weight is unset.
func viewClasses(p Params) int {
	if w := p.Vec[clsWeight]; w != nil {
		return len(w)
	}
	return 3
}

// viewTarget clamps the view's target class into [0, C).
func viewTarget(t float64, c int) int {
	switch {
	case !(t >= 0):
		return 0
	case t > float64(c-1):
		return c - 1
	}
	return int(t)
}

// classWeight returns weight[c], or 1 for no weight.
func classWeight(w []float64, c int) float64 {
	if w == nil {
		return 1
	}
	return w[c]
}

// nllSingle is nll_loss of one sample whose target class t has log-probability x: -w_t x, with
// the weight cancelled by 'mean', and 0 (NaN for 'mean') when t is ignore_index.
func nllSingle(p Params, t, x float64) (float64, float64) {
	c := viewClasses(p)
	y := viewTarget(t, c)
	red := Reductions[int(p.Num[clsReduce])]
	if float64(y) == p.Num[clsIgnore] {
		if red == "mean" {
			return math.NaN(), 0
		}
		return 0, 0
	}
	w := classWeight(p.Vec[clsWeight], y)
	l, g := -mul0(w, x), -w
	if red == "mean" {
		return l / w, g / w
	}
	return l, g
}

// nllPair is the nll_loss surface: two samples with targets t and (t+1) mod C and log-probabilities
// x and y of their targets.
func nllPair(p Params, t, x, y float64) (float64, float64, float64) {
	c := viewClasses(p)
	ta := viewTarget(t, c)
	tb := (ta + 1) % c
	w := p.Vec[clsWeight]
	ign := p.Num[clsIgnore]
	var wa, wb float64
	if float64(ta) != ign {
		wa = classWeight(w, ta)
	}
	if float64(tb) != ign {
		wb = classWeight(w, tb)
	}
	la, lb := -mul0(wa, x), -mul0(wb, y)
	l, dx, dy := la+lb, -wa, -wb
	if Reductions[int(p.Num[clsReduce])] == "mean" {
		s := wa + wb
		if s == 0 {
			return math.NaN(), 0, 0
		}
		return l / s, dx / s, dy / s
	}
	return l, dx, dy
}

// classLayout is the layout of an (N, C, d1..dk) input with an (N, d1..dk) index target, or a (C)
// input with a () target: element (n, c, j) is at n*c*inner + c*inner + j.
type classLayout struct {
	n, c, inner int
	outShape    []int // the per-sample shape: the index target's shape
}

// classShapes checks input and an index target's shapes as nll_loss does.
func classShapes(x, t Tensor) (classLayout, error) {
	xs, ts := x.Shape, t.Shape
	switch len(xs) {
	case 0:
		return classLayout{}, Errorf("", "Expected 1 or more dimensions (got 0)")
	case 1:
		switch {
		case len(ts) > 1:
			return classLayout{}, Errorf("", "0D or 1D target tensor expected, multi-target not supported")
		case len(ts) == 1 && ts[0] != 1:
			return classLayout{}, Errorf("", "For 1D input, 1D target must have size 1, but got target size: ", ts[0])
		}
		return classLayout{n: 1, c: xs[0], inner: 1, outShape: slices.Clone(ts)}, nil
	}
	want := append([]int{xs[0]}, xs[2:]...)
	if len(ts) >= 1 && ts[0] != xs[0] {
		return classLayout{}, Errorf("", "Expected input batch_size (", xs[0], ") to match target batch_size (", ts[0], ").")
	}
	if !slices.Equal(ts, want) {
		return classLayout{}, Errorf("", "Expected target size ", want, ", got ", ts)
	}
	return classLayout{n: xs[0], c: xs[1], inner: numel(xs[2:]), outShape: want}, nil
}

// checkWeight checks that the class weights, if set, have C elements.
func checkWeight(prefix string, w []float64, c int) error {
	if w != nil && len(w) != c {
		return Errorf("weight", prefix, "weight tensor should be defined either for all ", c,
			" classes or no classes but got weight tensor of shape: ", []int{len(w)})
	}
	return nil
}

// targetClass reads target element v: ignored reports v == ignore_index; otherwise the class
// index is checked against [0, c).
func targetClass(v, ignore float64, c int) (y int, ignored bool, err error) {
	if v == ignore {
		return 0, true, nil
	}
	y, ok := classIndex(v)
	if !ok {
		return 0, false, Errorf("", "target must hold integer class indices, got ", v)
	}
	if y < 0 || y >= c {
		return 0, false, Errorf("", "Target ", y, " is out of bounds.")
	}
	return y, false, nil
}

// Notes of the class losses.
const (
	allIgnoredNote = "every target equals ignore_index (or the total class weight is 0): 'mean' divides 0 by 0 and is NaN, as in PyTorch"
	zeroInfNote    = "a zero weight or probability times log(0) = -inf counts as 0 here; PyTorch returns nan"
)

func nllLoss(f *Func, p Params, in map[string]Tensor) (LossResult, error) {
	ts, err := getInputs(in, "input", "target")
	if err != nil {
		return LossResult{}, err
	}
	x, t := ts[0], ts[1]
	lay, err := classShapes(x, t)
	if err != nil {
		return LossResult{}, err
	}
	w := p.Vec[clsWeight]
	if err := checkWeight("", w, lay.c); err != nil {
		return LossResult{}, err
	}
	ign := p.Num[clsIgnore]
	l := make([]float64, len(t.Data))
	g := make([]float64, len(x.Data))
	ws := make([]float64, 0, len(t.Data))
	zeroInf := false
	for n := range lay.n {
		for j := range lay.inner {
			ti := n*lay.inner + j
			y, ignored, err := targetClass(t.Data[ti], ign, lay.c)
			if err != nil {
				return LossResult{}, err
			}
			if ignored {
				continue
			}
			wy := classWeight(w, y)
			xi := (n*lay.c+y)*lay.inner + j
			zeroInf = zeroInf || isInfTimesZero(wy, x.Data[xi])
			l[ti] = -mul0(wy, x.Data[xi])
			g[xi] = -wy
			ws = append(ws, wy)
		}
	}
	res := LossResult{Grad: map[string]Tensor{}}
	red := reductionOf(f, p, clsReduce)
	total := Sum(ws)
	scaleGrad(g, applyReduction(red, lay.outShape, l, total, &res))
	if red == "mean" && total == 0 {
		res.Notes = []string{allIgnoredNote}
	}
	if zeroInf {
		res.Notes = append(res.Notes, zeroInfNote)
	}
	res.Grad["input"] = Tensor{Shape: slices.Clone(x.Shape), Data: g}
	return res, nil
}
