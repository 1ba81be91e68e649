package core

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// sameBits reports whether a and b are the same float64 (bit for bit, so 0 and -0 differ), or
// both NaN.
func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (a != a && b != b)
}

// valueGrid returns n evenly spaced points over [lo, hi] plus special values.
func valueGrid(lo, hi float64, n int) []float64 {
	v := make([]float64, 0, n+16)
	for i := range n {
		v = append(v, lo+(hi-lo)*float64(i)/float64(n-1))
	}
	return append(v, 0, math.Copysign(0, -1), 1e-300, -1e-300, 0.5, -0.5, 1-0x1p-53, 1+0x1p-52,
		40, -40, 800, -800, math.MaxFloat64, -math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN())
}

// TestViewValueMatchesEval: Curve.Value, Surface.Value and Surface.Row give, bit for bit, the loss
// that Eval gives (the views use them for the heatmap and the central difference, the page's
// point readout uses Eval), for every loss, every parameter set of its view case and every
// reduction, on a grid over the view's axes with special values added. A surface marked IgnoresT
// gives the same three results for every target.
func TestViewValueMatchesEval(t *testing.T) {
	cases := map[string]viewCase{}
	for _, vc := range viewCases {
		cases[vc.id] = vc
	}
	withValue := 0
	for _, f := range All() {
		if f.Kind != Loss || strings.HasPrefix(f.ID, "zz_") {
			continue
		}
		vc := cases[f.ID]
		cv, sf := f.Curve, f.Surface
		if cv.Value != nil || sf.Value != nil || sf.Row != nil {
			withValue++
		}
		ts := append(slices.Clone(vc.ts), cv.TDefault, cv.T.Min, cv.T.Max)
		for _, set := range append([][]any{{}}, vc.params...) {
			for _, red := range reductionsOf(f) {
				p := lossParams(t, f, append(slices.Clone(set), "reduction", red)...)
				xs := valueGrid(sf.X.Min, sf.X.Max, 41)
				ys := valueGrid(sf.Y.Min, sf.Y.Max, 41)
				z := make([]float64, len(xs))
				bad := 0
				for _, tt := range ts {
					if cv.Value != nil {
						for _, x := range valueGrid(cv.X.Min, cv.X.Max, 257) {
							if l, _ := cv.Eval(p, tt, x); !sameBits(cv.Value(p, tt, x), l) {
								if bad++; bad <= 3 {
									t.Errorf("%s %v %s: Curve.Value(t=%v, x=%v) = %v, Eval's loss %v",
										f.ID, set, red, tt, x, cv.Value(p, tt, x), l)
								}
							}
						}
					}
					for _, y := range ys {
						if sf.Row != nil {
							sf.Row(p, tt, xs, y, z)
						}
						for i, x := range xs {
							l, dx, dy := sf.Eval(p, tt, x, y)
							if sf.Value != nil && !sameBits(sf.Value(p, tt, x, y), l) {
								if bad++; bad <= 3 {
									t.Errorf("%s %v %s: Surface.Value(t=%v, %v, %v) = %v, Eval's loss %v",
										f.ID, set, red, tt, x, y, sf.Value(p, tt, x, y), l)
								}
							}
							if sf.Row != nil && !sameBits(z[i], l) {
								if bad++; bad <= 3 {
									t.Errorf("%s %v %s: Surface.Row(t=%v, y=%v) at x=%v: %v, Eval's loss %v",
										f.ID, set, red, tt, y, x, z[i], l)
								}
							}
							if sf.IgnoresT {
								l0, dx0, dy0 := sf.Eval(p, ts[0], x, y)
								if !sameBits(l, l0) || !sameBits(dx, dx0) || !sameBits(dy, dy0) {
									if bad++; bad <= 3 {
										t.Errorf("%s %v %s: IgnoresT, but Eval(t=%v, %v, %v) = %v, %v, %v and with t=%v %v, %v, %v",
											f.ID, set, red, tt, x, y, l, dx, dy, ts[0], l0, dx0, dy0)
									}
								}
							}
						}
					}
				}
			}
		}
	}
	if withValue == 0 {
		t.Error("no loss sets Curve.Value, Surface.Value or Surface.Row")
	}
}

// TestViewValueNoAlloc: Value and Row run per frame and must not allocate.
func TestViewValueNoAlloc(t *testing.T) {
	xs, z := valueGrid(-3, 3, 32), make([]float64, 32+17)
	for _, f := range All() {
		if f.Kind != Loss {
			continue
		}
		p, cv, sf := f.Defaults(), f.Curve, f.Surface
		var sink float64
		if cv.Value != nil {
			if n := testing.AllocsPerRun(20, func() { sink += cv.Value(p, cv.TDefault, 0.3) }); n != 0 {
				t.Errorf("%s: Curve.Value allocates (%v)", f.ID, n)
			}
		}
		if sf.Value != nil {
			if n := testing.AllocsPerRun(20, func() { sink += sf.Value(p, cv.TDefault, sf.Point[0], sf.Point[1]) }); n != 0 {
				t.Errorf("%s: Surface.Value allocates (%v)", f.ID, n)
			}
		}
		if sf.Row != nil {
			if n := testing.AllocsPerRun(20, func() { sf.Row(p, cv.TDefault, xs, 0.25, z) }); n != 0 {
				t.Errorf("%s: Surface.Row allocates (%v)", f.ID, n)
			}
		}
		_ = sink
	}
}
