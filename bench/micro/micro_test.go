// Package micro holds micro-benchmarks behind bench/FINDINGS.md: costs that differ between
// native Go and GOOS=js GOARCH=wasm (run both: go test -bench . ./bench/micro/ and the same with
// GOOS=js GOARCH=wasm -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec").
package micro

import (
	"math"
	"math/rand/v2"
	"testing"
)

// twoProdFMA is core's actTwoProd: hi + lo = a*b exactly, with one fused multiply-add.
func twoProdFMA(a, b float64) (hi, lo float64) {
	hi = a * b
	return hi, math.FMA(a, b, -hi)
}

// split is Veltkamp's splitting: a = h + l with h and l of at most 26 significant bits.
func split(a float64) (h, l float64) {
	const c = 1<<27 + 1
	t := c * a
	h = t - (t - a)
	return h, a - h
}

// twoProdDekker is Dekker's TwoProduct: the same hi and lo as twoProdFMA without an FMA
// (exact for |a|, |b| < 2^995 and a product that does not underflow).
func twoProdDekker(a, b float64) (hi, lo float64) {
	hi = a * b
	ah, al := split(a)
	bh, bl := split(b)
	lo = ((ah*bh - hi) + ah*bl + al*bh) + al*bl
	return hi, lo
}

func inputs() []float64 {
	r := rand.New(rand.NewPCG(1, 2))
	v := make([]float64, 1024)
	for i := range v {
		v[i] = (r.Float64()*2 - 1) * math.Exp2(float64(r.IntN(80)-40))
	}
	return v
}

func TestDekkerIsFMA(t *testing.T) {
	v := inputs()
	for i := range v {
		for j := range v {
			h1, l1 := twoProdFMA(v[i], v[j])
			h2, l2 := twoProdDekker(v[i], v[j])
			if h1 != h2 || l1 != l2 {
				t.Fatalf("%v * %v: FMA %v + %v, Dekker %v + %v", v[i], v[j], h1, l1, h2, l2)
			}
		}
	}
}

var sink float64

func BenchmarkTwoProdFMA(b *testing.B) {
	v := inputs()
	var s float64
	for b.Loop() {
		for i := 0; i+1 < len(v); i++ {
			_, lo := twoProdFMA(v[i], v[i+1])
			s += lo
		}
	}
	sink = s
}

func BenchmarkTwoProdDekker(b *testing.B) {
	v := inputs()
	var s float64
	for b.Loop() {
		for i := 0; i+1 < len(v); i++ {
			_, lo := twoProdDekker(v[i], v[i+1])
			s += lo
		}
	}
	sink = s
}

// The builtin min and max on float64 are runtime calls under wasm (NaN and signed-zero rules);
// a comparison is one instruction.
func BenchmarkBuiltinMax(b *testing.B) {
	v := inputs()
	var s float64
	for b.Loop() {
		for _, x := range v {
			s += max(1, math.Abs(x))
		}
	}
	sink = s
}

func BenchmarkCompareMax(b *testing.B) {
	v := inputs()
	var s float64
	for b.Loop() {
		for _, x := range v {
			a := math.Abs(x)
			if a < 1 {
				a = 1
			}
			s += a
		}
	}
	sink = s
}
