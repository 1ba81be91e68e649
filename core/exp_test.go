package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestExpIsMathExp: core's exp is math.Exp bit for bit (under GOOS=js GOARCH=wasm it is a copy of
// Go's portable exp with a cheaper scaling), over the whole domain, the boundaries of its fast
// path and the special values.
func TestExpIsMathExp(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 0x1p-28, -0x1p-28, 0x1p-29, 709.782712893384, 709.7827128933841,
		709.78, 709.0, -708.39, -708.4, -709, -744.44, -745.13321910194111, -745.1332191019412, -746,
		math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, -math.MaxFloat64, 5e-324}
	for k := -1080; k <= 1030; k++ { // around every scaling boundary
		x := float64(k) * math.Ln2
		xs = append(xs, x, math.Nextafter(x, 0), math.Nextafter(x, math.Inf(1)), x+0.3466, x-0.3466)
	}
	for range 300000 {
		xs = append(xs, (r.Float64()*2-1)*750, (r.Float64()*2-1)*40, math.Ldexp(r.Float64()-0.5, r.IntN(40)-36))
	}
	bad := 0
	for _, x := range xs {
		if got, want := exp(x), math.Exp(x); !sameBits(got, want) {
			if bad++; bad <= 5 {
				t.Errorf("exp(%v) = %v, math.Exp gives %v", x, got, want)
			}
		}
	}
}
