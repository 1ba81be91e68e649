package core

import "math"

// Heaviside is the unit step, torch.heaviside(input, values), with values the output at 0.
//
//	heaviside(x) = 0 for x < 0, values for x = 0, 1 for x > 0
//	heaviside'(x) = 0 for x ≠ 0; none at 0
//
// PyTorch defines no derivative at all ("derivative for aten::heaviside is not implemented"); the
// derivative returned here is the true one away from 0 and NaN at 0, where there is none.
//
// Special cases are:
//
//	Heaviside(±0, v) = v, NaN
//	Heaviside(+Inf, v) = 1, 0
//	Heaviside(-Inf, v) = 0, 0
//	Heaviside(NaN, v) = NaN, NaN (PyTorch returns 0: both of its comparisons are false)
//
// Source: https://pytorch.org/docs/stable/generated/torch.heaviside.html
func Heaviside(x, values float64) (y, dy float64) {
	switch {
	case x > 0:
		return 1, 0
	case x < 0:
		return 0, 0
	case x == 0:
		return values, math.NaN()
	}
	return nan2(x)
}

func init() {
	Register(&Func{
		ID: "heaviside", Class: "Heaviside", Name: "Heaviside step", Kind: Activation, Group: "Step and line",
		Torch: "torch.heaviside",
		Code:  []string{`torch.heaviside(x, torch.tensor({values}))`},
		Params: []Param{{Name: "values", Type: Real, Default: 0.5, Min: -1, Max: 2, Step: 0.05,
			Doc: "the value at x = 0 (torch.heaviside's values tensor)"}},
		Formula:    `H(x) = \begin{cases} 0 & x < 0 \\ \text{values} & x = 0 \\ 1 & x > 0 \end{cases}`,
		Derivative: `H'(x) = \begin{cases} 0 & x \ne 0 \\ \text{undefined} & x = 0 \end{cases}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.heaviside.html",
		Kinks: []string{"at x = 0 there is no derivative: PyTorch defines none anywhere " +
			"(\"derivative for aten::heaviside is not implemented\"), so nnplay shows nan at 0 and the true 0 elsewhere"},
		Differences: []string{"for x = nan PyTorch returns 0 (both of its comparisons are false); nnplay returns nan"},
		Scalar:      func(p Params, x float64) (float64, float64) { return Heaviside(x, p.Num[0]) },
		XRange:      [2]float64{-2, 2},
	})
}
