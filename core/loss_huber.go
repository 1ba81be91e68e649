package core

import "math"

// huber_loss is F.huber_loss / nn.HuberLoss with threshold delta (default 1.0).
//
//	z = |x - y|
//	l = 0.5 z^2                 if z < delta
//	l = delta (z - 0.5 delta)   otherwise
//	dl/dx = x - y inside, delta sgn(x - y) outside (continuous: ±delta at |x - y| = delta)
//
// huber_loss(delta) = delta * smooth_l1_loss(beta = delta). Shapes: input (*) and target of the
// same shape; reduction none / mean / sum. NaN in gives NaN. F.huber_loss's optional weight is
// not offered.
//
// Errors: delta <= 0 (or NaN): "huber_loss does not support non-positive values for delta.";
// input and target shapes differ.
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.HuberLoss.html
func huberElem(p Params, x, y float64) (float64, float64, float64) {
	delta := p.Num[1]
	d := x - y
	z := math.Abs(d)
	if z < delta {
		return 0.5 * z * z, d, -d
	}
	if math.IsNaN(d) {
		return d, d, d
	}
	g := delta * sgn(d)
	return delta * (z - 0.5*delta), g, -g
}

func init() {
	f := &Func{
		ID: "huber_loss", Class: "HuberLoss", Name: "Huber", Kind: Loss, Group: "Regression",
		Params: []Param{ReductionParam(),
			{Name: "delta", Type: Real, Default: 1, Min: 0.01, Max: 5, Step: 0.01,
				Doc: "where the loss changes from quadratic to linear (must be > 0)"}},
		Formula: `\ell_n = \begin{cases} 0.5\,(x_n - y_n)^2 & |x_n - y_n| < \delta \\ ` +
			`\delta\,(|x_n - y_n| - 0.5\,\delta) & \text{otherwise} \end{cases}`,
		Derivative: `\frac{\partial \ell_n}{\partial x_n} = \begin{cases} x_n - y_n & |x_n - y_n| < \delta \\ ` +
			`\delta \operatorname{sgn}(x_n - y_n) & \text{otherwise} \end{cases}`,
		Source:      "https://pytorch.org/docs/stable/generated/torch.nn.HuberLoss.html",
		Kinks:       []string{"at |x - y| = delta the derivative is continuous: ±delta"},
		Differences: []string{"input and target must have the same shape: PyTorch warns and broadcasts, nnplay rejects the call"},
		Validate: func(p Params) error {
			if !(p.Num[1] > 0) {
				return Errorf("delta", "huber_loss does not support non-positive values for delta.")
			}
			return nil
		},
	}
	registerRegression(f, huberElem, huberValue, huberRow)
}

// huberValue is huberElem's loss alone.
func huberValue(p Params, x, y float64) float64 { return huberVal(p.Num[1], x, y) }

func huberVal(delta, x, y float64) float64 {
	z := math.Abs(x - y)
	if z < delta {
		return 0.5 * z * z
	}
	return delta * (z - 0.5*delta) // NaN for a NaN z
}

// huberRow is huberValue over a row of a surface.
func huberRow(p Params, xs []float64, y float64, z []float64) {
	delta := p.Num[1]
	z = z[:len(xs)]
	for i, x := range xs {
		z[i] = huberVal(delta, x, y)
	}
}
