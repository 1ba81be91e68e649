package core

import "math"

// Softplus is F.softplus / nn.Softplus, a smooth ReLU with sharpness beta that reverts to the
// identity where x·beta > threshold (the switch is part of PyTorch's definition).
//
//	softplus(x) = x                        for x·beta > threshold
//	softplus(x) = log(1 + exp(beta·x))/beta otherwise
//	softplus'(x) = 1 above the threshold, σ(beta·x) otherwise
//
// x·beta is carried to twice the float64 precision (x·beta = hi + lo exactly), and log(1+e^z) is
// evaluated without overflow, so the result is the true value also where PyTorch's
// log1p(exp(x·beta)) overflows (beta = threshold = 1e30, x = 0.5: 0.5, PyTorch inf).
//
// Special cases are:
//
//	Softplus(0, beta, threshold) = log(2)/beta, 0.5 (threshold ≥ 0)
//	Softplus(+Inf, beta, threshold) = +Inf, 1 (beta > 0)
//	Softplus(-Inf, beta, threshold) = 0, 0 (beta > 0)
//	Softplus(x, 0, threshold) = +Inf, 0.5 (threshold ≥ 0; PyTorch does the same, nnplay's Validate rejects beta = 0)
//	Softplus(NaN, beta, threshold) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.Softplus.html
func Softplus(x, beta, threshold float64) (y, dy float64) {
	if x != x {
		return nan2(x)
	}
	z, zl := actTwoProd(x, beta)
	if z > threshold {
		return x, 1
	}
	switch {
	case math.IsInf(z, 1): // threshold = +Inf: log(1 + e^z)/beta = z/beta = x
		return x, 1
	case z < -1500: // e^z underflows (and zl may be large)
		return 0 / beta, 0
	case z < -708: // log(1 + e^z) = e^z, σ(z) = e^z: round once, also when subnormal
		h := exp(z / 2)
		h1 := h * (1 + zl)
		return (h1 / beta) * h, h1 * h
	}
	s, c := sigmoid(z), sigmoid(-z)
	// log1pexp(z + zl) = log1pexp(z) + σ(z)·zl, σ(z + zl) = σ(z) + σ(z)σ(-z)·zl to first order.
	return (log1pExp(z) + s*zl) / beta, s + s*c*zl
}

func init() {
	Register(&Func{
		ID: "softplus", Class: "Softplus", Name: "Softplus", Kind: Activation, Group: "Smooth ReLU",
		Params: []Param{
			{Name: "beta", Type: Real, Default: 1, Min: 0.1, Max: 10, Step: 0.1,
				Doc: "the sharpness: larger beta is closer to ReLU"},
			{Name: "threshold", Type: Real, Default: 20, Min: 0, Max: 40, Step: 0.5,
				Doc: "above x·beta > threshold the output is x itself"},
		},
		Formula: `\operatorname{Softplus}(x) = \begin{cases} x & \beta x > \text{threshold} \\ ` +
			`\frac{1}{\beta}\log\left(1 + e^{\beta x}\right) & \text{otherwise} \end{cases}`,
		Derivative: `\operatorname{Softplus}'(x) = \begin{cases} 1 & \beta x > \text{threshold} \\ ` +
			`\sigma(\beta x) = \frac{1}{1 + e^{-\beta x}} & \text{otherwise} \end{cases}`,
		Source: "https://pytorch.org/docs/stable/generated/torch.nn.Softplus.html",
		Kinks: []string{"at x·beta = threshold the log branch is used (the switch is strict, x·beta > threshold); " +
			"the function and its derivative jump there by a tiny amount (e^{-threshold}/beta and about e^{-threshold})"},
		Differences: []string{"where x·beta is large but not above threshold (e.g. beta = threshold = 1e30, " +
			"x = 0.5) PyTorch's exp(x·beta) overflows and it returns inf; nnplay returns the true value (0.5)"},
		Validate: func(p Params) error {
			if p.Num[0] == 0 {
				return Errorf("beta", "beta must not be 0: softplus divides by beta "+
					"(PyTorch does not check, and returns inf for every x below the threshold)")
			}
			return nil
		},
		Scalar: func(p Params, x float64) (float64, float64) { return Softplus(x, p.Num[0], p.Num[1]) },
		Value:  func(p Params, x float64) float64 { return softplusValue(x, p.Num[0], p.Num[1]) },
		XRange: [2]float64{-6, 6},
	})
}

// softplusValue is Softplus's y alone (the derivative's σ(-z) not computed).
func softplusValue(x, beta, threshold float64) float64 {
	if x != x {
		return x
	}
	z, zl := actTwoProd(x, beta)
	if z > threshold {
		return x
	}
	switch {
	case math.IsInf(z, 1):
		return x
	case z < -1500:
		return 0 / beta
	case z < -708:
		h := exp(z / 2)
		h1 := h * (1 + zl)
		return (h1 / beta) * h
	}
	return (log1pExp(z) + sigmoid(z)*zl) / beta
}
