package core

import "math"

// Double-double helpers: a value is carried as an unevaluated sum hi + lo of two float64s (about
// 106 bits). The losses use them only where a result is a small difference of larger terms that
// float64 would round first: the triplet hinge, and cross_entropy's gradient with label smoothing
// or probability targets.

// ddAdd returns (ah + al) + (bh + bl).
func ddAdd(ah, al, bh, bl float64) (float64, float64) {
	s, e := twoSum(ah, bh)
	return twoSum(s, e+al+bl)
}

// ddMul returns (ah + al)(bh + bl).
func ddMul(ah, al, bh, bl float64) (float64, float64) {
	ph := ah * bh
	pl := prodErr(ah, bh, ph) + (ah*bl + al*bh)
	return twoSum(ph, pl)
}

// ddDiv returns (ah + al) / (bh + bl).
func ddDiv(ah, al, bh, bl float64) (float64, float64) {
	q := ah / bh
	// remainder (ah + al) - q (bh + bl), with ah - q*bh rounded once (divRem)
	r := (divRem(ah, bh, q) + al) - q*bl
	return twoSum(q, r/bh)
}

// ddExp returns exp(h + l) for h <= 0 (the shifted logits of a softmax) as a double-double:
// exp = 2^k exp(r), r = h + l - k log 2 reduced exactly, exp(r) from a Taylor series on r/1024
// squared up ten times in the expm1 form.
func ddExp(h, l float64) (float64, float64) {
	switch {
	case h != h:
		return h, 0
	case h < -746:
		return 0, 0
	}
	const ln2h, ln2l = 0.6931471805599453, 2.3190468138462996e-17
	k := math.Round(h / ln2h)
	ph := k * ln2h
	pl := prodErr(k, ln2h, ph)
	rh, re := twoSum(h, -ph)
	rh, rl := twoSum(rh, re-pl-k*ln2l+l)
	sh, sl := math.Ldexp(rh, -10), math.Ldexp(rl, -10)
	// expm1(s) = s + s^2/2 + ... + s^8/8!, |s| < 4e-4
	eh, el := 1.0/40320, 0.0
	for _, c := range [...]float64{1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1} {
		eh, el = ddMul(eh, el, sh, sl)
		eh, el = ddAdd(eh, el, c, 0)
	}
	eh, el = ddMul(eh, el, sh, sl)
	for range 10 { // expm1(2s) = expm1(s) (2 + expm1(s))
		th, tl := ddAdd(eh, el, 2, 0)
		eh, el = ddMul(eh, el, th, tl)
	}
	eh, el = ddAdd(eh, el, 1, 0)
	return math.Ldexp(eh, int(k)), math.Ldexp(el, int(k))
}
