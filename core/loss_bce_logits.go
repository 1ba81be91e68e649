package core

import (
	"math"
	"slices"
)

// binary_cross_entropy_with_logits is F.binary_cross_entropy_with_logits / nn.BCEWithLogitsLoss:
// sigmoid and binary cross-entropy in one stable expression, with pos_weight pw (default 1).
//
//	lw = (pw - 1) t + 1
//	l = (1 - t) x - lw log sigmoid(x)
//	  = (1 - t) x + lw log1p(exp(-x))        for x >= 0
//	  = -pw t x   + lw log1p(exp(x))         for x < 0
//	dl/dx = lw sigmoid(x) - pw t = (1 - t) - lw sigmoid(-x)
//
// The two branches have no cancellation for t in [0, 1] and pw >= 0, so the loss is accurate to a
// few ulps everywhere, and large logits do not overflow (E07: (1e4, 0) gives 1e4, (8e7, 0) 8e7).
//
// Shapes: input (*) logits and target of the same shape (target values are not checked, as in
// PyTorch); reduction none / mean / sum. pos_weight is one number here (PyTorch: a tensor
// broadcast along the last dimension); the optional weight is not offered.
//
// Special cases are:
//
//	x = +Inf, t = 1 and x = -Inf, t = 0: 0 (E06; PyTorch: NaN from 0*inf or inf - inf; note)
//	x = -Inf, t > 0: +Inf (PyTorch: NaN; note)
//	NaN in gives NaN
//
// Errors: shapes differ: "Target size (...) must be the same as input size (...)".
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.BCEWithLogitsLoss.html
func bceLogitsElem(p Params, x, t float64) (l, dx, dt float64) {
	pw := p.Num[1]
	lw := (pw-1)*t + 1
	c0 := 1 - t*(1+pw) // the gradient's numerator at x = 0
	if x >= 0 {
		e := exp(-x)
		l = mul0(1-t, x) + lw*log1pExp(-x)
		// dl/dx = ((1 - t) - pw t e) / (1 + e), with e = 1 + expm1(-x) near 0 (no cancellation at t = 1/2)
		num := (1 - t) - pw*t*e
		if x < 1 {
			num = c0 - pw*t*math.Expm1(-x)
		}
		dx = num / (1 + e)
		dt = -x + (pw-1)*log1pExp(-x)
		return
	}
	e := exp(x)
	l = -mul0(pw*t, x) + lw*log1pExp(x)
	// dl/dx = ((1 - t) e - pw t) / (1 + e)
	num := (1-t)*e - pw*t
	if x > -1 {
		num = c0 + (1-t)*math.Expm1(x)
	}
	dx = num / (1 + e)
	if math.IsNaN(x) {
		dx = x
	}
	dt = -mul0(pw, x) + (pw-1)*log1pExp(x)
	return
}

