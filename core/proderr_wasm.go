//go:build wasm

package core

import "math"

// prodErr returns a*b - p exactly for p = fl(a*b), by Dekker's TwoProduct: WebAssembly has no
// fused multiply-add and math.FMA is a software routine there (about 8x slower than this). The
// result is the same as proderr_other.go's math.FMA(a, b, -p) bit for bit when |a|, |b| < 2^995
// (the splitting does not overflow) and |p| >= 2^-969 (no partial product underflows); outside
// that range it calls math.FMA.
func prodErr(a, b, p float64) float64 {
	const big = 0x1p995
	if !(math.Abs(a) < big && math.Abs(b) < big) || math.Abs(p) < 0x1p-969 {
		return math.FMA(a, b, -p)
	}
	const c = 1<<27 + 1
	t := c * a
	ah := t - (t - a)
	al := a - ah
	t = c * b
	bh := t - (t - b)
	bl := b - bh
	return ((ah*bh - p) + ah*bl + al*bh) + al*bl
}

// divRem returns a - q*b rounded once, for q = fl(a/b): a - fl(q*b) is exact (Sterbenz: fl(q*b)
// is within a factor of 2 of a), so subtracting the product's error is the single rounding.
// math.FMA where fl(q*b) is not finite or below 2^-969: there the exact remainder may be
// nonzero but round to a signed zero that the subtraction would not give.
func divRem(a, b, q float64) float64 {
	qb := q * b
	if m := math.Abs(qb); !(m >= 0x1p-969 && m <= math.MaxFloat64) {
		return math.FMA(-q, b, a)
	}
	return (a - qb) - prodErr(q, b, qb)
}
