package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestActivationValueMatchesScalar: Func.Value gives, bit for bit, the y that Scalar gives (the
// plot's central difference uses it), for every activation that sets it, with the default
// parameters and random in-range ones, on a grid over its x range, a wide grid and special values.
func TestActivationValueMatchesScalar(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	n := 0
	for _, f := range All() {
		if f.Kind != Activation || f.Value == nil {
			continue
		}
		n++
		sets := []Params{f.Defaults()}
		for range 8 {
			p := f.Defaults()
			for i, q := range f.Params {
				switch q.Type {
				case Real:
					p.Num[i] = q.Min + (q.Max-q.Min)*r.Float64()
				case Choice:
					p.Num[i] = float64(r.IntN(len(q.Choices)))
				case Bool:
					p.Num[i] = float64(r.IntN(2))
				}
			}
			if f.Check(p) == nil {
				sets = append(sets, p)
			}
		}
		xs := append(valueGrid(f.XRange[0], f.XRange[1], 2001), valueGrid(-1000, 1000, 2001)...)
		for range 2000 {
			xs = append(xs, math.Ldexp(r.Float64()-0.5, r.IntN(24)-12))
		}
		bad := 0
		for _, p := range sets {
			for _, x := range xs {
				y, _ := f.Scalar(p, x)
				if v := f.Value(p, x); !sameBits(v, y) {
					if bad++; bad <= 3 {
						t.Errorf("%s %v: Value(%v) = %v, Scalar's y %v", f.ID, p.Num, x, v, y)
					}
				}
			}
		}
		p, sink := f.Defaults(), 0.0
		if a := testing.AllocsPerRun(10, func() { sink += f.Value(p, 0.3) }); a != 0 {
			t.Errorf("%s: Value allocates (%v)", f.ID, a)
		}
	}
	if n == 0 {
		t.Error("no activation sets Value")
	}
}