func init() {
	f := &Func{
		ID: "binary_cross_entropy_with_logits", Class: "BCEWithLogitsLoss", Name: "BCE with logits",
		Kind: Loss, Group: "Classification",
		// pos_weight must be a tensor in PyTorch (nn.BCEWithLogitsLoss registers it as a buffer), so
		// it is written out explicitly rather than through {kw}.
		Code: []string{
			`nn.BCEWithLogitsLoss(pos_weight=torch.tensor({pos_weight}), reduction={reduction})`,
			`F.binary_cross_entropy_with_logits({inputs}, pos_weight=torch.tensor({pos_weight}), reduction={reduction})`,
		},
		Params: []Param{ReductionParam(),
			{Name: "pos_weight", Type: Real, Default: 1, Min: 0, Max: 10, Step: 0.1,
				Doc: "weight of the positive term (for example #negatives / #positives)"}},
		Formula:    `\ell_n = -\left[ p\, y_n \log \sigma(x_n) + (1 - y_n) \log(1 - \sigma(x_n)) \right]`,
		Derivative: `\frac{\partial \ell_n}{\partial x_n} = \left(p\, y_n + 1 - y_n\right) \sigma(x_n) - p\, y_n`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.BCEWithLogitsLoss.html",
		Differences: []string{
			"x = ±inf with the matching target gives 0, and x = -inf with y > 0 gives +inf; PyTorch returns nan there (0·inf, inf - inf)",
			"pos_weight is a single number (PyTorch: a tensor broadcast over the classes); the optional weight is not offered",
		},
		Inputs: []LossInput{
			{Name: "input", Differentiable: true, Doc: "(*) logits"},
			{Name: "target", Doc: "(*) same shape as input, probabilities (usually 0 or 1)"},
		},
		Curve: elemCurve(Axis{Label: "logit x", Min: -6, Max: 6}, Axis{Label: "target y", Min: 0, Max: 1},
			0.01, 1, bceLogitsElem, bceLogitsValue),
		Surface: elemSurface(Axis{Label: "logit x", Min: -6, Max: 6}, Axis{Label: "target y", Min: 0, Max: 1},
			[2]float64{-1, 0.8}, "loss of one element over the logit x and the target y", bceLogitsElem, bceLogitsValue, bceLogitsRow),
	}
	f.Curve.Mark = bceLogitsMark
	f.Surface.XFollowsCurve = true // the logit x; Y is the target probability, in other units
	registerLoss(f, func(p Params, in map[string]Tensor) (LossResult, error) {
		ts, err := getInputs(in, "input", "target")
		if err != nil {
			return LossResult{}, err
		}
		x, t := ts[0], ts[1]
		if !slices.Equal(x.Shape, t.Shape) {
			parts := append([]any{"Target size ("}, sizeParts(t.Shape)...)
			parts = append(parts, ") must be the same as input size (")
			parts = append(parts, sizeParts(x.Shape)...)
			parts = append(parts, ")")
			return LossResult{}, Errorf("", parts...)
		}
		res, err := elementwiseLoss(f, 0, p, in, bceLogitsElem)
		for i, v := range x.Data {
			if math.IsInf(v, -1) || (math.IsInf(v, 1) && t.Data[i] == 1) {
				res.Notes = append(res.Notes, "PyTorch returns nan for a logit of ±inf here (0·inf or inf - inf); "+
					"nnplay returns the limit")
				break
			}
		}
		return res, err
	})
}

// bceLogitsMark is binary_cross_entropy_with_logits's Curve.Mark: the logit whose sigmoid is the
// target probability y,
//
//	x = logit(y) = log(y / (1 - y)),  σ(x) = y
//
// where the loss is smallest for pos_weight 1 (with pos_weight pw the minimum moves to
// σ(x) = pw y / (pw y + 1 - y); the mark stays where the target is). For y in [1/4, 3/4] it is
// computed as log1p((2y - 1)/(1 - y)), where 2y - 1 is exact, so it keeps its precision near
// y = 1/2 (x near 0).
//
// Special cases are:
//
//	bceLogitsMark(p, t) = NaN, "" for t <= 0 or t >= 1 (logit ±Inf: the loss only falls toward
//	the end of the axis) or NaN
func bceLogitsMark(_ Params, t float64) (float64, string) {
	switch {
	case !(t > 0 && t < 1):
		return math.NaN(), ""
	case t >= 0.25 && t <= 0.75:
		return math.Log1p((2*t - 1) / (1 - t)), "σ(x) = y"
	}
	return math.Log(t / (1 - t)), "σ(x) = y"
}

// bceLogitsValue is bceLogitsElem's loss alone.
func bceLogitsValue(p Params, x, t float64) float64 { return bceLogitsVal(p.Num[1], x, t) }

func bceLogitsVal(pw, x, t float64) float64 {
	lw := (pw-1)*t + 1
	if x >= 0 {
		return mul0(1-t, x) + lw*log1pExp(-x)
	}
	return -mul0(pw*t, x) + lw*log1pExp(x)
}

// bceLogitsRow is bceLogitsValue over a row of a surface.
func bceLogitsRow(p Params, xs []float64, t float64, z []float64) {
	pw := p.Num[1]
	z = z[:len(xs)]
	for i, x := range xs {
		z[i] = bceLogitsVal(pw, x, t)
	}
}
