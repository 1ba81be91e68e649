package core

import (
	"math"
	"slices"
)

// margin_ranking_loss is F.margin_ranking_loss / nn.MarginRankingLoss (margin default 0.0).
//
//	l = max(0, -t (x1 - x2) + margin)
//	dl/dx1 = -t, dl/dx2 = t   where -t (x1 - x2) + margin >= 0, else 0
//
// The gradient passes at exactly 0 (PyTorch's clamp_min backward keeps the gradient where
// self >= min). The hinge argument is evaluated with an exact difference (twoSum) and one fused
// multiply-add, so it is accurate near the kink. Target values are not checked (PyTorch's doc
// says 1 or -1; a target of 0 gives max(0, margin)).
//
// Shapes: input1 (N) or (), input2 and target of the same shape; 'none' returns that shape.
//
// Errors: different numbers of dimensions: PyTorch's "margin_ranking_loss : All input tensors
// should have same dimension but got sizes: input1: ..., input2: ..., target: ... "; different
// shapes (PyTorch broadcasts; nnplay rejects). NaN in gives NaN.
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.MarginRankingLoss.html
func rankingElem(margin, x1, x2, t float64) (l, d1, d2 float64) {
	z := rankArg(margin, t, x1, x2)
	switch {
	case z >= 0:
		return z, -t, t
	case z < 0:
		return 0, 0, 0
	}
	return z, z, z
}

// rankArg returns margin - t (x1 - x2) with the difference kept exact.
func rankArg(margin, t, x1, x2 float64) float64 {
	dh, dl := twoSum(x1, -x2)
	switch {
	case math.IsNaN(dh) || math.IsNaN(t):
		return math.NaN()
	case t == 0:
		return margin
	}
	return math.FMA(-t, dh, margin) - t*dl
}

// rankingMark is margin_ranking_loss's Curve.Mark: on the curve (x1, with x2 = 0) the loss is
// max(0, -y x1 + margin), whose hinge is at
//
//	x1 = margin / y    (= y·margin for y = ±1)
//
// the loss is 0 for x1 beyond it on the side of y (x1 >= margin for y = 1, x1 <= -margin for y = -1).
//
// Special cases are:
//
//	rankingMark(p, 0) = NaN, "" (the loss is max(0, margin) for every x1); also for ±Inf and NaN
func rankingMark(p Params, t float64) (float64, string) {
	if t == 0 || t-t != 0 {
		return math.NaN(), ""
	}
	return p.Num[0] / t, "hinge: y·x1 = margin"
}

func init() {
	f := &Func{
		ID: "margin_ranking_loss", Class: "MarginRankingLoss", Name: "Margin ranking", Kind: Loss, Group: "Ranking and embedding",
		Params: []Param{
			{Name: "margin", Type: Real, Default: 0, Min: -2, Max: 2, Step: 0.01, Doc: "how far x1 must be above x2 when y = 1"},
			ReductionParam(),
		},
		Formula:     `\ell(x_1, x_2, y) = \max\left(0,\ -y\,(x_1 - x_2) + \text{margin}\right)`,
		Derivative:  `\frac{\partial \ell}{\partial x_1} = -y,\ \frac{\partial \ell}{\partial x_2} = y \quad \text{where } -y(x_1 - x_2) + \text{margin} \ge 0`,
		Source:      "https://pytorch.org/docs/stable/generated/torch.nn.MarginRankingLoss.html",
		Kinks:       []string{"at -y(x1 - x2) + margin = 0 the gradient passes (-y, y), as PyTorch's clamp_min (>=)"},
		Differences: []string{"input1, input2 and target must have the same shape: PyTorch broadcasts, nnplay rejects the call"},
		Inputs: []LossInput{
			{Name: "input1", Differentiable: true, Doc: "(N) or () scores of the first items"},
			{Name: "input2", Differentiable: true, Doc: "(N) or () scores of the second items"},
			{Name: "target", Doc: "(N) or (): 1 if input1 should rank higher, -1 if input2 should"},
		},
		Curve: &Curve{
			X: Axis{Label: "x1 (with x2 = 0)", Min: -3, Max: 3},
			T: Axis{Label: "target y", Min: -1, Max: 1}, TStep: 2, TDefault: 1,
			Eval: func(p Params, t, x float64) (float64, float64) {
				l, d1, _ := rankingElem(p.Num[0], x, 0, t)
				return l, d1
			},
			Mark: rankingMark,
		},
		Surface: &Surface{
			X: Axis{Label: "x1", Min: -3, Max: 3}, Y: Axis{Label: "x2", Min: -3, Max: 3},
			Point: [2]float64{-0.5, 1},
			Eval: func(p Params, t, x, y float64) (float64, float64, float64) {
				return rankingElem(p.Num[0], x, y, t)
			},
			Note: "the loss of one pair over the two scores x1 and x2 for target y: zero on one side of the line x1 - x2 = margin/y",
		},
	}
	registerLoss(f, func(p Params, in map[string]Tensor) (LossResult, error) {
		ts, err := getInputs(in, "input1", "input2", "target")
		if err != nil {
			return LossResult{}, err
		}
		a, b, t := ts[0], ts[1], ts[2]
		if len(a.Shape) != len(b.Shape) || len(a.Shape) != len(t.Shape) {
			parts := []any{"margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: "}
			parts = append(parts, sizeParts(a.Shape)...)
			parts = append(parts, ", input2: ")
			parts = append(parts, sizeParts(b.Shape)...)
			parts = append(parts, ", target: ")
			parts = append(parts, sizeParts(t.Shape)...)
			parts = append(parts, " ")
			return LossResult{}, Errorf("", parts...)
		}
		if err := sameShapeErr("input1", a, "input2", b); err != nil {
			return LossResult{}, err
		}
		if err := sameShapeErr("input1", a, "target", t); err != nil {
			return LossResult{}, err
		}
		n := len(a.Data)
		l, g1, g2 := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range n {
			l[i], g1[i], g2[i] = rankingElem(p.Num[0], a.Data[i], b.Data[i], t.Data[i])
		}
		res := LossResult{Grad: map[string]Tensor{}}
		s := applyReduction(reductionOf(f, p, 1), a.Shape, l, float64(n), &res)
		scaleGrad(g1, s)
		scaleGrad(g2, s)
		res.Grad["input1"] = Tensor{Shape: slices.Clone(a.Shape), Data: g1}
		res.Grad["input2"] = Tensor{Shape: slices.Clone(a.Shape), Data: g2}
		return res, nil
	})
}
