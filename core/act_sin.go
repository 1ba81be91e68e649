package core

import (
	"math"
	"math/bits"
)

// Sine is the SIREN activation sin(w0·x) (Sitzmann et al., "Implicit Neural Representations with
// Periodic Activation Functions", NeurIPS 2020; torch.sin(w0 * x), class Sine in the official
// code, w0 = 30).
//
//	sine(x) = sin(w0·x)
//	sine'(x) = w0·cos(w0·x)
//
// The argument is the exact product w0·x, reduced modulo π/2 with 2/π to 2880 bits
// (Payne–Hanek), so the result is within an ulp or two of the true value for every finite w0
// and x, also where w0·x is not representable (sin of the rounded product would be off by up to
// |w0·x|·2⁻⁵³; math.Sin(math.Pi) itself is 7 ulps off).
//
// Special cases are:
//
//	Sine(±0, w0) = ±0, w0 (sign of w0·x)
//	Sine(±Inf, w0) = NaN, NaN (sin has no limit at infinity); 0, 0 for w0 = 0
//	Sine(NaN, w0) = NaN, NaN
//
// Source: https://pytorch.org/docs/stable/generated/torch.sin.html and
// https://github.com/vsitzmann/siren (modules.py, class Sine)
func Sine(x, w0 float64) (y, dy float64) {
	switch {
	case x != x || w0 != w0:
		return math.NaN(), math.NaN()
	case math.IsInf(x, 0) || math.IsInf(w0, 0):
		if x == 0 || w0 == 0 {
			return 0, 0
		}
		return math.NaN(), math.NaN()
	case x == 0 || w0 == 0:
		return w0 * x, w0
	}
	s, c := sinCosProduct(w0, x)
	return s, w0 * c
}

// sinCosProduct returns sin(a·b) and cos(a·b) for the exact product of finite, nonzero a and b.
func sinCosProduct(a, b float64) (s, c float64) {
	neg := (a < 0) != (b < 0)
	a, b = math.Abs(a), math.Abs(b)
	var q uint64
	rh, rl := actTwoProd(a, b)
	if !(rh <= math.Pi/4) { // reduce: a·b = q·π/2 + r, |r| <= π/4
		q, rh, rl = reducePiOver2(a, b)
	}
	sh, ch := math.Sincos(rh)
	s, c = sh+ch*rl, ch-sh*rl
	switch q & 3 {
	case 1:
		s, c = c, -s
	case 2:
		s, c = -s, -c
	case 3:
		s, c = -c, s
	}
	if neg {
		s = -s
	}
	return s, c
}

// reducePiOver2 returns q and r = rh + rl with a·b = q·π/2 + r, |r| <= π/4 (to about 2⁻¹⁰⁰
// relative to r), for positive finite a, b with a·b >= π/4: the exact 106-bit product of the
// mantissas is multiplied by a 256-bit window of the bits of 4/π (Payne–Hanek).
func reducePiOver2(a, b float64) (q uint64, rh, rl float64) {
	fa, ea := math.Frexp(a)
	fb, eb := math.Frexp(b)
	mh, ml := bits.Mul64(uint64(fa*(1<<53)), uint64(fb*(1<<53))) // a·b = m·2^e
	e := ea + eb - 106
	// a·b·4/π mod 8 only needs the bits of 4/π from weight 2^-(e-2) on.
	k0 := e - 2
	if k0 < 0 {
		k0 = 0
	}
	var w [4]uint64 // bits k0 .. k0+255 of 4/π (bit k has weight 2^-k)
	i0, t0 := (k0+63)/64, uint((k0+63)%64)
	for j := range w {
		w[j] = mPi4Long[i0+j] << t0
		if t0 != 0 {
			w[j] |= mPi4Long[i0+j+1] >> (64 - t0)
		}
	}
	// p = m·W, little-endian words.
	var p [7]uint64
	for j := 0; j < 4; j++ {
		wj := w[3-j]
		h1, l1 := bits.Mul64(ml, wj)
		h2, l2 := bits.Mul64(mh, wj)
		var cy uint64
		p[j], cy = bits.Add64(p[j], l1, 0)
		p[j+1], cy = bits.Add64(p[j+1], h1, cy)
		p[j+2], cy = bits.Add64(p[j+2], 0, cy)
		p[j+3], _ = bits.Add64(p[j+3], 0, cy)
		p[j+1], cy = bits.Add64(p[j+1], l2, 0)
		p[j+2], cy = bits.Add64(p[j+2], h2, cy)
		p[j+3], _ = bits.Add64(p[j+3], 0, cy)
	}
	// a·b·4/π = p·2^-sh (mod 8): octant in bits sh..sh+2, fraction below.
	sh := k0 + 255 - e
	oct := wordAt(&p, sh) & 7
	fh, fl := wordAt(&p, sh-64), wordAt(&p, sh-128)
	// The fraction f = (fh·2^64 + fl)/2^128 as three exact float64 chunks.
	x1 := float64(fh>>11) * 0x1p-53
	x2 := float64((fh&0x7ff)<<42|fl>>22) * 0x1p-106
	x3 := float64(fl&(1<<22-1)) * 0x1p-128
	f, fe := actTwoSum(x1, x2)
	fe += x3
	if oct&1 == 1 { // round to the even octant above: f - 1
		oct++
		var d float64
		f, d = actTwoSum(f, -1)
		fe += d
	}
	f, fe = actTwoSum(f, fe)
	rh, rl = actTwoProd(f, pi4Hi)
	rl += f*pi4Lo + fe*pi4Hi
	return (oct >> 1) & 3, rh, rl
}

