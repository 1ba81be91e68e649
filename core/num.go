package core

import "math"

// Shared numerics: stable forms used by several activations and losses. Each is accurate to a
// few ulps over the whole float64 range (Mächler, "Accurately Computing log(1 - exp(-|a|))",
// CRAN Rmpfr vignette, 2012, for the log1pexp switch points).

// log1pExp returns log(1 + exp(x)) (softplus with beta = 1 and no threshold) without overflow
// for large x or loss of precision for very negative x.
//
// Special cases are:
//
//	log1pExp(+Inf) = +Inf
//	log1pExp(-Inf) = 0
//	log1pExp(NaN) = NaN
func log1pExp(x float64) float64 {
	switch {
	case x <= -37:
		return exp(x)
	case x <= 18:
		return math.Log1p(exp(x))
	case x <= 33.3:
		return x + exp(-x)
	}
	return x // also +Inf and NaN
}

// sigmoid returns 1 / (1 + exp(-x)), computed so that neither branch overflows.
//
// Special cases are:
//
//	sigmoid(+Inf) = 1
//	sigmoid(-Inf) = 0
//	sigmoid(NaN) = NaN
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + exp(-x))
	}
	e := exp(x)
	return e / (1 + e)
}

// logSigmoid returns log(sigmoid(x)) = -log1pExp(-x).
//
// Special cases are:
//
//	logSigmoid(+Inf) = -0
//	logSigmoid(-Inf) = -Inf
//	logSigmoid(NaN) = NaN
func logSigmoid(x float64) float64 { return -log1pExp(-x) }

// logSumExp returns log(sum(exp(x))) with the maximum subtracted first, so large logits do not
// overflow. It returns -Inf for an empty slice or when every element is -Inf, +Inf when any
// element is +Inf (and none is NaN), and NaN when any element is NaN.
func logSumExp(x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		if math.IsNaN(v) {
			return v
		}
		if v > m {
			m = v
		}
	}
	if math.IsInf(m, 0) {
		return m
	}
	var s float64
	for _, v := range x {
		s += exp(v - m)
	}
	return m + math.Log(s)
}
