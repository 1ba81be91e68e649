package core

import (
	"math"
	"testing"
)

// FuzzActivations evaluates every registered activation and vector activation at arbitrary
// float64 inputs with arbitrary valid parameters (u1, u2 pick each parameter's value within its
// slider range): no panic, NaN only for a NaN input or where documented (actNaNAllowed), and the
// range properties (sigmoid in [0, 1], tanh in [-1, 1], softmax sums to 1, ...).
//
//	go test -run '^$' -fuzz FuzzActivations -fuzztime 20s ./core/
func FuzzActivations(f *testing.F) {
	f.Add(0.0, 1.0, -1.0, 2.0, 0.5, 0.5)
	f.Add(math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 0.0, 1.0)
	f.Add(math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 710.0, 0.99, 0.01)
	f.Add(-745.0, 1e300, -1e-300, 20.0, 0.25, 0.75)
	f.Add(-0.7517915246935645, -1.2784645427610738, -1.1924312145154952, 1e-8, 0.1, 0.9)
	f.Fuzz(func(t *testing.T, x, a, b, c, u1, u2 float64) {
		for _, fn := range All() {
			switch fn.Kind {
			case Activation:
				p, ok := actFuzzParams(fn, u1, u2)
				if !ok {
					continue
				}
				y, dy := fn.Scalar(p, x)
				if x != x {
					if y == y || dy == dy {
						t.Errorf("%s%v(NaN) = (%v, %v)", fn.ID, p.Num, y, dy)
					}
					continue
				}
				if y != y && !actNaNAllowed(fn.ID, x, false) || dy != dy && !actNaNAllowed(fn.ID, x, true) {
					t.Errorf("%s%v(%v) = (%v, %v): NaN", fn.ID, p.Num, x, y, dy)
				}
				actCheckRange(t, fn, p, x, y, dy)
			case VectorActivation:
				p := fn.Defaults()
				in := []float64{x, a, b, c}
				for n := 1; n <= len(in); n++ {
					m, err := fn.OutLen(n)
					if err != nil {
						continue
					}
					v := in[:n]
					y, g := make([]float64, m), make([]float64, n)
					fn.Vector(p, v, y, g)
					actCheckVector(t, fn, v, y, g)
				}
			}
		}
	})
}

// actFuzzParams maps u1, u2 to parameter values within each parameter's slider range (Choice: an
// index), and reports whether they pass Check.
func actFuzzParams(f *Func, u1, u2 float64) (Params, bool) {
	p := f.Defaults()
	us := []float64{u1, u2}
	for i, q := range f.Params {
		u := math.Abs(math.Mod(us[i%2], 1))
		if u != u {
			u = 0.5
		}
		switch q.Type {
		case Real:
			p.Num[i] = q.Min + u*(q.Max-q.Min)
		case Choice:
			p.Num[i] = math.Min(math.Floor(u*float64(len(q.Choices))), float64(len(q.Choices)-1))
		}
	}
	return p, f.Check(p) == nil
}

func actCheckRange(t *testing.T, f *Func, p Params, x, y, dy float64) {
	in := func(v, lo, hi float64) bool { return v >= lo && v <= hi }
	ok := true
	switch f.ID {
	case "sigmoid":
		ok = in(y, 0, 1) && in(dy, 0, 0.25)
	case "tanh":
		ok = in(y, -1, 1) && in(dy, 0, 1)
	case "softsign":
		ok = in(y, -1, 1) && in(dy, 0, 1)
	case "logsigmoid":
		ok = y <= 0 && in(dy, 0, 1)
	case "relu6":
		ok = in(y, 0, 6)
	case "hardsigmoid":
		ok = in(y, 0, 1)
	case "hardtanh":
		ok = in(y, p.Num[0], p.Num[1])
	case "sin":
		ok = math.IsInf(x, 0) || in(y, -1, 1) && in(dy, -p.Num[0], p.Num[0])
	case "softplus":
		ok = p.Num[0] < 0 || y >= 0
	case "silu", "gelu", "mish", "relu", "elu", "celu":
		ok = y >= math.Min(x, 0) || y >= -p.Num[0]-1 // bounded below; never above a linear growth
	}
	if !ok {
		t.Errorf("%s%v(%v) = (%v, %v): out of range", f.ID, p.Num, x, y, dy)
	}
}

func actCheckVector(t *testing.T, f *Func, x, y, g []float64) {
	hasNaN, hasInf := false, false
	for _, v := range x {
		hasNaN = hasNaN || v != v
		hasInf = hasInf || math.IsInf(v, 0)
	}
	for i, v := range append(append([]float64(nil), y...), g...) {
		if v != v && !hasNaN && !(f.ID == "glu" && hasInf) { // glu: ±inf·σ(-inf) has no limit
			t.Errorf("%s(%v): NaN at %d", f.ID, x, i)
		}
	}
	if hasNaN {
		return
	}
	switch f.ID {
	case "softmax", "softmin":
		sum := 0.0
		for _, v := range y {
			if !(v >= 0 && v <= 1) {
				t.Errorf("%s(%v) = %v: out of [0, 1]", f.ID, x, y)
			}
			sum += v
		}
		if math.Abs(sum-1) > float64(len(y))*0x1p-52 {
			t.Errorf("%s(%v) sums to %v", f.ID, x, sum)
		}
	case "log_softmax":
		for _, v := range y {
			if v > 0 {
				t.Errorf("log_softmax(%v) = %v: positive", x, y)
			}
		}
	}
}
