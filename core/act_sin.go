package core

import "math"

// Sine is the SIREN activation sin(w0·x) (Sitzmann et al., "Implicit Neural Representations with
// Periodic Activation Functions", NeurIPS 2020; torch.sin(w0 * x), class Sine in the official
// code, w0 = 30).
//
//	sine(x) = sin(w0·x)
//	sine'(x) = w0·cos(w0·x)
//
// w0·x is carried to twice the float64 precision (sin of the rounded product would be off by up
// to |w0·x|·2⁻⁵³ absolute), and a product beyond the float64 range is reduced by halving.
//
// Special cases are:
//
//	Sine(±0, w0) = ±0, w0
//	Sine(±Inf, w0) = NaN, NaN (sin has no limit at infinity); 0, 0 for w0 = 0
//	Sine(NaN, w0) = NaN, NaN
//
// Source: https://github.com/vsitzmann/siren (modules.py, class Sine)
func Sine(x, w0 float64) (y, dy float64) {
	if math.IsInf(x, 0) && w0 == 0 {
		return 0, 0
	}
	k := 0
	hi, lo := actTwoProd(w0, x)
	for math.IsInf(hi, 0) && !math.IsInf(x, 0) && !math.IsInf(w0, 0) {
		x /= 2 // exact: x is far from the subnormals here
		k++
		hi, lo = actTwoProd(w0, x)
	}
	s, c := math.Sincos(hi)
	if lo != 0 {
		sl, cl := math.Sincos(lo)
		s, c = s*cl+c*sl, c*cl-s*sl
	}
	for ; k > 0; k-- { // sin 2θ = 2 sin θ cos θ, cos 2θ = (c - s)(c + s)
		s, c = 2*s*c, (c-s)*(c+s)
	}
	return s, w0 * c
}

func init() {
	Register(&Func{
		ID: "sin", Class: "Sine", Name: "Sine (SIREN)", Kind: Activation, Group: "Periodic",
		Params: []Param{{Name: "w0", Type: Real, Default: 30, Min: 0.5, Max: 60, Step: 0.5,
			Doc: "the frequency factor ω₀ (30 in the SIREN paper)"}},
		Formula:    `\operatorname{Sine}(x) = \sin(\omega_0 x)`,
		Derivative: `\operatorname{Sine}'(x) = \omega_0 \cos(\omega_0 x)`,
		Source:     "https://github.com/vsitzmann/siren",
		Differences: []string{"not a torch.nn module: the SIREN code computes torch.sin(w0 * x); " +
			"nnplay uses the exact product w0·x, where float64 rounding of w0·x shifts the phase for large |x|"},
		Scalar: func(p Params, x float64) (float64, float64) { return Sine(x, p.Num[0]) },
		XRange: [2]float64{-0.25, 0.25},
	})
}
