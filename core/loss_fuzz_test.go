package core

// FuzzLosses feeds any float64 values to every registered loss with valid parameters:
//
//   - no panic, whatever the values (NaN, ±Inf, huge, tiny) and even for inputs outside the
//     loss's domain (Loss may then return an error);
//   - for inputs inside the domain (probabilities in [0, 1], class indices in range, labels ±1)
//     that are finite: no error, and neither the loss nor the gradient is NaN, because the true
//     value is not NaN there (mean over zero elements aside);
//   - losses that are >= 0 by definition are >= 0.
//
// Run: go test -run '^$' -fuzz FuzzLosses -fuzztime 20s ./core/

import (
	"math"
	"strings"
	"testing"
)

// fuzzLossList is the registered losses in a fixed order (test-only registrations excluded).
func fuzzLossList() []*Func {
	var out []*Func
	for _, f := range All() {
		if f.Kind == Loss && !strings.HasPrefix(f.ID, "zz_") {
			out = append(out, f)
		}
	}
	return out
}

// fuzzParams picks valid parameters for f from the bits of sel.
func fuzzParams(f *Func, sel uint32) Params {
	p := f.Defaults()
	pick := func(n int) int {
		k := int(sel % uint32(n))
		sel /= uint32(n)
		return k
	}
	for i, q := range f.Params {
		switch q.Type {
		case Choice:
			p.Num[i] = float64(pick(len(q.Choices)))
		case Bool:
			p.Num[i] = float64(pick(2))
		case Vector:
			if pick(2) == 1 {
				p.Vec[i] = []float64{1, 2.5, 0.5}
			}
		case Int: // ignore_index
			p.Num[i] = []float64{-100, 1, -1}[pick(3)]
		case Real:
			var vals []float64
			switch {
			case q.Name == "beta":
				vals = []float64{1, 0, 0.5, 3}
			case q.Name == "delta":
				vals = []float64{1, 0.5, 3}
			case q.Name == "pos_weight":
				vals = []float64{1, 0, 3}
			case q.Name == "label_smoothing":
				vals = []float64{0, 0.1, 1}
			case q.Name == "p":
				vals = []float64{2, 1, 3}
			case q.Name == "eps":
				vals = []float64{1e-6, 0}
			case q.Name == "margin" && f.ID == "triplet_margin_loss":
				vals = []float64{1, 0.5, 2}
			case q.Name == "margin":
				vals = []float64{q.Default, 0.5, -0.5}
			default:
				vals = []float64{q.Default}
			}
			p.Num[i] = vals[pick(len(vals))]
		}
	}
	return p
}

// frac maps any float64 into [0, 1] (NaN and ±Inf to 0.5): a probability.
func frac(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0.5
	}
	v = math.Abs(math.Mod(v, 1))
	return v
}