// wordAt returns the 64 bits of p starting at bit b (b >= 0).
func wordAt(p *[7]uint64, b int) uint64 {
	i, o := b/64, uint(b%64)
	var v uint64
	if i < len(p) {
		v = p[i] >> o
	}
	if o != 0 && i+1 < len(p) {
		v |= p[i+1] << (64 - o)
	}
	return v
}

const (
	pi4Hi = 0.7853981633974483 // π/4 = pi4Hi + pi4Lo
	pi4Lo = 3.061616997868383e-17
)

// mPi4Long holds the bits of 4/π: 4/π = Σ mPi4Long[i]·2^(-64i) (the first 20 words are those
// of Go's math package, trig_reduce.go; the rest were computed with mpmath at 3840 bits).
var mPi4Long = [...]uint64{
	0x0000000000000001, 0x45f306dc9c882a53, 0xf84eafa3ea69bb81,
	0xb6c52b3278872083, 0xfca2c757bd778ac3, 0x6e48dc74849ba5c0,
	0x0c925dd413a32439, 0xfc3bd63962534e7d, 0xd1046bea5d768909,
	0xd338e04d68befc82, 0x7323ac7306a673e9, 0x3908bf177bf25076,
	0x3ff12fffbc0b301f, 0xde5e2316b414da3e, 0xda6cfd9e4f96136e,
	0x9e8c7ecd3cbfd45a, 0xea4f758fd7cbe2f6, 0x7a0e73ef14a525d4,
	0xd7f6bf623f1aba10, 0xac06608df8f6d757, 0xe19f784135e86c3b,
	0x53c722c2bdcc3610, 0xcb330abe2940d081, 0x1bffb1009ae64e62,
	0x0c0c2aad94e75192, 0xc1c4f78118d68f88, 0x3386cf9bb9d01255,
	0x06b388ed172c394d, 0xbb5e89a2ae320a7d, 0x4bfe0e0a7efc67d0,
	0x6585bc9f3064fb77, 0x867a4dded63cbdf1, 0x3e743e6b95e4fe3b,
	0x0fe24320f8f848d5, 0xf4ddaaee5a608676, 0x2b8c296b3a338785,
	0x895a829a58ba0018, 0x8cfb0c5ae3c7358d, 0x3600c466f9a5692f,
	0x4f69aaaa6fec7dae, 0x302147f8ec9a553a, 0xc957aee1f0f8c6af,
	0x60f5ce2a2eac9381, 0xb3ac7671094f9646, 0x48ef15ac46a8b572,
}

func init() {
	Register(&Func{
		ID: "sin", Class: "Sine", Name: "Sine (SIREN)", Kind: Activation, Group: "Periodic",
		Torch: "torch.sin (SIREN)",
		Code:  []string{`torch.sin({w0} * x)`},
		Params: []Param{{Name: "w0", Type: Real, Default: 30, Min: 0.5, Max: 60, Step: 0.5,
			Doc: "the frequency factor ω₀ (30 in the SIREN paper)"}},
		Formula:    `\operatorname{Sine}(x) = \sin(\omega_0 x)`,
		Derivative: `\operatorname{Sine}'(x) = \omega_0 \cos(\omega_0 x)`,
		Source:     "https://pytorch.org/docs/stable/generated/torch.sin.html",
		Differences: []string{"not a torch.nn module: the SIREN code computes torch.sin(w0 * x); " +
			"nnplay uses the exact product w0·x, where float64 rounding of w0·x shifts the phase for large |x|"},
		Scalar: func(p Params, x float64) (float64, float64) { return Sine(x, p.Num[0]) },
		XRange: [2]float64{-0.25, 0.25},
	})
}
