package core

import (
	"math"
	"slices"
)

// kl_div is F.kl_div / nn.KLDivLoss: the pointwise Kullback-Leibler term between a target
// distribution t and the distribution whose log-probabilities are the input x.
//
//	l = xlogy(t, t) - t x = t (log t - x)    (log_target = false; 0 where t = 0)
//	l = exp(t) (t - x)                        (log_target = true: t holds log-probabilities)
//	dl/dx = -t, or -exp(t)
//
// reduction: "none" (the input's shape), "mean" (sum / number of elements: NOT the KL
// divergence; PyTorch warns), "sum", "batchmean" (sum / input.size(0): the KL divergence per
// sample; the sum for a 0-d input). Default "mean", as PyTorch.
//
// Shapes: input (*) log-probabilities and target of the same shape (PyTorch broadcasts; nnplay
// rejects a mismatch).
//
// Special cases are:
//
//	t = 0 (or log_target and t = -Inf): 0, also for x = ±Inf (PyTorch: NaN from 0*inf; note)
//	t < 0 without log_target: NaN (xlogy of a negative number), as in PyTorch
//	NaN in gives NaN
//
// E12: input log([[.25,.75],[.5,.5]]), target [[.5,.5],[.9,.1]]: sum 0.5119052433943876,
// batchmean 0.2559526216971938, mean 0.1279763108485969.
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.KLDivLoss.html
func klElem(p Params, x, t float64) (l, dx, dt float64) {
	if p.Num[1] != 0 { // log_target
		e := exp(t)
		return mul0(e, t-x), -e, mul0(e, t-x+1)
	}
	switch {
	case t == 0:
		return 0 - mul0(t, x), -t, math.Inf(-1)
	case t > 0:
		d := logMinus(t, x)
		return t * d, -t, d + 1
	}
	return math.NaN(), -t, math.NaN() // t < 0 or NaN
}

// Ln2Hi + Ln2Lo = log(2) (the split of Go's math.Log: Ln2Hi has few enough bits that e*Ln2Hi is
// exact for any binary exponent e).
const (
	ln2Hi = 6.93147180369123816490e-01
	ln2Lo = 1.90821492927058770002e-10
)

// logMinus returns log(t) - x for t > 0 accurate to a few ulps even when the two nearly cancel:
// log t = e log 2 + log m with the exponent part split in two and the sum kept exact (twoSum).
func logMinus(t, x float64) float64 {
	m, e := math.Frexp(t)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	if math.IsInf(t, 0) || math.IsNaN(t) || math.IsInf(x, 0) || math.IsNaN(x) {
		return math.Log(t) - x
	}
	fe := float64(e)
	s, err := twoSum(fe*ln2Hi, -x)
	return s + (err + (fe*ln2Lo + math.Log(m)))
}

// klReductions are kl_div's reduction choices: the shared three plus batchmean.
var klReductions = []string{"none", "mean", "sum", "batchmean"}

// klMeanWarning is PyTorch's UserWarning for reduction='mean' (the missing spaces are PyTorch's).
const klMeanWarning = "reduction='mean' is not the KL divergence: it also divides by the number of classes; " +
	"use 'batchmean'. PyTorch warns: reduction: 'mean' divides the total loss by both the batch size and the support size." +
	"'batchmean' divides only by the batch size, and aligns with the KL div math definition." +
	"'mean' will be changed to behave the same as 'batchmean' in the next major release."

