package core

import (
	"math"
	"slices"
	"testing"
)

// Tests of Curve.Mark (where the target lives on a loss curve's x axis), Surface.XFollowsCurve
// and YFollowsCurve, and Param.Marks.

// markValues are the marks of each loss, worked by hand from the curve's definition in the loss
// file (the expected x is the textbook formula evaluated here: logit(3/4) = log 3, acos(1/2) = π/3,
// a hinge's zero margin/y or d(a,n) - margin). NaN means "no mark".
var markValues = []struct {
	id   string
	kv   []any // parameters that differ from the defaults
	t    float64
	want float64
	ulps uint64
}{
	{"mse_loss", nil, 0.7, 0.7, 0},
	{"mse_loss", nil, -2.5, -2.5, 0},
	{"l1_loss", nil, 1.25, 1.25, 0},
	{"smooth_l1_loss", []any{"beta", 0.5}, -1, -1, 0},
	{"huber_loss", []any{"delta", 2.0}, 3, 3, 0},
	{"mse_loss", nil, math.NaN(), math.NaN(), 0},
	{"binary_cross_entropy", nil, 0.7, 0.7, 0},
	{"binary_cross_entropy", nil, 0, 0, 0},
	{"binary_cross_entropy", nil, 1, 1, 0},
	{"binary_cross_entropy", nil, 1.5, math.NaN(), 0}, // not a probability
	{"binary_cross_entropy_with_logits", nil, 0.5, 0, 0},
	{"binary_cross_entropy_with_logits", nil, 0.75, math.Log(3), 1},
	{"binary_cross_entropy_with_logits", nil, 0.25, -math.Log(3), 1},
	{"binary_cross_entropy_with_logits", nil, 0.9, math.Log(9), 2},
	{"binary_cross_entropy_with_logits", nil, 0.1, -math.Log(9), 2},
	{"binary_cross_entropy_with_logits", nil, 0.5 + 0x1p-20, math.Log1p(0x1p-19 / (0.5 - 0x1p-20)), 1},
	{"binary_cross_entropy_with_logits", []any{"pos_weight", 3.0}, 0.75, math.Log(3), 1}, // the target, not the minimum
	{"binary_cross_entropy_with_logits", nil, 0, math.NaN(), 0},
	{"binary_cross_entropy_with_logits", nil, 1, math.NaN(), 0},
	{"kl_div", nil, 1, 0, 0},
	{"kl_div", nil, 0.5, -math.Ln2, 1},
	{"kl_div", []any{"log_target", true}, 0.25, -2 * math.Ln2, 1}, // the curve's target is a probability also with log_target
	{"kl_div", nil, 0, math.NaN(), 0},
	{"triplet_margin_loss", nil, 1.5, 0.5, 0},
	{"triplet_margin_loss", []any{"margin", 0.25}, 2, 1.75, 0},
	{"triplet_margin_loss", nil, 1, 0, 0},
	{"triplet_margin_loss", nil, 0.5, math.NaN(), 0}, // d(a,n) < margin: the loss is never 0
	{"margin_ranking_loss", []any{"margin", 0.5}, 1, 0.5, 0},
	{"margin_ranking_loss", []any{"margin", 0.5}, -1, -0.5, 0},
	{"margin_ranking_loss", []any{"margin", -0.25}, 1, -0.25, 0},
	{"margin_ranking_loss", nil, 1, 0, 0},
	{"margin_ranking_loss", nil, 0, math.NaN(), 0},
	{"cosine_embedding_loss", nil, 1, 0, 0},
	{"cosine_embedding_loss", nil, -1, math.Pi / 2, 1},
	{"cosine_embedding_loss", []any{"margin", 0.5}, -1, math.Pi / 3, 1},
	{"cosine_embedding_loss", []any{"margin", -0.5}, -1, 2 * math.Pi / 3, 1},
	{"cosine_embedding_loss", nil, 0, math.NaN(), 0},
	{"hinge_embedding_loss", nil, -1, 1, 0},
	{"hinge_embedding_loss", []any{"margin", 2.5}, -1, 2.5, 0},
	{"hinge_embedding_loss", nil, 1, 0, 0},
	{"hinge_embedding_loss", nil, 0, math.NaN(), 0},
	{"soft_margin_loss", nil, 1, math.NaN(), 0},
	{"soft_margin_loss", nil, -1, math.NaN(), 0},
	{"nll_loss", nil, 0, math.NaN(), 0},
	{"nll_loss", nil, 2, math.NaN(), 0},
	{"cross_entropy", nil, 1, math.NaN(), 0},
}

