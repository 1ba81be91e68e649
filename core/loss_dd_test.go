package core

// The double-double helpers against math/big at 400 bits.

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// bigExp returns exp(x) to about 400 bits: a Taylor series at x/2^20, squared 20 times.
func bigExp(x float64) *big.Float {
	const prec = 400
	s := new(big.Float).SetPrec(prec).SetFloat64(x)
	s.SetMantExp(s, -20)
	sum := new(big.Float).SetPrec(prec).SetFloat64(1)
	term := new(big.Float).SetPrec(prec).SetFloat64(1)
	for n := int64(1); n < 40; n++ {
		term.Mul(term, s)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(n))
		sum.Add(sum, term)
	}
	for range 20 {
		sum.Mul(sum, sum)
	}
	return sum
}

// relErrDD returns |(h + l) - want| / want.
func relErrDD(h, l float64, want *big.Float) float64 {
	got := new(big.Float).SetPrec(400).SetFloat64(h)
	got.Add(got, new(big.Float).SetPrec(400).SetFloat64(l))
	d := new(big.Float).SetPrec(400).Sub(got, want)
	d.Quo(d, want)
	r, _ := d.Float64()
	return math.Abs(r)
}

// ddExp keeps about 80 bits (the Taylor coefficients are float64) down to where exp(x) leaves
// the normal range: far more than the cancellations in cross_entropy's gradient need.
func TestDDExp(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	xs := []float64{0, -1e-300, -1e-20, -1e-8, -0.1, -0.5, -math.Ln2, -1, -2.5, -10, -37.3, -100, -600}
	for range 50 {
		xs = append(xs, -r.Float64()*40)
	}
	for _, x := range xs {
		h, l := ddExp(x, 0)
		if e := relErrDD(h, l, bigExp(x)); e > 1e-24 {
			t.Errorf("ddExp(%v): relative error %g", x, e)
		}
	}
	// the low part of the argument counts: exp(-1 + 1e-20) = exp(-1)(1 + 1e-20)
	h, l := ddExp(-1, 1e-20)
	f := new(big.Float).SetPrec(400).SetFloat64(1)
	f.Add(f, new(big.Float).SetPrec(400).SetFloat64(1e-20)) // exp(1e-20) to 1e-40
	want := new(big.Float).SetPrec(400).Mul(bigExp(-1), f)
	if e := relErrDD(h, l, want); e > 1e-24 {
		t.Errorf("ddExp(-1 + 1e-20): relative error %g", e)
	}
	if h, _ := ddExp(-800, 0); h != 0 {
		t.Errorf("ddExp(-800) = %v, want 0", h)
	}
	if h, _ := ddExp(math.NaN(), 0); !math.IsNaN(h) {
		t.Errorf("ddExp(NaN) = %v", h)
	}
}

// ddMul, ddDiv and ddAdd keep about 100 bits.
func TestDDArith(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	bf := func(h, l float64) *big.Float {
		v := new(big.Float).SetPrec(400).SetFloat64(h)
		return v.Add(v, new(big.Float).SetPrec(400).SetFloat64(l))
	}
	for range 200 {
		ah := r.NormFloat64()
		al := ah * 0x1p-60 * r.NormFloat64()
		bh := r.NormFloat64() + 3
		bl := bh * 0x1p-60 * r.NormFloat64()
		a, b := bf(ah, al), bf(bh, bl)
		h, l := ddMul(ah, al, bh, bl)
		if e := relErrDD(h, l, new(big.Float).SetPrec(400).Mul(a, b)); e > 1e-30 {
			t.Errorf("ddMul: %g", e)
		}
		h, l = ddDiv(ah, al, bh, bl)
		if e := relErrDD(h, l, new(big.Float).SetPrec(400).Quo(a, b)); e > 1e-30 {
			t.Errorf("ddDiv: %g", e)
		}
		h, l = ddAdd(ah, al, bh, bl)
		if e := relErrDD(h, l, new(big.Float).SetPrec(400).Add(a, b)); e > 1e-28 {
			t.Errorf("ddAdd: %g", e)
		}
	}
}