func init() {
	f := &Func{
		ID: "kl_div", Class: "KLDivLoss", Name: "KL divergence", Kind: Loss, Group: "Distributions",
		Params: []Param{
			{Name: "reduction", Type: Choice, Default: 1, Choices: klReductions,
				Doc: "none, mean (divides by every element: not the KL divergence), sum, or batchmean (the KL divergence)"},
			{Name: "log_target", Type: Bool, Default: 0, Doc: "the target holds log-probabilities"},
		},
		Formula: `\ell_n = y_n \left(\log y_n - x_n\right), \qquad ` +
			`\operatorname{KL}(y \,\|\, e^{x}) = \frac{1}{N_{\text{batch}}} \sum_n \ell_n \ (\text{batchmean})`,
		Derivative: `\frac{\partial \ell_n}{\partial x_n} = -y_n \quad (\text{log\_target: } -e^{y_n})`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.KLDivLoss.html",
		Differences: []string{
			"a target of 0 (or -inf with log_target) gives 0 even for an input of ±inf (PyTorch: nan)",
			"input and target must have the same shape: PyTorch broadcasts, nnplay rejects the call",
		},
		Inputs: []LossInput{
			{Name: "input", Differentiable: true, Doc: "(*) log-probabilities (for example log_softmax output)"},
			{Name: "target", Doc: "(*) same shape as input: probabilities, or log-probabilities with log_target"},
		},
		Curve: &Curve{
			X: Axis{Label: "input log-probability x", Min: -5, Max: 0.5},
			T: Axis{Label: "target probability t", Min: 0, Max: 1}, TStep: 0.01, TDefault: 0.5,
			Eval: func(p Params, t, x float64) (float64, float64) {
				if p.Num[1] != 0 {
					t = math.Log(t)
				}
				l, dx, _ := klElem(p, x, t)
				return l, dx
			},
			Mark: klMark,
		},
		Surface: &Surface{
			X:        Axis{Label: "predicted probability q of class 0", Min: 0.01, Max: 0.99},
			Y:        Axis{Label: "target probability p of class 0", Min: 0.01, Max: 0.99},
			Point:    [2]float64{0.3, 0.7},
			Eval:     klBernoulli,
			IgnoresT: true,
			Note: "two classes: input = log(q, 1 - q) with shape (1, 2), target = (p, 1 - p): 'sum' and 'batchmean' " +
				"give KL(p || q), 'mean' gives half of it (it divides by the 2 elements), 'none' shows the sum of the two terms",
		},
	}
	registerLoss(f, func(p Params, in map[string]Tensor) (LossResult, error) {
		ts, err := getInputs(in, "input", "target")
		if err != nil {
			return LossResult{}, err
		}
		x, t := ts[0], ts[1]
		if err := sameShapeErr("input", x, "target", t); err != nil {
			return LossResult{}, err
		}
		n := len(x.Data)
		l, g := make([]float64, n), make([]float64, n)
		zeroInf := false
		for i := range n {
			l[i], g[i], _ = klElem(p, x.Data[i], t.Data[i])
			tv := t.Data[i]
			if p.Num[1] != 0 {
				tv = exp(tv)
			}
			zeroInf = zeroInf || isInfTimesZero(tv, x.Data[i]) || (p.Num[1] != 0 && math.IsInf(t.Data[i], -1))
		}
		res := LossResult{Grad: map[string]Tensor{}}
		red := reductionOf(f, p, 0)
		div := float64(n)
		if red == "batchmean" {
			if len(x.Shape) == 0 {
				red = "sum"
			} else {
				div = float64(x.Shape[0])
			}
		}
		scaleGrad(g, applyReduction(red, x.Shape, l, div, &res))
		if red == "mean" {
			res.Notes = append(res.Notes, klMeanWarning)
		}
		if zeroInf {
			res.Notes = append(res.Notes, "a target probability of 0 contributes 0 here; PyTorch returns nan when the input is ±inf (0·inf)")
		}
		res.Grad["input"] = Tensor{Shape: slices.Clone(x.Shape), Data: g}
		return res, nil
	})
}

// klMark is kl_div's Curve.Mark: the input log-probability equal to the log of the target
// probability t (the curve's target is a probability also with log_target), where the term
// t (log t - x) crosses 0: x = log t.
//
// Special cases are:
//
//	klMark(p, t) = NaN, "" for t <= 0 (log 0 = -Inf) or NaN
func klMark(_ Params, t float64) (float64, string) {
	if !(t > 0) {
		return math.NaN(), ""
	}
	return math.Log(t), "x = log t"
}

// klBernoulli is the kl_div surface: input log(q, 1-q), target (p, 1-p) (or their logs with
// log_target), one sample of two classes; x = q, y = p.
func klBernoulli(p Params, _, q, pt float64) (float64, float64, float64) {
	x0, x1 := math.Log(q), math.Log1p(-q)
	t0, t1 := pt, 1-pt
	logT := p.Num[1] != 0
	if logT {
		t0, t1 = math.Log(pt), math.Log1p(-pt)
	}
	l0, g0, d0 := klElem(p, x0, t0)
	l1, g1, d1 := klElem(p, x1, t1)
	l := l0 + l1
	dq := g0/q - g1/(1-q)
	var dp float64
	if logT {
		dp = d0/pt - d1/(1-pt)
	} else {
		dp = d0 - d1
	}
	if klReductions[int(p.Num[0])] == "mean" {
		return l / 2, dq / 2, dp / 2
	}
	return l, dq, dp
}
