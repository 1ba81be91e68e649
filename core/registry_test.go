package core

import (
	"math"
	"strings"
	"testing"
)

// TestNonFiniteParams: Check rejects NaN and ±Inf in every Real and Int parameter and in every
// element of every Vector parameter, over the whole registry, with a *ParamError naming the
// parameter.
func TestNonFiniteParams(t *testing.T) {
	bad := []float64{math.NaN(), math.Inf(1), math.Inf(-1)}
	checked := 0
	for _, f := range All() {
		if err := f.Check(f.Defaults()); err != nil {
			t.Errorf("%s: defaults rejected: %v", f.ID, err)
		}
		for i, q := range f.Params {
			for _, v := range bad {
				p := f.Defaults()
				var want string
				switch q.Type {
				case Real, Int:
					p.Num[i] = v
					want = q.Name + " must be a finite number, got " + PyFloat(v)
				case Vector:
					n := max(q.MinLen, 2)
					vec := make([]float64, n)
					for j := range vec {
						vec[j] = 1
					}
					vec[n-1] = v
					p.Vec[i] = vec
					want = q.Name + "[" + string(rune('0'+n-1)) + "] must be a finite number, got " + PyFloat(v)
				default:
					continue
				}
				checked++
				err := f.Check(p)
				if err == nil {
					t.Errorf("%s: %s = %v accepted", f.ID, q.Name, v)
					continue
				}
				pe, ok := err.(*ParamError)
				if !ok || pe.Param != q.Name || pe.Msg != want {
					t.Errorf("%s: %s = %v: error %#v, want %q for %s", f.ID, q.Name, v, err, want, q.Name)
				}
				if f.Kind == Loss { // Loss checks its parameters first
					if _, err := f.Loss(p, nil); err == nil || err.Error() != want {
						t.Errorf("%s: Loss with %s = %v: error %v, want %q", f.ID, q.Name, v, err, want)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no Real, Int or Vector parameter in the registry")
	}
}

// TestAllOrder: All lists the kinds in order, each picker group once and contiguously, the
// groups in the order of their first member in the lecture order, and the lecture order inside
// every group.
func TestAllOrder(t *testing.T) {
	all := All()
	if len(all) != len(order) {
		t.Fatalf("All() has %d functions, registry %d", len(all), len(order))
	}
	seen := map[string]bool{}
	for i, f := range all {
		key := string(f.Kind) + "/" + f.Group
		if i > 0 {
			prev := all[i-1]
			if kindRank[prev.Kind] > kindRank[f.Kind] {
				t.Errorf("%s (%s) after %s (%s)", f.ID, f.Kind, prev.ID, prev.Kind)
			}
			pkey := string(prev.Kind) + "/" + prev.Group
			if pkey == key {
				ra, rb := lectureRank(prev.ID), lectureRank(f.ID)
				if ra > rb || (ra == rb && prev.ID > f.ID) {
					t.Errorf("group %q: %s before %s breaks the lecture order", f.Group, prev.ID, f.ID)
				}
				continue
			}
			seen[pkey] = true
			if f.Kind == prev.Kind && groupFirstRank(all, f) < groupFirstRank(all, prev) {
				t.Errorf("group %q (first member rank %d) after %q (rank %d)", f.Group,
					groupFirstRank(all, f), prev.Group, groupFirstRank(all, prev))
			}
		}
		if seen[key] {
			t.Errorf("group %q appears more than once (again at %s)", key, f.ID)
		}
	}
}

// groupFirstRank is the smallest lecture rank among the members of f's group.
func groupFirstRank(all []*Func, f *Func) int {
	r := math.MaxInt
	for _, g := range all {
		if g.Kind == f.Kind && g.Group == f.Group {
			r = min(r, lectureRank(g.ID))
		}
	}
	return r
}

// torchNNClasses are the torch.nn module classes that nnplay's functions map to; a Func whose
// Class is not one of them must set Torch and Code (its default "nn.<Class>" would not run).
var torchNNClasses = map[string]bool{
	"Identity": true, "Sigmoid": true, "Tanh": true, "LogSigmoid": true, "Hardsigmoid": true,
	"Hardtanh": true, "Softsign": true, "ReLU": true, "LeakyReLU": true, "PReLU": true,
	"ReLU6": true, "Threshold": true, "Softplus": true, "ELU": true, "CELU": true, "SELU": true,
	"GELU": true, "Hardswish": true, "Mish": true, "SiLU": true, "Hardshrink": true,
	"Softshrink": true, "Tanhshrink": true, "Softmin": true, "Softmax": true, "LogSoftmax": true,
	"GLU": true, "MSELoss": true, "L1Loss": true, "SmoothL1Loss": true, "HuberLoss": true,
	"NLLLoss": true, "CrossEntropyLoss": true, "BCELoss": true, "BCEWithLogitsLoss": true,
	"KLDivLoss": true, "MarginRankingLoss": true, "TripletMarginLoss": true,
	"CosineEmbeddingLoss": true, "HingeEmbeddingLoss": true, "SoftMarginLoss": true,
}

// TestCodeTemplates: every Code template references only {kw}, {inputs} and the Func's own
// parameter names, with balanced braces; functions outside torch.nn's naming set Torch and Code.
func TestCodeTemplates(t *testing.T) {
	for _, f := range All() {
		if !torchNNClasses[f.Class] && (f.Torch == "" || f.Code == nil) {
			t.Errorf("%s: nn.%s is not a torch.nn class: set Torch and Code", f.ID, f.Class)
		}
		if f.Code != nil && len(f.Code) == 0 {
			t.Errorf("%s: Code is empty (nil means the default)", f.ID)
		}
		for _, line := range f.Code {
			rest := line
			for {
				open := strings.IndexByte(rest, '{')
				close := strings.IndexByte(rest, '}')
				if open < 0 {
					if close >= 0 {
						t.Errorf("%s: %q: unmatched }", f.ID, line)
					}
					break
				}
				if close < open {
					t.Errorf("%s: %q: unmatched braces", f.ID, line)
					break
				}
				name := rest[open+1 : close]
				if name != "kw" && name != "inputs" && f.ParamIndex(name) < 0 {
					t.Errorf("%s: %q references {%s}, which is not one of its parameters", f.ID, line, name)
				}
				rest = rest[close+1:]
			}
		}
	}
}

// TestGELUCorrectlyRounded: edge case E19's values of GELU (approximate='none') are the correctly
// rounded x·Φ(x) (50-digit references), not merely within a tolerance.
func TestGELUCorrectlyRounded(t *testing.T) {
	for _, c := range []struct{ x, want float64 }{
		{1, 0.8413447460685429}, // 0.84134474606854294859…
		{2, 1.9544997361036416}, // 1.95449973610364158560…
		{0.5, 0.34573123063700656},
		{3, 2.99595030590511}, // 2.99595030590510971640…
		{-3, -0.0040496940948902835},
	} {
		if y, _ := GELU(c.x); y != c.want {
			t.Errorf("GELU(%v) = %v, want %v", c.x, y, c.want)
		}
	}
}
