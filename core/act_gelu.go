package core

import "math"

// Constants as double-double pairs (hi + lo), from 60-digit arithmetic.
const (
	sqrtHalfHi    = 0.7071067811865476 // 1/√2
	sqrtHalfLo    = -4.833646656726457e-17
	invSqrt2PiHi  = 0.3989422804014327 // 1/√(2π)
	invSqrt2PiLo  = -2.49232720227773e-17
	twoOverSqrtPi = 1.1283791670955126 // 2/√π
	// The tanh approximation as documented, with the exact √(2/π) and 0.044715 (PyTorch's kernel
	// rounds both to float64, which moves x·σ(2u) by tens of ulps for x << 0).
	geluBeta    = 0.7978845608028654 // √(2/π) = geluBeta + geluBetaLo
	geluBetaLo  = -4.98465440455546e-17
	geluKappa   = 0.044715 // 0.044715 = geluKappa + geluKappaLo
	geluKappaLo = 2.1960211427085595e-18
)

// gelu approximate choices, in the order of Param.Choices.
const (
	geluNone = 0
	geluTanh = 1
)

// GELU is the Gaussian error linear unit, F.gelu / nn.GELU with approximate='none'.
//
//	gelu(x) = x·Φ(x) = x·erfc(-x/√2)/2
//	gelu'(x) = Φ(x) + x·φ(x), φ(x) = e^{-x²/2}/√(2π)
//
// Φ is computed from erfc, not as (1 + erf(x/√2))/2, which cancels for negative x (30 ulps off at
// x = -3); -x/√2 and x² are carried to twice the float64 precision; for x < -36 an asymptotic
// series keeps the subnormal results exact. Near 0 (-0.5 < x < 0.7) y is x/2 + x/2·erf(x/√2),
// and for x >= 0.7 it is x - x·erfc(x/√2)/2, each summed with one rounding, so the small
// correction term's error stays below y's last place (GELU(1) = 0.8413447460685429, correctly
// rounded).
//
// Special cases are:
//
//	GELU(±0) = ±0, 0.5
//	GELU(+Inf) = +Inf, 1
//	GELU(-Inf) = -0, -0
//	GELU(NaN) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.GELU.html
func GELU(x float64) (y, dy float64) {
	switch {
	case x != x:
		return nan2(x)
	case x > 40: // Φ(x) = 1 - O(e^{-800}), x·φ(x) underflows
		return x, 1
	case x < -36:
		return geluTail(-x)
	}
	y, phiCDF := geluMid(x)
	h, hl := actTwoProd(x, x)
	pdf := exp(-h/2) * (invSqrt2PiHi*(1-hl/2) + invSqrt2PiLo)
	if d, ok := seriesEval(geluDerivSeries, x); ok { // Φ + xφ cancels near its zero x = -0.7518
		return y, d
	}
	return y, phiCDF + x*pdf
}

// geluMid returns GELU(x) and Φ(x) for -36 <= x <= 40.
func geluMid(x float64) (y, phiCDF float64) {
	z, zl := actTwoProd(-x, sqrtHalfHi) // -x/√2 = z + zl
	zl += -x * sqrtHalfLo
	switch {
	case x > -0.5 && x < 0.7:
		// y = x/2 + x/2·erf(x/√2): x/2 is exact and the erf term is at most a third of it, so
		// erf's error hardly reaches y's last place.
		ef := -(math.Erf(z) + twoOverSqrtPi*exp(-z*z)*zl) // erf(x/√2)
		h := x / 2
		t, tl := actTwoProd(h, ef)
		s, sl := actTwoSum(h, t)
		y = s + (sl + tl)
		phiCDF = 0.5 + 0.5*ef
	case x >= 0.7:
		// y = x - x·Φ(-x), Φ(-x) = erfc(x/√2)/2 < 0.25: erfc(-x/√2) lies in [1, 2], where its
		// last-place error is a whole ulp of Φ(x) (GELU(1) came out 0.841344746068543).
		e := 0.5 * (math.Erfc(-z) + twoOverSqrtPi*exp(-z*z)*zl) // Φ(-x)
		t, tl := actTwoProd(x, e)
		s, sl := actTwoSum(x, -t)
		y = s + (sl - tl)
		phiCDF = 1 - e
	default:
		phiCDF = 0.5 * (math.Erfc(z) - twoOverSqrtPi*exp(-z*z)*zl)
		y = x * phiCDF
	}
	return y, phiCDF
}

// geluValue is GELU's y alone (the density and the derivative not computed).
func geluValue(x float64) float64 {
	switch {
	case x != x:
		return x
	case x > 40:
		return x
	case x < -36:
		y, _ := geluTail(-x)
		return y
	}
	y, _ := geluMid(x)
	return y
}

// geluTail returns GELU(-a) and its derivative for a > 36 from Φ(-a) = φ(a)/a·S(1/a²), with the
// asymptotic series S(t) = 1 - t + 3t² - 15t³ + … (error below the first omitted term, 3e-21
// here). φ(a) = e^{-a²/4}·e^{-a²/4}/√(2π) is multiplied in last, so a subnormal result is
// rounded once.
func geluTail(a float64) (y, dy float64) {
	h, hl := actTwoProd(a, a)
	e := exp(-h / 4)
	if e == 0 { // |y| < 1e-320·1e-300
		return math.Copysign(0, -1), math.Copysign(0, -1)
	}
	t := 1 / h
	s := 1 - t*(1-3*t*(1-5*t*(1-7*t*(1-9*t*(1-11*t*(1-13*t*(1-15*t)))))))
	c := invSqrt2PiHi*(1-hl/2) + invSqrt2PiLo
	return -((c * s) * e) * e, ((c * (s/a - a)) * e) * e
}

