package view_test

import (
	"math"
	"math/rand/v2"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// Test functions registered only in this package's test binary, so that every parameter type,
// every view kind and a parameter combination that F.Check rejects are covered whatever the
// other engineers have registered so far. Their ids start with "zz_test_" so they can never
// collide with a torch.nn.functional name.
var (
	testAct  *core.Func
	testVec  *core.Func
	testLoss *core.Func
)

func init() {
	testAct = &core.Func{
		ID: "zz_test_act", Class: "ZZTestAct", Name: "test activation", Kind: core.Activation,
		Params: []core.Param{
			{Name: "a", Type: core.Real, Default: 1, Min: 0, Max: 10, Step: 0.1},
			{Name: "n", Type: core.Int, Default: -100, Min: -100, Max: 9, Step: 1},
			{Name: "flag", Type: core.Bool, Default: 0, Min: 0, Max: 1, Step: 1},
			{Name: "mode", Type: core.Choice, Default: 0, Choices: []string{"none", "tanh"}},
			{Name: "w", Type: core.Vector, MinLen: 2, MaxLen: 4, Min: 0, Max: 10, Step: 0.1},
		},
		// Validate rejects a = 0 (as celu does alpha = 0), mode = tanh with flag = true, and
		// a = 10 with n = 9 (an error that names no parameter).
		Validate: func(p core.Params) error {
			if p.Num[0] == 0 {
				return core.Errorf("a", "a cannot be 0 for ZZTestAct")
			}
			if p.Num[2] == 1 && p.Num[3] == 1 {
				return core.Errorf("mode", "mode 'tanh' needs flag=False")
			}
			if p.Num[0] == 10 && p.Num[1] == 9 {
				return core.Errorf("", "a=10 and n=9 together are not supported")
			}
			return nil
		},
		// y = a*sin(x) + mode*x: smooth everywhere.
		Scalar: func(p core.Params, x float64) (float64, float64) {
			s, c := math.Sincos(x)
			return p.Num[0]*s + p.Num[3]*x, p.Num[0]*c + p.Num[3]
		},
		XRange: [2]float64{-3, 3},
	}
	core.Register(testAct)

	testVec = &core.Func{
		ID: "zz_test_vec", Class: "ZZTestVec", Name: "test vector activation", Kind: core.VectorActivation,
		Params: []core.Param{{Name: "scale", Type: core.Real, Default: 1, Min: -2, Max: 2, Step: 0.1}},
		// Pairs: y_i = x_{2i} * x_{2i+1} * scale (glu-like: needs an even length).
		Vector: func(p core.Params, x, y, grad []float64) {
			h := len(x) / 2
			for i := range h {
				y[i] = p.Num[0] * x[i] * x[i+h]
				grad[i] = p.Num[0] * x[i+h]
				grad[i+h] = p.Num[0] * x[i]
			}
		},
		// Row k of the Jacobian: y_k depends on x_k and x_{k+h} only.
		JacobianRow: func(p core.Params, x []float64, k int, y, row []float64) {
			h := len(x) / 2
			for i := range h {
				y[i] = p.Num[0] * x[i] * x[i+h]
			}
			for j := range row {
				row[j] = 0
			}
			row[k] = p.Num[0] * x[k+h]
			row[k+h] = p.Num[0] * x[k]
		},
		OutLen: func(n int) (int, error) {
			if n%2 != 0 {
				return 0, core.Errorf("", "halving dimension must be even, but dimension 0 is size ", n)
			}
			return n / 2, nil
		},
		DefaultInput: []float64{1, -2, 0.5, 3},
	}
	core.Register(testVec)

	testLoss = &core.Func{
		ID: "zz_test_loss", Class: "ZZTestLoss", Name: "test loss", Kind: core.Loss,
		Params: []core.Param{core.ReductionParam(), {Name: "k", Type: core.Real, Default: 1, Min: 0.5, Max: 3, Step: 0.5}},
		Loss: func(core.Params, map[string]core.Tensor) (core.LossResult, error) {
			return core.LossResult{}, nil
		},
		// Loss k*(x - t)^2 over a class-index target t in 0..3.
		Curve: &core.Curve{
			X: core.Axis{Min: -2, Max: 5}, T: core.Axis{Min: 0, Max: 3}, TStep: 1, TDefault: 1,
			Eval: func(p core.Params, t, x float64) (float64, float64) {
				d := x - t
				return p.Num[1] * d * d, 2 * p.Num[1] * d
			},
		},
		// Surface k*(x^2 + 3 y^2) + t: not symmetric in x and y, so orientation mistakes show.
		Surface: &core.Surface{
			X: core.Axis{Min: -1, Max: 2}, Y: core.Axis{Min: -3, Max: 1}, Point: [2]float64{0.5, -1},
			Eval: func(p core.Params, t, x, y float64) (float64, float64, float64) {
				k := p.Num[1]
				return k*(x*x+3*y*y) + t, 2 * k * x, 6 * k * y
			},
		},
	}
	core.Register(testLoss)
}

// randomState returns a valid state of f with random in-range values (parameter combinations
// that F.Check rejects are drawn again; after 50 tries the parameters stay at their defaults).
func randomState(r *rand.Rand, f *core.Func) view.State {
	s := view.Default(f)
	for range 50 {
		p := f.Defaults()
		for i, q := range f.Params {
			switch q.Type {
			case core.Real:
				p.Num[i] = pick(r, q.Min, q.Max)
			case core.Int:
				lo, hi := math.Ceil(q.Min), math.Floor(q.Max)
				p.Num[i] = lo + float64(r.IntN(int(hi-lo)+1))
			case core.Bool:
				p.Num[i] = float64(r.IntN(2))
			case core.Choice:
				p.Num[i] = float64(r.IntN(len(q.Choices)))
			case core.Vector:
				if r.IntN(4) == 0 {
					p.Vec[i] = nil
					continue
				}
				lo, hi := max(q.MinLen, 1), q.MaxLen
				if hi <= 0 {
					hi = lo + 3
				}
				v := make([]float64, lo+r.IntN(hi-lo+1))
				for k := range v {
					v[k] = pick(r, q.Min, q.Max)
				}
				p.Vec[i] = v
			}
		}
		if f.Check(p) == nil {
			s.P = p
			break
		}
	}
	switch f.Kind {
	case core.Activation, core.Loss:
		s.XMin = pick(r, -20, 20)
		s.XMax = s.XMin + pick(r, 0.01, 30)
	}
	if c := f.Curve; c != nil {
		s.T = pick(r, c.T.Min, c.T.Max)
	}
	if c := f.Curve; c != nil && c.TStep == 1 {
		// a class index, at most C - 1 for C classes (view.Classes); s.P is final here
		hi := s.TMax()
		s.T = math.Ceil(c.T.Min) + float64(r.IntN(int(math.Floor(hi)-math.Ceil(c.T.Min))+1))
	}
	if sf := f.Surface; sf != nil {
		ax, ay := view.SurfaceAxes(&s) // the x range, for the axes that follow it
		s.PX, s.PY = pick(r, ax.Min, ax.Max), pick(r, ay.Min, ay.Max)
	}
	if f.Kind == core.VectorActivation {
		for range 50 {
			n := 1 + r.IntN(view.MaxInputLen)
			if _, err := f.OutLen(n); err != nil {
				continue
			}
			s.In = make([]float64, n)
			for k := range s.In {
				s.In[k] = pick(r, -view.InputLimit, view.InputLimit)
			}
			break
		}
	}
	return s
}

// pick returns a random value in [lo, hi]: sometimes an end, sometimes a "round" value on a
// 0.01 grid, usually an arbitrary float.
func pick(r *rand.Rand, lo, hi float64) float64 {
	switch r.IntN(8) {
	case 0:
		return lo
	case 1:
		return hi
	case 2:
		v := math.Round((lo+(hi-lo)*r.Float64())*100) / 100
		return min(max(v, lo), hi)
	}
	return lo + (hi-lo)*r.Float64()
}

// stateError returns a description of the first way s is not a state Parse may return, or "".
func stateError(s view.State) string {
	f := s.F
	if f == nil {
		return "nil F"
	}
	if len(s.P.Num) != len(f.Params) || len(s.P.Vec) != len(f.Params) {
		return "params have the wrong shape"
	}
	for i, q := range f.Params {
		v := s.P.Num[i]
		switch q.Type {
		case core.Real, core.Int:
			if v != q.Default && !(v >= q.Min && v <= q.Max) {
				return q.Name + " out of range: " + view.FormatParam(f, s.P, i)
			}
			if q.Type == core.Int && v != math.Trunc(v) {
				return q.Name + " not an integer"
			}
		case core.Vector:
			w := s.P.Vec[i]
			if w == nil {
				continue
			}
			if len(w) < q.MinLen || (q.MaxLen > 0 && len(w) > q.MaxLen) {
				return q.Name + " has a bad length"
			}
			for _, x := range w {
				if !(x >= q.Min && x <= q.Max) {
					return q.Name + " has an element out of range"
				}
			}
		}
	}
	if err := f.Check(s.P); err != nil {
		return "Check: " + err.Error()
	}
	d := view.Default(f)
	if f.Kind != core.VectorActivation {
		if !(s.XMin < s.XMax) || math.Abs(s.XMin) > view.ViewLimit || math.Abs(s.XMax) > view.ViewLimit {
			return "bad x range"
		}
	}
	if c := f.Curve; c != nil && s.T != d.T && !(s.T >= c.T.Min && s.T <= s.TMax()) {
		return "t out of range"
	}
	if sf := f.Surface; sf != nil {
		ax, ay := view.SurfaceAxes(&s)
		_ = sf
		if !(s.PX >= ax.Min && s.PX <= ax.Max) || !(s.PY >= ay.Min && s.PY <= ay.Max) {
			return "point out of range"
		}
	}
	if f.Kind == core.VectorActivation {
		if len(s.In) > view.MaxInputLen {
			return "input too long"
		}
		if _, err := f.OutLen(len(s.In)); err != nil {
			return "input length: " + err.Error()
		}
		for _, x := range s.In {
			if !(math.Abs(x) <= view.InputLimit) {
				return "input element out of range"
			}
		}
	}
	return ""
}

// sameState reports whether a and b are equal bit for bit (nil and empty vectors are equal).
func sameState(a, b view.State) bool {
	if a.F != b.F || !sameBits(a.P.Num, b.P.Num) || len(a.P.Vec) != len(b.P.Vec) || !sameBits(a.In, b.In) {
		return false
	}
	for i := range a.P.Vec {
		if !sameBits(a.P.Vec[i], b.P.Vec[i]) || (a.P.Vec[i] == nil) != (b.P.Vec[i] == nil) {
			return false
		}
	}
	return sameBits([]float64{a.XMin, a.XMax, a.T, a.PX, a.PY}, []float64{b.XMin, b.XMax, b.T, b.PX, b.PY})
}

func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

func lookup(id string) (*core.Func, bool) { return core.Lookup(id) }
