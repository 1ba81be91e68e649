package core

import "strconv"

// Softshrink is F.softshrink / nn.Softshrink: x moved towards 0 by lambd, 0 on [-lambd, lambd].
//
//	softshrink(x) = x - lambd for x > lambd, x + lambd for x < -lambd, 0 otherwise
//	softshrink'(x) = 1 for |x| > lambd, 0 for -lambd ≤ x ≤ lambd
//
// Special cases are:
//
//	Softshrink(±lambd, lambd) = 0, 0
//	Softshrink(±Inf, lambd) = ±Inf, 1
//	Softshrink(NaN, lambd) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.Softshrink.html
func Softshrink(x, lambd float64) (y, dy float64) {
	switch {
	case x > lambd:
		return x - lambd, 1
	case x < -lambd:
		return x + lambd, 1
	case x == x:
		return 0, 0
	}
	return nan2(x)
}

// cppDouble formats v as C++'s std::ostream does by default (6 significant digits, %g), the way
// PyTorch's C++ error messages print a double.
func cppDouble(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

func init() {
	Register(&Func{
		ID: "softshrink", Class: "Softshrink", Name: "Softshrink", Kind: Activation, Group: "Shrinkage",
		Params: []Param{lambdParam()},
		Formula: `\operatorname{Softshrink}(x) = \begin{cases} x - \lambda & x > \lambda \\ x + \lambda & x < -\lambda \\ ` +
			`0 & \text{otherwise} \end{cases}`,
		Derivative: `\operatorname{Softshrink}'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.nn.Softshrink.html",
		Kinks:      []string{"at x = ±lambd the derivative is 0 (shrink_backward: 0 on the closed interval)"},
		Validate: func(p Params) error {
			if l := p.Num[0]; l < 0 {
				return Errorf("lambd", "lambda must be greater or equal to 0, but found to be ", cppDouble(l), ".")
			}
			return nil
		},
		Scalar: func(p Params, x float64) (float64, float64) { return Softshrink(x, p.Num[0]) },
		XRange: [2]float64{-2, 2},
	})
}
