package core

import "math"

// hinge_embedding_loss is F.hinge_embedding_loss / nn.HingeEmbeddingLoss (margin default 1.0),
// usually applied to a distance x between the two items of a pair.
//
//	l = x                    if y = 1
//	l = max(0, margin - x)   if y = -1
//
// As implemented in PyTorch: where(y != 1, max(0, margin - x), 0) + where(y != -1, x, 0), so a
// label other than ±1 adds both terms. The gradient of the hinge passes at x == margin (clamp_min,
// >=): -1 there. No margin check, as in PyTorch.
//
// Shapes: input (*) and target of the same shape; reduction none / mean / sum. NaN in gives NaN.
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.HingeEmbeddingLoss.html
func hingeElem(p Params, x, y float64) (l, dx, dy float64) {
	if math.IsNaN(x) || math.IsNaN(y) {
		return math.NaN(), math.NaN(), 0
	}
	if y != 1 {
		if z := p.Num[0] - x; z >= 0 {
			l, dx = z, -1
		} else if z != z {
			return z, z, 0
		}
	}
	if y != -1 {
		l += x
		dx++
	}
	return l, dx, 0
}

func init() {
	f := &Func{
		ID: "hinge_embedding_loss", Class: "HingeEmbeddingLoss", Name: "Hinge embedding", Kind: Loss, Group: "Ranking and embedding",
		Params: []Param{
			{Name: "margin", Type: Real, Default: 1, Min: 0, Max: 3, Step: 0.01, Doc: "distance beyond which dissimilar pairs cost nothing"},
			ReductionParam(),
		},
		Formula:    `\ell_n = \begin{cases} x_n & y_n = 1 \\ \max(0, \text{margin} - x_n) & y_n = -1 \end{cases}`,
		Derivative: `\frac{\partial \ell_n}{\partial x_n} = \begin{cases} 1 & y_n = 1 \\ -[x_n \le \text{margin}] & y_n = -1 \end{cases}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.HingeEmbeddingLoss.html",
		Kinks:      []string{"at x = margin with y = -1 the gradient is -1 (it passes, as PyTorch's clamp_min)"},
		Differences: []string{
			"input and target must have the same shape (nnplay does not broadcast)",
			"a NaN label gives NaN (PyTorch adds both terms, as for any label other than ±1)",
		},
		Inputs: []LossInput{
			{Name: "input", Differentiable: true, Doc: "(*) distances (or scores) of pairs"},
			{Name: "target", Doc: "(*) same shape as input: 1 for similar pairs, -1 for dissimilar ones"},
		},
		Curve: elemCurve(Axis{Label: "input x (a distance)", Min: -1, Max: 3}, Axis{Label: "target y", Min: -1, Max: 1},
			2, -1, hingeElem, hingeValue),
		Surface: &Surface{
			X:     Axis{Label: "distance of a similar pair (y = 1)", Min: 0, Max: 3},
			Y:     Axis{Label: "distance of a dissimilar pair (y = -1)", Min: 0, Max: 3},
			Point: [2]float64{1.5, 0.5},
			Eval: func(p Params, _, x, y float64) (float64, float64, float64) {
				la, ga, _ := hingeElem(p, x, 1)
				lb, gb, _ := hingeElem(p, y, -1)
				if Reductions[int(p.Num[1])] == "mean" {
					return (la + lb) / 2, ga / 2, gb / 2
				}
				return la + lb, ga, gb
			},
			Value: func(p Params, _, x, y float64) float64 {
				l := hingeValue(p, x, 1) + hingeValue(p, y, -1)
				if Reductions[int(p.Num[1])] == "mean" {
					return l / 2
				}
				return l
			},
			IgnoresT: true,
			Note: "a batch of two pairs, one similar (y = 1) and one dissimilar (y = -1): similar pairs are pulled " +
				"to distance 0, dissimilar ones pushed beyond the margin; for 'none' the surface shows the sum",
		},
	}
	f.Curve.Mark = hingeMark
	registerLoss(f, func(p Params, in map[string]Tensor) (LossResult, error) {
		return elementwiseLoss(f, 1, p, in, hingeElem)
	})
}

// hingeMark is hinge_embedding_loss's Curve.Mark on the distance axis: for a similar pair
// (y = 1, loss x) distance 0, where the loss is 0; for a dissimilar pair (y = -1, loss
// max(0, margin - x)) the margin, from which on the loss is 0.
//
// Special cases are:
//
//	hingeMark(p, t) = NaN, "" for a label other than ±1 (both terms: the loss is x + max(0, margin - x))
func hingeMark(p Params, t float64) (float64, string) {
	switch t {
	case 1:
		return 0, "similar pair: distance 0"
	case -1:
		return p.Num[0], "x = margin: loss is 0 from here"
	}
	return math.NaN(), ""
}

// hingeValue is hingeElem's loss alone.
func hingeValue(p Params, x, y float64) float64 {
	if math.IsNaN(x) || math.IsNaN(y) {
		return math.NaN()
	}
	var l float64
	if y != 1 {
		if z := p.Num[0] - x; z >= 0 {
			l = z
		} else if z != z {
			return z
		}
	}
	if y != -1 {
		l += x
	}
	return l
}
