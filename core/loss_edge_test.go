package core

// The edge-case rows of ../shared/reference/edge-cases.md that concern losses (E04-E14, E20,
// G03), with the expected values typed from the table (policy: few ulps), plus extreme inputs
// that must not overflow. Each test names its row.

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// edgeULPs is the tolerance of the table's values ("compare within a few ulps").
const edgeULPs = 4

func wantULP(t *testing.T, what string, got, want float64) {
	t.Helper()
	if d := ulpDiff(got, want); d > edgeULPs {
		t.Errorf("%s = %v, want %v (%d ulps)", what, got, want, d)
	}
}

func hasNote(notes []string, sub string) bool {
	for _, n := range notes {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}

// E04: binary_cross_entropy at the ends of [0, 1]: the log clamp at -100, never negative.
func TestEdgeE04BCEClamp(t *testing.T) {
	f := mustLoss(t, "binary_cross_entropy")
	none := lossParams(t, f, "reduction", "none")
	rows := []struct{ p, y, want float64 }{
		{1, 0, 100}, {0, 1, 100}, {1, 1, 0}, {0, 0, 0}, {0, 0.5, 50}, {0.5, 1, 0.6931471805599453}, {1e-50, 1, 100},
	}
	for _, r := range rows {
		res := evalLoss(t, f, none, map[string]Tensor{"input": tens(sh(1), r.p), "target": tens(sh(1), r.y)})
		wantULP(t, "E04 bce("+PyFloat(r.p)+", "+PyFloat(r.y)+")", res.Loss.Data[0], r.want)
		if !(res.Loss.Data[0] >= 0) {
			t.Errorf("E04: negative loss %v", res.Loss.Data[0])
		}
	}
	res := evalLoss(t, f, f.Defaults(), map[string]Tensor{"input": tens(sh(2), 1, 0.5), "target": tens(sh(2), 0, 1)})
	wantULP(t, "E04 mean of [(1,0),(0.5,1)]", res.Loss.Data[0], 50.346573590279974)
}

// E05: binary_cross_entropy rejects probabilities outside [0, 1], and NaN.
func TestEdgeE05BCERange(t *testing.T) {
	f := mustLoss(t, "binary_cross_entropy")
	for _, p := range []float64{1.5, math.NaN(), -1e-300, math.Inf(1)} {
		_, err := f.Loss(f.Defaults(), map[string]Tensor{"input": tens(sh(1), p), "target": tens(sh(1), 1)})
		if err == nil || err.Error() != "all elements of input should be between 0 and 1" {
			t.Errorf("E05 p=%v: error %v", p, err)
		}
	}
}

// E06, E07: binary_cross_entropy_with_logits at infinite and huge logits.
func TestEdgeE06E07BCEWithLogits(t *testing.T) {
	f := mustLoss(t, "binary_cross_entropy_with_logits")
	none := lossParams(t, f, "reduction", "none")
	inf := math.Inf(1)
	// E06: the matching target gives 0 (PyTorch: nan; policy 3, with a note)
	res := evalLoss(t, f, none, map[string]Tensor{"input": tens(sh(2), inf, -inf), "target": tens(sh(2), 1, 0)})
	if !slices.Equal(res.Loss.Data, []float64{0, 0}) || !hasNote(res.Notes, "PyTorch returns nan") {
		t.Errorf("E06: %v, notes %q", res.Loss.Data, res.Notes)
	}
	if g := res.Grad["input"].Data; !slices.Equal(g, []float64{0, 0}) {
		t.Errorf("E06 gradient %v, want [0 0]", g)
	}
	// E07
	xs, ys := []float64{1e4, -1e4, 1e4, 8e7}, []float64{0, 1, 1, 0}
	want := []float64{1e4, 1e4, 0, 8e7}
	res = evalLoss(t, f, none, map[string]Tensor{"input": tens(sh(4), xs...), "target": tens(sh(4), ys...)})
	for i := range want {
		wantULP(t, "E07 bce_with_logits("+PyFloat(xs[i])+", "+PyFloat(ys[i])+")", res.Loss.Data[i], want[i])
	}
	// their gradients: sigmoid(x) - t = 1, -1, -0 (e^-1e4 underflows), 1
	wantG := []float64{1, -1, 0, 1}
	for i := range wantG {
		wantULP(t, "E07 gradient", res.Grad["input"].Data[i], wantG[i])
	}
	// the doc example: logits 1.5, target 1, pos_weight 1: -log(sigmoid(1.5)) = 0.2014132779827524
	res = evalLoss(t, f, f.Defaults(), map[string]Tensor{"input": tens(sh(2, 2), 1.5, 1.5, 1.5, 1.5), "target": tens(sh(2, 2), 1, 1, 1, 1)})
	wantULP(t, "doc example", res.Loss.Data[0], -logSigmoid(1.5))
	// test_bce_with_logits_has_correct_grad_at_zero: zeros, sum -> gradient 0.5
	res = evalLoss(t, f, lossParams(t, f, "reduction", "sum"), map[string]Tensor{"input": tens(sh(3, 1), 0, 0, 0), "target": tens(sh(3, 1), 0, 0, 0)})
	if !slices.Equal(res.Grad["input"].Data, []float64{0.5, 0.5, 0.5}) {
		t.Errorf("gradient at zero %v, want 0.5 each", res.Grad["input"].Data)
	}
}

// E08: cross_entropy with every target equal to ignore_index.
func TestEdgeE08AllIgnored(t *testing.T) {
	f := mustLoss(t, "cross_entropy")
	in := map[string]Tensor{
		"input":  tens(sh(5, 3), 0.1, 2, -1, 3, 0, 0, 1, 1, 1, -2, 5, 0.5, 0, 0, 7),
		"target": tens(sh(5), -100, -100, -100, -100, -100),
	}
	res := evalLoss(t, f, f.Defaults(), in)
	if !math.IsNaN(res.Loss.Data[0]) || !hasNote(res.Notes, "ignore_index") {
		t.Errorf("E08 mean: %v, notes %q", res.Loss.Data, res.Notes)
	}
	zeros := make([]float64, 15)
	if !slices.Equal(res.Grad["input"].Data, zeros) {
		t.Errorf("E08 mean gradient %v, want zeros", res.Grad["input"].Data)
	}
	res = evalLoss(t, f, lossParams(t, f, "reduction", "sum"), in)
	if res.Loss.Data[0] != 0 || !slices.Equal(res.Grad["input"].Data, zeros) {
		t.Errorf("E08 sum: %v, gradient %v", res.Loss.Data, res.Grad["input"].Data)
	}
	res = evalLoss(t, f, lossParams(t, f, "reduction", "none"), in)
	if !slices.Equal(res.Loss.Data, make([]float64, 5)) || !slices.Equal(res.Loss.Shape, []int{5}) {
		t.Errorf("E08 none: %v %v", res.Loss.Shape, res.Loss.Data)
	}
	// the same for nll_loss
	g := mustLoss(t, "nll_loss")
	res = evalLoss(t, g, g.Defaults(), in)
	if !math.IsNaN(res.Loss.Data[0]) || !slices.Equal(res.Grad["input"].Data, zeros) {
		t.Errorf("E08 nll mean: %v", res.Loss.Data)
	}
}

// E09, E10: cross_entropy with -inf logits.
func TestEdgeE09E10NegInfLogits(t *testing.T) {
	f := mustLoss(t, "cross_entropy")
	inf := math.Inf(1)
	res := evalLoss(t, f, f.Defaults(), map[string]Tensor{"input": tens(sh(3), -inf, 0, 0), "target": tens(sh(), 1)})
	wantULP(t, "E09 loss", res.Loss.Data[0], 0.6931471805599453)
	for i, w := range []float64{0, -0.5, 0.5} {
		wantULP(t, "E09 gradient", res.Grad["input"].Data[i], w)
	}
	res = evalLoss(t, f, f.Defaults(), map[string]Tensor{"input": tens(sh(2), 0, -inf), "target": tens(sh(), 1)})
	if !math.IsInf(res.Loss.Data[0], 1) {
		t.Errorf("E10: %v, want +Inf", res.Loss.Data[0])
	}
}

// E11: cross_entropy with a probability target: 0 * log 0 = 0.
func TestEdgeE11ProbTargetZeroLog(t *testing.T) {
	f := mustLoss(t, "cross_entropy")
	res := evalLoss(t, f, f.Defaults(), map[string]Tensor{"input": tens(sh(2), math.Inf(-1), 0), "target": tens(sh(2), 0, 1)})
	if res.Loss.Data[0] != 0 || !hasNote(res.Notes, "PyTorch returns nan") {
		t.Errorf("E11: %v, notes %q", res.Loss.Data, res.Notes)
	}
	if g := res.Grad["input"].Data; g[0] != 0 || g[1] != 0 {
		t.Errorf("E11 gradient %v", g)
	}
}

// E12: kl_div's reductions, and the warning on 'mean'.
func TestEdgeE12KLDiv(t *testing.T) {
	f := mustLoss(t, "kl_div")
	in := map[string]Tensor{
		"input":  tens(sh(2, 2), math.Log(0.25), math.Log(0.75), math.Log(0.5), math.Log(0.5)),
		"target": tens(sh(2, 2), 0.5, 0.5, 0.9, 0.1),
	}
	for _, c := range []struct {
		red  string
		want float64
	}{{"sum", 0.5119052433943876}, {"batchmean", 0.2559526216971938}, {"mean", 0.1279763108485969}} {
		res := evalLoss(t, f, lossParams(t, f, "reduction", c.red), in)
		wantULP(t, "E12 kl_div "+c.red, res.Loss.Data[0], c.want)
		if warned := hasNote(res.Notes, "'batchmean' divides only by the batch size"); warned != (c.red == "mean") {
			t.Errorf("E12 %s: notes %q", c.red, res.Notes)
		}
	}
	// with log_target, the same value
	lt := map[string]Tensor{"input": in["input"], "target": tens(sh(2, 2), math.Log(0.5), math.Log(0.5), math.Log(0.9), math.Log(0.1))}
	res := evalLoss(t, f, lossParams(t, f, "reduction", "sum", "log_target", true), lt)
	if !closeRel(res.Loss.Data[0], 0.5119052433943876, 1e-15, 0) {
		t.Errorf("E12 log_target: %v", res.Loss.Data[0])
	}
	// target 0 contributes 0 even against an input of -inf (PyTorch: nan)
	res = evalLoss(t, f, lossParams(t, f, "reduction", "sum"), map[string]Tensor{"input": tens(sh(2), math.Inf(-1), 0), "target": tens(sh(2), 0, 1)})
	if res.Loss.Data[0] != 0 || !hasNote(res.Notes, "nan") {
		t.Errorf("kl_div 0 * -inf: %v %q", res.Loss.Data, res.Notes)
	}
	// a negative target is NaN (xlogy of a negative number), as PyTorch
	res = evalLoss(t, f, lossParams(t, f, "reduction", "sum"), map[string]Tensor{"input": tens(sh(1), -1), "target": tens(sh(1), -0.5)})
	if !math.IsNaN(res.Loss.Data[0]) {
		t.Errorf("kl_div negative target: %v", res.Loss.Data)
	}
}

// E13 is about F.cosine_similarity (eps 1e-8 on each norm), which nnplay does not register.
// cosine_embedding_loss adds EPS = 1e-12 to the squared norms instead; its analogue of the row:
// cos(0, 0) = cos(0, e1) = 0 and cos(e1, -e1) = -1/(1 + EPS), read off the y = -1 branch.
func TestEdgeE13CosineEmbeddingAnalogue(t *testing.T) {
	f := mustLoss(t, "cosine_embedding_loss")
	p := lossParams(t, f, "margin", -2.0, "reduction", "none")
	res := evalLoss(t, f, p, map[string]Tensor{
		"input1": tens(sh(3, 2), 0, 0, 0, 0, 1, 0),
		"input2": tens(sh(3, 2), 0, 0, 1, 0, -1, 0),
		"target": tens(sh(3), -1, -1, -1),
	})
	want := []float64{2, 2, 2 - 1/(1+cosEpsilon)}
	for i := range want {
		wantULP(t, "E13 analogue cos+2", res.Loss.Data[i], want[i])
	}
}

// E14: smooth_l1_loss with beta = 0 is L1, with gradient 0 at d = 0; beta < 0 is an error.
func TestEdgeE14SmoothL1BetaZero(t *testing.T) {
	f := mustLoss(t, "smooth_l1_loss")
	res := evalLoss(t, f, lossParams(t, f, "beta", 0.0, "reduction", "sum"),
		map[string]Tensor{"input": tens(sh(3), 1, 2, 3), "target": tens(sh(3), 1, 2.5, 0)})
	wantULP(t, "E14 loss", res.Loss.Data[0], 3.5)
	if g := res.Grad["input"].Data; !slices.Equal(g, []float64{0, -1, 1}) {
		t.Errorf("E14 gradient %v, want [0 -1 1]", g)
	}
	if err := f.Check(lossParams(t, f, "beta", -1e-9)); err == nil || err.Error() != "smooth_l1_loss does not support negative values for beta." {
		t.Errorf("E14 beta < 0: %v", err)
	}
}

// E20: mse_loss does not broadcast (2,1) against (2,1,1,1).
func TestEdgeE20NoBroadcast(t *testing.T) {
	f := mustLoss(t, "mse_loss")
	_, err := f.Loss(f.Defaults(), map[string]Tensor{"input": tens(sh(2, 1), 1, 2), "target": tens(sh(2, 1, 1, 1), 1, 2)})
	if err == nil || !strings.Contains(err.Error(), "[2, 1]") || !strings.Contains(err.Error(), "[2, 1, 1, 1]") {
		t.Errorf("E20: error %v, want one naming both shapes", err)
	}
}

// G03: binary_cross_entropy's gradient is PyTorch's backward (x - t)/max(x(1 - x), EPSILON) with
// EPSILON = float32(1e-12) = 9.999999960041972e-13. The table's -1e12 and -5e11 are these values
// rounded: -1/EPSILON = -1.000000003995803e12 (4e-9 relative to -1e12), so the test checks the
// exact quotient and the table's value to 1e-8.
func TestEdgeG03BCEGradient(t *testing.T) {
	f := mustLoss(t, "binary_cross_entropy")
	res := evalLoss(t, f, lossParams(t, f, "reduction", "sum"),
		map[string]Tensor{"input": tens(sh(3), 0, 0.5, 0), "target": tens(sh(3), 1, 1, 0.5)})
	table := []float64{-1e12, -2, -5e11}
	exact := []float64{-1 / bceEpsilon, -2, -0.5 / bceEpsilon}
	for i := range table {
		g := res.Grad["input"].Data[i]
		wantULP(t, "G03 gradient", g, exact[i])
		if !closeRel(g, table[i], 1e-8, 0) {
			t.Errorf("G03 gradient %v, table %v", g, table[i])
		}
	}
	if bceEpsilon != float64(float32(1e-12)) {
		t.Errorf("EPSILON %v is not float32(1e-12)", bceEpsilon)
	}
}

// Extreme inputs where the true value is finite: no overflow, no NaN.
func TestLossExtremeInputs(t *testing.T) {
	ce := mustLoss(t, "cross_entropy")
	none := lossParams(t, ce, "reduction", "none")
	res := evalLoss(t, ce, none, map[string]Tensor{"input": tens(sh(2, 2), 1e300, -1e300, 1e300, -1e300), "target": tens(sh(2), 0, 1)})
	if res.Loss.Data[0] != 0 || res.Loss.Data[1] != 2e300 {
		t.Errorf("cross_entropy at ±1e300: %v, want [0 2e300]", res.Loss.Data)
	}
	if g := res.Grad["input"].Data; g[0] != 0 || g[1] != 0 || g[2] != 1 || g[3] != -1 {
		t.Errorf("cross_entropy gradient at ±1e300: %v", g)
	}
	// a tiny loss keeps its relative precision: log1p(e^-40) = 4.248354255291589e-18
	res = evalLoss(t, ce, none, map[string]Tensor{"input": tens(sh(2), 40, 0), "target": tens(sh(), 0)})
	wantULP(t, "cross_entropy [40, 0]", res.Loss.Data[0], 4.248354255291589e-18)
	wantULP(t, "its gradient", res.Grad["input"].Data[0], -4.248354255291589e-18)
	// +inf logits: the limit, with a note
	res = evalLoss(t, ce, none, map[string]Tensor{"input": tens(sh(3), math.Inf(1), 0, math.Inf(1)), "target": tens(sh(), 0)})
	wantULP(t, "cross_entropy [inf, 0, inf]", res.Loss.Data[0], math.Ln2)
	if !hasNote(res.Notes, "+inf") {
		t.Errorf("no note for +inf logits: %q", res.Notes)
	}
	// soft_margin_loss where PyTorch overflows: log1p(exp(1000)) = 1000
	sm := mustLoss(t, "soft_margin_loss")
	res = evalLoss(t, sm, sm.Defaults(), map[string]Tensor{"input": tens(sh(1), -1000), "target": tens(sh(1), 1)})
	if res.Loss.Data[0] != 1000 || res.Grad["input"].Data[0] != -1 {
		t.Errorf("soft_margin at -1000: %v, %v", res.Loss.Data, res.Grad["input"].Data)
	}
	// cosine_embedding_loss on vectors near the largest float64
	cs := mustLoss(t, "cosine_embedding_loss")
	res = evalLoss(t, cs, cs.Defaults(), map[string]Tensor{"input1": tens(sh(2), 1e308, 1e308), "input2": tens(sh(2), 1e308, 0), "target": tens(sh(), -1)})
	wantULP(t, "cosine at 1e308", res.Loss.Data[0], math.Sqrt2/2)
	// 1 - cos and 1 + cos keep their precision for (anti)parallel vectors: EPS/(1 + EPS)
	want := cosEpsilon / (1 + cosEpsilon)
	res = evalLoss(t, cs, lossParams(t, cs, "margin", -1.0, "reduction", "none"), map[string]Tensor{
		"input1": tens(sh(2, 2), 1, 0, 1, 0), "input2": tens(sh(2, 2), 1, 0, -1, 0), "target": tens(sh(2), 1, -1)})
	wantULP(t, "cosine 1 - cos((1,0),(1,0))", res.Loss.Data[0], want)
	wantULP(t, "cosine 1 + cos((1,0),(-1,0))", res.Loss.Data[1], want)
	// triplet distances near the largest float64 do not overflow before the result
	tr := mustLoss(t, "triplet_margin_loss")
	res = evalLoss(t, tr, lossParams(t, tr, "eps", 0.0), map[string]Tensor{
		"anchor": tens(sh(2), 0, 0), "positive": tens(sh(2), 1e154, 1e154), "negative": tens(sh(2), 1e300, 1e300)})
	if v := res.Loss.Data[0]; v != 0 {
		t.Errorf("triplet far negative: %v", v)
	}
	res = evalLoss(t, tr, lossParams(t, tr, "eps", 0.0), map[string]Tensor{
		"anchor": tens(sh(2), 0, 0), "positive": tens(sh(2), 1e300, 1e300), "negative": tens(sh(2), 0, 1)})
	wantULP(t, "triplet d(a,p) = sqrt(2) 1e300", res.Loss.Data[0], 1+math.Sqrt2*1e300-1)
	// margin_ranking near its kink keeps the exact difference
	mr := mustLoss(t, "margin_ranking_loss")
	res = evalLoss(t, mr, lossParams(t, mr, "margin", 1e-20), map[string]Tensor{"input1": tens(sh(1), 1), "input2": tens(sh(1), 1+0x1p-52), "target": tens(sh(1), 1)})
	wantULP(t, "margin_ranking at the kink", res.Loss.Data[0], 1e-20+0x1p-52)
}