// GELUTanh is F.gelu / nn.GELU with approximate='tanh'.
//
//	gelu(x) = x/2·(1 + tanh(u)) = x·σ(2u), u = √(2/π)·(x + 0.044715·x³)
//	gelu'(x) = σ(2u)·(1 + 2x·σ(-2u)·√(2/π)·(1 + 3·0.044715·x²))
//
// (the same as PyTorch's 0.5(1+t) + 0.5x(1-t²)√(2/π)(1+3κx²) with t = tanh u), written with σ so
// that nothing cancels for negative x; u is carried to twice the float64 precision, with the
// exact √(2/π) and 0.044715 (PyTorch's kBeta and kKappa are these rounded to float64).
//
// Special cases are:
//
//	GELUTanh(±0) = ±0, 0.5
//	GELUTanh(+Inf) = +Inf, 1
//	GELUTanh(-Inf) = -0, -0
//	GELUTanh(NaN) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.nn.GELU.html
func GELUTanh(x float64) (y, dy float64) {
	switch {
	case x != x:
		return nan2(x)
	case x > 30: // σ(2u) = 1 - O(e^{-1900})
		return x, 1
	case x < -30: // σ(2u) = O(e^{-1900}) underflows
		return math.Copysign(0, -1), math.Copysign(0, -1)
	}
	x2, x2l := actTwoProd(x, x)
	k, kl := actTwoProd(geluKappa, x2) // κx²
	kl += geluKappa*x2l + geluKappaLo*x2
	w, wl := actTwoSum(1, k) // 1 + κx²
	wl += kl
	v, vl := actTwoProd(x, w) // x + κx³
	vl += x * wl
	u, ul := actTwoProd(geluBeta, v)
	ul += geluBeta*vl + geluBetaLo*v
	z, zl := 2*u, 2*ul
	// inner = 2x·√(2/π)·(1 + 3κx²), with 1 + 3κx² and √(2/π) to twice the float64 precision
	k3, k3l := actTwoProd(3, k)
	k3l += 3 * kl
	w3, w3l := actTwoSum(1, k3)
	w3l += k3l
	inner := 2 * x * geluBeta * w3
	inner += inner * (geluBetaLo/geluBeta + w3l/w3)
	if z < -708 { // σ(z) = e^z, σ(-z) = 1: round the subnormal results once
		return actMulExp(x*(1+zl), z), actMulExp((1+zl)*(1+inner), z)
	}
	s, c := sigmoid(z), sigmoid(-z)
	sc := s * c * zl
	s, c = s+sc, c-sc
	if d, ok := seriesEval(geluTanhDerivSeries, x); ok { // the derivative's zero at x = -0.7525
		return x * s, d
	}
	return x * s, s * (1 + inner*c)
}

func init() {
	Register(&Func{
		ID: "gelu", Class: "GELU", Name: "GELU", Kind: Activation, Group: "Smooth ReLU",
		Params: []Param{{Name: "approximate", Type: Choice, Default: geluNone, Choices: []string{"none", "tanh"},
			Doc: "'none': the exact x·Φ(x); 'tanh': the tanh approximation"}},
		Formula: `\operatorname{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + \operatorname{erf}\frac{x}{\sqrt 2}\right); ` +
			`\quad \text{tanh: } \frac{x}{2}\left(1 + \tanh\left(\sqrt{2/\pi}\,\left(x + 0.044715\,x^3\right)\right)\right)`,
		Derivative: `\operatorname{GELU}'(x) = \Phi(x) + x\,\varphi(x), \quad \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}}; ` +
			`\quad \text{tanh: } \tfrac12(1 + t) + \tfrac12 x\,(1 - t^2)\sqrt{2/\pi}\,(1 + 3 \cdot 0.044715\,x^2),\ t = \tanh(\cdot)`,
		Source: "https://pytorch.org/docs/stable/generated/torch.nn.GELU.html",
		Differences: []string{"PyTorch's x/2·(1 + erf(x/√2)) cancels for negative x: it loses digits from x ≈ -3 " +
			"(30 ulps at -3) and returns -0 below about x = -8.3, where the true value is tiny but not 0 " +
			"(gelu(-10) = -7.6e-23); nnplay computes x·erfc(-x/√2)/2 and returns the true value",
			"approximate='tanh': PyTorch's 1 + tanh(u) cancels the same way (-0 below about x = -7.2); " +
				"nnplay uses the equal x·σ(2u) and returns the true value"},
		Validate: func(p Params) error {
			if a := p.Num[0]; a != geluNone && a != geluTanh {
				return Errorf("approximate", "approximate argument must be either none or tanh.")
			}
			return nil
		},
		Scalar: func(p Params, x float64) (float64, float64) {
			if p.Num[0] == geluTanh {
				return GELUTanh(x)
			}
			return GELU(x)
		},
		Value: func(p Params, x float64) float64 {
			if p.Num[0] == geluTanh {
				y, _ := GELUTanh(x)
				return y
			}
			return geluValue(x)
		},
		XRange: [2]float64{-4, 4},
	})
}