func TestCurveMarkValues(t *testing.T) {
	for _, c := range markValues {
		f := mustLoss(t, c.id)
		x, label := f.Curve.Mark(lossParams(t, f, c.kv...), c.t)
		if !actCloseULPs(x, c.want, c.ulps) {
			t.Errorf("%s%v: Mark(t = %v) = %v, want %v", c.id, c.kv, c.t, x, c.want)
		}
		if (label == "") != (x != x) {
			t.Errorf("%s%v: Mark(t = %v) = %v, %q: want a label exactly when x is a number", c.id, c.kv, c.t, x, label)
		}
	}
}

// markShapes check what the curve does at its mark, with the curve's own Eval: where a hinge
// makes the loss 0 ("zero", with side the direction in which it grows from 0), or where a
// smooth loss is smallest ("min": the derivative is 0 and the loss is larger on both sides).
// Each row restates the claim of the mark's doc comment; the values are the curve's.
var markShapes = []struct {
	id      string
	kv      []any
	t       float64
	shape   string
	side    float64 // "zero": the loss is > 0 at mark + side·δ and <= tol at mark - side·δ
	zeroTol float64 // |loss at the mark| for "zero"; |derivative| for "min"
}{
	{"mse_loss", nil, 0.7, "min", 0, 0},
	{"l1_loss", nil, -1.3, "min", 0, 0},
	{"smooth_l1_loss", nil, 2, "min", 0, 0},
	{"huber_loss", nil, -0.4, "min", 0, 0},
	{"binary_cross_entropy", nil, 0.3, "min", 0, 1e-15},
	{"binary_cross_entropy_with_logits", nil, 0.3, "min", 0, 1e-15},
	{"binary_cross_entropy_with_logits", nil, 0.97, "min", 0, 1e-15},
	{"binary_cross_entropy_with_logits", nil, 0.5, "min", 0, 0},
	{"kl_div", nil, 0.3, "zero", -1, 1e-16},
	{"kl_div", []any{"log_target", true}, 0.3, "zero", -1, 1e-16},
	{"triplet_margin_loss", nil, 1.7, "zero", 1, 1e-15},
	{"triplet_margin_loss", []any{"margin", 0.3}, 2.9, "zero", 1, 1e-15},
	{"margin_ranking_loss", []any{"margin", 0.5}, 1, "zero", -1, 0},
	{"margin_ranking_loss", []any{"margin", 0.5}, -1, "zero", 1, 0},
	{"margin_ranking_loss", []any{"margin", -1.5}, 1, "zero", -1, 0},
	{"cosine_embedding_loss", nil, -1, "zero", -1, 1e-11}, // the 1e-12 in the norms
	{"cosine_embedding_loss", []any{"margin", 0.7}, -1, "zero", -1, 1e-11},
	{"cosine_embedding_loss", []any{"margin", -0.7}, -1, "zero", -1, 1e-11},
	{"cosine_embedding_loss", nil, 1, "min", 0, 1e-11},
	{"hinge_embedding_loss", nil, -1, "zero", -1, 0},
	{"hinge_embedding_loss", nil, 1, "zero", 1, 0}, // the loss is x: negative below 0
}

