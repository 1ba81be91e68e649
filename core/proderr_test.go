package core

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// fmaRef returns x*y + z rounded once to nearest even (an exact zero is +0), through math/big.
func fmaRef(x, y, z float64) float64 {
	const prec = 4400 // holds the exact sum of any product and any float64
	p := new(big.Float).SetPrec(prec).Mul(big.NewFloat(x), big.NewFloat(y))
	p.Add(p, new(big.Float).SetPrec(prec).SetFloat64(z))
	v, _ := p.Float64()
	return v
}

// TestProdErrIsFMA: prodErr and divRem give the fused multiply-add's results bit for bit (math.FMA
// natively; under GOOS=js GOARCH=wasm they are Dekker's product), over random operands of every
// size, including the ranges where the wasm version falls back to math.FMA. The reference is
// math/big: Go's software math.FMA (the one wasm runs) returns -0 for some exact zeros, where
// the hardware instruction and the wasm divRem return +0.
func TestProdErrIsFMA(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	rnd := func(maxExp int) float64 {
		v := math.Ldexp(1+r.Float64(), r.IntN(2*maxExp+1)-maxExp)
		if r.IntN(2) == 0 {
			v = -v
		}
		return v
	}
	bad := 0
	for i := range 100000 {
		e := 60
		switch i % 4 {
		case 1:
			e = 600
		case 2:
			e = 1023
		}
		a, b := rnd(e), rnd(e)
		if i%97 == 0 {
			b = float64(r.IntN(1 << 20)) // small integers, as the class counts and k of ddExp
		}
		if p := a * b; p-p == 0 {
			if got, want := prodErr(a, b, p), fmaRef(a, b, -p); !sameBits(got, want) {
				if bad++; bad <= 5 {
					t.Errorf("prodErr(%v, %v) = %v, the exact product's error rounded is %v", a, b, got, want)
				}
			}
		}
		if b != 0 {
			if q := a / b; q-q == 0 {
				if got, want := divRem(a, b, q), fmaRef(-q, b, a); !sameBits(got, want) {
					if bad++; bad <= 5 {
						t.Errorf("divRem(%v, %v, %v) = %v, a - q*b rounded once is %v", a, b, q, got, want)
					}
				}
			}
		}
	}
}
