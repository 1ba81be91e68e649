package core

import "math"

// Helpers shared by the activation files (act_*.go): exact products and sums (double-double
// arithmetic), so that an argument such as x·beta or x/√2 is known to twice the precision of a
// float64 before it goes into exp, erfc or sin, where its rounding error would otherwise be
// amplified by the size of the argument (exp(-700·(1+2⁻⁵³)) is 350 ulps from exp(-700)).

// actTwoProd returns hi = fl(a·b) and lo with a·b = hi + lo exactly (prodErr: one fused
// multiply-add, Dekker's product under wasm),
// as long as the product neither overflows nor underflows. lo is 0 when hi is not finite.
func actTwoProd(a, b float64) (hi, lo float64) {
	hi = a * b
	if hi-hi != 0 { // ±Inf or NaN
		return hi, 0
	}
	return hi, prodErr(a, b, hi)
}

// actTwoSum returns s = fl(a+b) and e with a + b = s + e exactly (Knuth's TwoSum). e is 0 when
// s is not finite.
func actTwoSum(a, b float64) (s, e float64) {
	s = a + b
	if s-s != 0 {
		return s, 0
	}
	bb := s - a
	return s, (a - (s - bb)) + (b - bb)
}

// actMulExp returns a·exp(x) rounded once, also where the result is subnormal: exp(x) alone
// would be rounded to a subnormal first (few significant bits) and the product would then carry
// that error, up to |a| subnormal ulps.
func actMulExp(a, x float64) float64 {
	if x < -708 {
		h := exp(x / 2) // x/2 is exact here
		return (a * h) * h
	}
	return a * exp(x)
}

// actMulSigmoid returns a·σ(x), rounded once where the result is subnormal (see actMulExp).
func actMulSigmoid(a, x float64) float64 {
	if x < -708 { // 1 + exp(x) == 1
		return actMulExp(a, x)
	}
	return a * sigmoid(x)
}

// actMul0 returns a·b, except that 0·±Inf is a signed 0 rather than NaN: used where the factor
// that is exactly 0 makes the whole term 0 for every finite value of the other (the limit).
func actMul0(a, b float64) float64 {
	p := a * b
	if p != p && a == a && b == b {
		return math.Copysign(0, a) * math.Copysign(1, b)
	}
	return p
}

// nan2 is the (NaN, NaN) result of an activation for a NaN input.
func nan2(x float64) (float64, float64) { return x, x }