func TestCurveMarkShapes(t *testing.T) {
	const delta = 1e-6
	for _, c := range markShapes {
		f := mustLoss(t, c.id)
		p := lossParams(t, f, c.kv...)
		x, _ := f.Curve.Mark(p, c.t)
		l, d := f.Curve.Eval(p, c.t, x)
		lp, _ := f.Curve.Eval(p, c.t, x+delta)
		lm, _ := f.Curve.Eval(p, c.t, x-delta)
		switch c.shape {
		case "min":
			if math.Abs(d) > c.zeroTol || !(lp > l && lm > l) {
				t.Errorf("%s%v t = %v: at the mark x = %v the loss is %v, slope %v; at x ± 1e-6: %v, %v; want the minimum",
					c.id, c.kv, c.t, x, l, d, lp, lm)
			}
		case "zero":
			in, out := x+c.side*delta, x-c.side*delta
			lin, _ := f.Curve.Eval(p, c.t, in)
			lout, _ := f.Curve.Eval(p, c.t, out)
			if math.Abs(l) > c.zeroTol || !(lin > 0) || !(lout <= c.zeroTol) {
				t.Errorf("%s%v t = %v: loss %v at the mark x = %v, %v at %v, %v at %v; want 0, > 0, <= %v",
					c.id, c.kv, c.t, l, x, lin, in, lout, out, c.zeroTol)
			}
		}
	}
}

// σ(mark) = t for binary_cross_entropy_with_logits over (0, 1), with σ(x) = 1/(1 + e^{-x}) written
// out here; and kl_div's mark is log t for the same targets (exp(mark) = t). The tolerances are a
// few ulps of x carried through the inverse (σ' = σ(1 - σ), exp' = exp: a relative error r of x
// moves σ by σ(1 - σ)|x|r and exp by exp·|x|r) plus the inverse's own rounding.
func TestCurveMarkInverse(t *testing.T) {
	bce, kl := mustLoss(t, "binary_cross_entropy_with_logits"), mustLoss(t, "kl_div")
	for _, y := range []float64{1e-300, 1e-9, 0.01, 0.2, 0.25, 0.3, 0.4999, 0.5, 0.5001, 0.6, 0.75, 0.8, 0.99, 1 - 0x1p-53} {
		x, _ := bce.Curve.Mark(bce.Defaults(), y)
		const eps = 0x1p-52
		if s := 1 / (1 + math.Exp(-x)); math.Abs(s-y) > 4*eps*(y*(1-y)*math.Abs(x)+y) {
			t.Errorf("binary_cross_entropy_with_logits: Mark(%v) = %v, σ of it = %v", y, x, s)
		}
		x, _ = kl.Curve.Mark(kl.Defaults(), y)
		if e := math.Exp(x); math.Abs(e-y) > 2*eps*(math.Abs(x)+1)*y {
			t.Errorf("kl_div: Mark(%v) = %v, exp of it = %v", y, x, e)
		}
	}
}

// Every loss sets Mark; over the target control's range it returns a label exactly when x is a
// number, a finite x, and it does not allocate.
func TestCurveMarkEveryLoss(t *testing.T) {
	for _, f := range All() {
		if f.Kind != Loss {
			continue
		}
		if f.Curve.Mark == nil {
			t.Errorf("%s: Curve.Mark is nil", f.ID)
			continue
		}
		p := f.Defaults()
		step := f.Curve.TStep
		if step <= 0 || (f.Curve.T.Max-f.Curve.T.Min)/step > 200 {
			step = (f.Curve.T.Max - f.Curve.T.Min) / 200
		}
		for t0 := f.Curve.T.Min; t0 <= f.Curve.T.Max; t0 += step {
			x, label := f.Curve.Mark(p, t0)
			if (label == "") != (x != x) || math.IsInf(x, 0) {
				t.Errorf("%s: Mark(t = %v) = %v, %q", f.ID, t0, x, label)
			}
		}
		if a := testing.AllocsPerRun(10, func() { f.Curve.Mark(p, f.Curve.TDefault) }); a != 0 {
			t.Errorf("%s: Mark allocates %v times per call", f.ID, a)
		}
	}
}