// sign1 maps v to the label 1 or -1.
func sign1(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

// classOf maps v to a class index in [0, c).
func classOf(v float64, c int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return float64(int(math.Mod(math.Abs(v), float64(c))))
}

// fuzzInputs builds the inputs of loss id from the values v. With raw set the values go in as
// they are (possibly outside the domain); otherwise targets are mapped into the domain.
func fuzzInputs(id string, p Params, f *Func, v [6]float64, raw bool) map[string]Tensor {
	a, b, c, d, e, g := v[0], v[1], v[2], v[3], v[4], v[5]
	pair := func(x, y float64) Tensor { return tens(sh(2), x, y) }
	switch id {
	case "nll_loss", "cross_entropy":
		x := tens(sh(2, 3), a, b, c, d, e, g)
		if id == "cross_entropy" && !raw && math.Float64bits(a)&1 == 1 && p.Num[clsIgnore] < 0 {
			// probability targets
			t := []float64{frac(a), frac(b), frac(c), frac(d), frac(e), frac(g)}
			return map[string]Tensor{"input": x, "target": tens(sh(2, 3), t...)}
		}
		t := pair(classOf(e, 3), classOf(g, 3))
		if raw {
			t = pair(e, g)
		}
		return map[string]Tensor{"input": x, "target": t}
	case "binary_cross_entropy":
		if raw {
			return map[string]Tensor{"input": pair(a, b), "target": pair(c, d)}
		}
		return map[string]Tensor{"input": pair(frac(a), frac(b)), "target": pair(frac(c), frac(d))}
	case "binary_cross_entropy_with_logits", "kl_div":
		t := pair(frac(c), frac(d))
		if id == "kl_div" && p.Num[1] != 0 {
			t = pair(math.Log(frac(c)), math.Log(frac(d)))
		}
		if raw {
			t = pair(c, d)
		}
		return map[string]Tensor{"input": pair(a, b), "target": t}
	case "soft_margin_loss", "hinge_embedding_loss":
		t := pair(sign1(c), sign1(d))
		if raw {
			t = pair(c, d)
		}
		return map[string]Tensor{"input": pair(a, b), "target": t}
	case "margin_ranking_loss":
		t := pair(sign1(e), sign1(g))
		if raw {
			t = pair(e, g)
		}
		return map[string]Tensor{"input1": pair(a, b), "input2": pair(c, d), "target": t}
	case "triplet_margin_loss":
		return map[string]Tensor{"anchor": pair(a, b), "positive": pair(c, d), "negative": pair(e, g)}
	case "cosine_embedding_loss":
		t := tens(sh(), sign1(g))
		if raw {
			t = tens(sh(), g)
		}
		return map[string]Tensor{"input1": tens(sh(1, 3), a, b, c), "input2": tens(sh(1, 3), d, e, g), "target": tens(sh(1), t.Data[0])}
	}
	// elementwise regression losses
	return map[string]Tensor{"input": pair(a, b), "target": pair(c, d)}
}

// nonNegative lists the losses that are >= 0 for every input in the domain (with the fuzzer's
// parameters: non-negative weights and pos_weight).
var nonNegative = map[string]bool{
	"mse_loss": true, "l1_loss": true, "smooth_l1_loss": true, "huber_loss": true, "soft_margin_loss": true,
	"binary_cross_entropy": true, "binary_cross_entropy_with_logits": true, "cross_entropy": true,
	"margin_ranking_loss": true, "triplet_margin_loss": true, "cosine_embedding_loss": true,
}

// fuzzFiniteBound is the magnitude up to which a finite input must give a non-NaN result. Above
// it, intermediate results of a few losses (differences of two distances that both overflow,
// for example) may legitimately be inf - inf where the true value is out of float64's range.
const fuzzFiniteBound = 1e150

func FuzzLosses(f *testing.F) {
	f.Add(uint8(0), uint32(0), false, 1.0, -2.0, 0.5, 3.0, -1.0, 2.0)
	f.Add(uint8(3), uint32(7), false, 1e300, -1e300, 0.0, 1.0, 2.0, 0.0)
	f.Add(uint8(4), uint32(12345), false, math.Inf(-1), 0.0, 0.0, 1.0, 1.0, 1.0)
	f.Add(uint8(5), uint32(99), true, 1.5, math.NaN(), 0.0, 1.0, 1.0, 1.0)
	f.Add(uint8(7), uint32(3), false, 1e4, -1e4, 8e7, 0.0, 1.0, 0.0)
	f.Add(uint8(9), uint32(5), true, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
	f.Add(uint8(10), uint32(1), false, 1e-300, 1e-300, 0.0, 1e-300, 1e-300, -1.0)
	f.Add(uint8(11), uint32(8), false, 1e154, -1e154, 1e-8, 1e154, 3.0, 1e-300)
	losses := fuzzLossList()
	f.Fuzz(func(t *testing.T, which uint8, sel uint32, raw bool, a, b, c, d, e, g float64) {
		fn := losses[int(which)%len(losses)]
		p := fuzzParams(fn, sel)
		if err := fn.Check(p); err != nil {
			t.Fatalf("%s: fuzzParams made invalid parameters: %v", fn.ID, err)
		}
		v := [6]float64{a, b, c, d, e, g}
		in := fuzzInputs(fn.ID, p, fn, v, raw)
		res, err := fn.Loss(p, in) // must not panic
		// the views must not panic either
		fn.Curve.Eval(p, fn.Curve.T.Min+frac(c)*(fn.Curve.T.Max-fn.Curve.T.Min), a)
		fn.Surface.Eval(p, fn.Curve.TDefault, a, b)
		if raw {
			return
		}
		if err != nil {
			t.Fatalf("%s %v: domain input rejected: %v", fn.ID, in, err)
		}
		moderate := true
		for _, x := range v {
			if !(math.Abs(x) <= fuzzFiniteBound) {
				moderate = false
			}
		}
		emptyMean := false
		for _, n := range res.Notes {
			emptyMean = emptyMean || strings.Contains(n, "0 by 0") || strings.Contains(n, "zero elements")
		}
		if moderate && !emptyMean {
			for i, l := range res.Loss.Data {
				if math.IsNaN(l) {
					t.Fatalf("%s params %v %v: loss[%d] is NaN for finite inputs %v", fn.ID, p.Num, p.Vec, i, in)
				}
			}
			for name, gr := range res.Grad {
				for i, x := range gr.Data {
					if math.IsNaN(x) {
						t.Fatalf("%s params %v: d/d%s[%d] is NaN for finite inputs %v", fn.ID, p.Num, name, i, in)
					}
				}
			}
		}
		if nonNegative[fn.ID] {
			for i, l := range res.Loss.Data {
				if l < 0 {
					t.Fatalf("%s params %v: loss[%d] = %v < 0 for %v", fn.ID, p.Num, i, l, in)
				}
			}
		}
	})
}