// followsCurve lists the surfaces whose axes follow the curve's x range: the regression losses
// (input x and target y, in the same units) on both axes, and the two losses whose surface X is
// the curve's logit or score on X only.
var followsCurve = map[string][2]bool{
	"mse_loss": {true, true}, "l1_loss": {true, true}, "smooth_l1_loss": {true, true}, "huber_loss": {true, true},
	"binary_cross_entropy_with_logits": {true, false}, "soft_margin_loss": {true, false},
}

// A surface axis that follows the curve's x range is the curve's X quantity: the same label and
// default range as Curve.X; or, for Y, the curve's target when the target lives on the curve's x
// axis at itself (Mark(t) = t: the regression losses' target y, in the input's units).
func TestSurfaceFollowsCurve(t *testing.T) {
	for _, f := range All() {
		if f.Kind != Loss {
			continue
		}
		s, c := f.Surface, f.Curve
		if want := followsCurve[f.ID]; [2]bool{s.XFollowsCurve, s.YFollowsCurve} != want {
			t.Errorf("%s: XFollowsCurve, YFollowsCurve = %v, %v; want %v", f.ID, s.XFollowsCurve, s.YFollowsCurve, want)
		}
		if s.XFollowsCurve && s.X != c.X {
			t.Errorf("%s: the surface's X %+v follows the curve, whose X is %+v", f.ID, s.X, c.X)
		}
		if !s.YFollowsCurve || s.Y == c.X {
			continue
		}
		if s.Y != c.T {
			t.Errorf("%s: the surface's Y %+v follows the curve but is neither its X %+v nor its target %+v", f.ID, s.Y, c.X, c.T)
			continue
		}
		p := f.Defaults()
		for _, t0 := range []float64{c.T.Min, c.TDefault, (c.T.Min + c.T.Max) / 3, c.T.Max} {
			if x, _ := c.Mark(p, t0); x != t0 {
				t.Errorf("%s: the surface's Y is the target, but the target %v is marked at x = %v: not in x's units", f.ID, t0, x)
			}
		}
	}
}

// Marks are stops of the control: increasing, in [Min, Max], the default among them, integers for
// an Int parameter, each one a valid value.
func TestParamMarks(t *testing.T) {
	for _, f := range All() {
		for i, q := range f.Params {
			if q.Marks == nil {
				continue
			}
			if !slices.IsSorted(q.Marks) || len(slices.Compact(slices.Clone(q.Marks))) != len(q.Marks) {
				t.Errorf("%s.%s: Marks %v are not strictly increasing", f.ID, q.Name, q.Marks)
			}
			if !slices.Contains(q.Marks, q.Default) {
				t.Errorf("%s.%s: the default %v is not among the Marks %v", f.ID, q.Name, q.Default, q.Marks)
			}
			for _, m := range q.Marks {
				p := f.Defaults()
				p.Num[i] = m
				if m < q.Min || m > q.Max || (q.Type == Int && m != math.Trunc(m)) {
					t.Errorf("%s.%s: mark %v is outside [%v, %v] or not an integer", f.ID, q.Name, m, q.Min, q.Max)
				} else if err := f.Check(p); err != nil {
					t.Errorf("%s.%s = %v: %v", f.ID, q.Name, m, err)
				}
			}
		}
	}
	// ignore_index: PyTorch's default -100 (ignore nothing) and the classes 0..9 of the views.
	want := []float64{-100, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	for _, id := range []string{"nll_loss", "cross_entropy"} {
		f := mustLoss(t, id)
		if q := f.Params[f.ParamIndex("ignore_index")]; !slices.Equal(q.Marks, want) || q.Min != -100 || q.Max != 9 {
			t.Errorf("%s.ignore_index: Marks %v on [%v, %v], want %v on [-100, 9]", id, q.Marks, q.Min, q.Max, want)
		}
	}
}
