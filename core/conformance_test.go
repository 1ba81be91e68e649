package core

// docs/conformance.md is generated here, from the registry and the reference run, never by hand:
//
//	go test ./core -run TestConformance -update
//
// A plain go test fails when the committed page differs from what the code and the reference
// give now (a function added or changed, an error in ulps that moved).

import (
	"flag"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
)

var updateConformance = flag.Bool("update", false, "TestConformance: rewrite docs/conformance.md")

const conformancePath = "../docs/conformance.md"

func TestConformance(t *testing.T) {
	if runtime.GOARCH != "amd64" && !*updateConformance {
		// the measured errors depend on the platform's math (math.Log is assembly on amd64, FMA
		// fusion on arm64): the committed page is measured on amd64
		t.Skip("docs/conformance.md is measured on amd64; this is " + runtime.GOARCH)
	}
	res, err := evalReference()
	if err != nil {
		t.Fatal(err)
	}
	page := conformancePage(res)
	if *updateConformance {
		if err := os.MkdirAll("../docs", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(conformancePath, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile(conformancePath)
	if err != nil {
		t.Fatalf("reading %s: %v (generate it: go test ./core -run TestConformance -update)", conformancePath, err)
	}
	if string(old) != page {
		t.Errorf("docs/conformance.md is stale (the registry or the measured errors changed): regenerate it with\n" +
			"\tgo test ./core -run TestConformance -update\nand commit it")
	}
}

// mdEscape keeps table cells and inline text from breaking the Markdown.
func mdEscape(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\n", " ")
	return s
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func numString(v float64) string { return PyFloat(v) }

func maxCell(id, part string, m refMax, checks int) string {
	if checks == 0 {
		return "–"
	}
	s := ulpString(m.ULPs)
	if m.ULPs > refULPs && m.OK {
		s += " (allowed)"
	}
	if !m.OK {
		s = "**" + s + " (over tolerance)**"
	}
	return s
}

func maxLine(id, part string, m refMax) string {
	abs := ""
	if m.ByAbs > 0 {
		abs = "; " + strconv.Itoa(m.ByAbs) + " more point(s) next to a zero of the function checked in absolute " +
			"error (see the allowance)"
	}
	if m.ULPs == 0 {
		return "0 ulps (every point exact)" + abs
	}
	line := ulpString(m.ULPs) + " ulps at " + mdEscape(clip(m.Where, 220)) + ": reference " + clip(m.Want, 22) +
		", got " + fmtG(m.Got)
	switch {
	case !m.OK:
		line += " — **over the tolerance**"
	case m.ULPs > refULPs:
		line += " (within the allowance below)"
	}
	return line + abs
}

// probeValidation tries, one parameter at a time (the others at their defaults), a fixed set of
// values and reports which ones Check rejects and with which message.
func probeValidation(f *Func) []string {
	var out []string
	for i, q := range f.Params {
		switch q.Type {
		case Real, Int:
		case Vector:
			if q.MinLen > 0 || q.MaxLen > 0 {
				out = append(out, "`"+q.Name+"`: between "+strconv.Itoa(q.MinLen)+" and "+strconv.Itoa(q.MaxLen)+
					" elements")
			}
			continue
		case Choice:
			out = append(out, "`"+q.Name+"`: one of "+strings.Join(q.Choices, ", "))
			continue
		default:
			continue
		}
		probes := []float64{math.Inf(-1), -1, 0, 1, math.Inf(1), math.NaN(), q.Min, q.Max, -0.5, 0.5}
		if q.Type == Int {
			probes = append(probes, -100, 2)
		}
		var vals []float64
		seen := map[string]bool{}
		for _, v := range probes {
			k := numString(v)
			if !seen[k] {
				seen[k] = true
				vals = append(vals, v)
			}
		}
		sort.SliceStable(vals, func(a, b int) bool {
			if math.IsNaN(vals[a]) != math.IsNaN(vals[b]) {
				return !math.IsNaN(vals[a])
			}
			return vals[a] < vals[b]
		})
		msgs := map[string][]string{}
		var order []string
		for _, v := range vals {
			p := f.Defaults()
			p.Num[i] = v
			err := f.Check(p)
			if err == nil {
				continue
			}
			m := err.Error()
			if _, ok := msgs[m]; !ok {
				order = append(order, m)
			}
			msgs[m] = append(msgs[m], numString(v))
		}
		if len(order) == 0 {
			out = append(out, "`"+q.Name+"`: every probe accepted ("+probeList(vals)+")")
			continue
		}
		for _, m := range order {
			out = append(out, "`"+q.Name+"` = "+strings.Join(msgs[m], ", ")+" → \""+mdEscape(m)+"\"")
		}
	}
	return out
}

func probeList(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = numString(x)
	}
	return strings.Join(s, ", ")
}

func paramRow(q Param) string {
	def := numString(q.Default)
	rng := "[" + numString(q.Min) + ", " + numString(q.Max) + "]"
	step := numString(q.Step)
	switch q.Type {
	case Choice:
		def = q.Choices[int(q.Default)]
		rng = strings.Join(q.Choices, ", ")
		step = "–"
	case Bool:
		def = "false"
		if q.Default != 0 {
			def = "true"
		}
		rng, step = "false, true", "–"
	case Vector:
		def = "none"
		if q.DefaultVec != nil {
			def = "[" + probeList(q.DefaultVec) + "]"
		}
		rng += " each, " + strconv.Itoa(q.MinLen) + "–" + strconv.Itoa(q.MaxLen) + " elements"
	}
	return "| `" + q.Name + "` | " + string(q.Type) + " | " + def + " | " + rng + " | " + step + " |"
}

func conformancePage(res *refResult) string {
	var b strings.Builder
	w := func(s ...string) {
		for _, x := range s {
			b.WriteString(x)
		}
		b.WriteString("\n")
	}
	w("# Conformance")
	w()
	w("<!-- Generated by `go test ./core -run TestConformance -update` (core/conformance_test.go). Do not edit. -->")
	w()
	w("Every function of the registry (`core.All()`, in the picker's order) measured against an independent")
	w("50-digit reference: `core/testdata/reference/gen.py` computes each value and derivative with mpmath from")
	w("the definitions (PyTorch's documented formulas and conventions, `shared/reference/pytorch-semantics.md`, and")
	w("the policy of `shared/reference/edge-cases.md`) at hard inputs: ±0, subnormals, ±1e-8, every kink and")
	w("switch point and one ulp either side, ±20, ±40, ±700, ±710, ±1e4, ±1e300, ±Inf, NaN, for the default")
	w("parameters and the edges of each slider range; losses at probabilities 0, 1 and one ulp inside, logits at")
	w("±Inf and ±1e300, every reduction, class weights, ignore_index, and the hinges of the margin losses.")
	w()
	w("The error is the distance in ulps between nnplay's float64 result and the correctly rounded reference.")
	w("NaN must be NaN, an infinity the same infinity and a true zero exactly zero (either sign); everything else")
	w("must be within " + strconv.Itoa(refULPs) + " ulps, or within the allowance below. For a loss the value is")
	w("every element of the loss and the derivative every element of the gradient of sum(loss).")
	w()
	w("## Summary")
	w()
	w("| id | class | kind | reference cases | max error, value (ulps) | max error, derivative (ulps) |")
	w("|---|---|---|---|---|---|")
	var worstID, worstOverID string
	var worst, worstOver uint64
	for _, f := range All() {
		s := res.ByID[f.ID]
		if s == nil {
			w("| [`", f.ID, "`](#", f.ID, ") | ", f.Class, " | ", string(f.Kind), " | 0 | – | – |")
			continue
		}
		w("| [`", f.ID, "`](#", f.ID, ") | ", f.Class, " | ", string(f.Kind), " | ", strconv.Itoa(s.Cases), " | ",
			maxCell(f.ID, "value", s.Value, s.Checks), " | ", maxCell(f.ID, "deriv", s.Deriv, s.Checks), " |")
		for _, m := range []refMax{s.Value, s.Deriv} {
			if m.OK && m.ULPs > worst {
				worst, worstID = m.ULPs, f.ID
			}
			if !m.OK && m.ULPs > worstOver {
				worstOver, worstOverID = m.ULPs, f.ID
			}
		}
	}
	w()
	if worstOverID != "" {
		w("**Over the tolerance**: the worst is `", worstOverID, "`, ", ulpString(worstOver), " ulps (the test fails).")
		w()
	}
	if worstID != "" {
		allowed := ""
		if worst > refULPs {
			allowed = ", within its allowance"
		}
		w("Worst within the tolerance: `", worstID, "`, ", ulpString(worst), " ulps", allowed, ".")
		w()
	}
	w("## Allowance")
	w()
	if len(refAllow) == 0 {
		w("None: every function is held to " + strconv.Itoa(refULPs) + " ulps.")
	} else {
		w("| id | part | inputs | allowed error | reason |")
		w("|---|---|---|---|---|")
		for _, a := range refAllow {
			part := a.Part
			if part == "" {
				part = "value and derivative"
			}
			where := "all"
			if a.Lo != 0 || a.Hi != 0 {
				where = "x in [" + numString(a.Lo) + ", " + numString(a.Hi) + "]"
			}
			if a.Where != "" {
				where = "cases with `" + a.Where + "`"
			}
			var tol []string
			if a.ULPs > 0 {
				tol = append(tol, strconv.FormatUint(a.ULPs, 10)+" ulps")
			}
			if a.Abs > 0 {
				tol = append(tol, "absolute "+strconv.FormatFloat(a.Abs, 'g', 4, 64))
			}
			w("| `", a.ID, "` | ", part, " | ", where, " | ", strings.Join(tol, " or "), " | ", mdEscape(a.Reason), " |")
		}
	}
	w()
	for _, f := range All() {
		w("## ", f.ID)
		w()
		torch := "torch.nn." + f.Class
		if f.Torch != "" {
			torch = f.Torch
		}
		w("`", torch, "` · ", f.Name, " · ", string(f.Kind), " · source: ", f.Source)
		w()
		if len(f.Params) > 0 {
			w("| parameter | type | default | slider range | step |")
			w("|---|---|---|---|---|")
			for _, q := range f.Params {
				w(paramRow(q))
			}
			w()
		} else {
			w("No parameters.")
			w()
		}
		s := res.ByID[f.ID]
		if s == nil || s.Checks == 0 {
			w("**Accuracy**: no reference case (add the function to `core/testdata/reference/gen.py`).")
		} else {
			w("**Accuracy** (", strconv.Itoa(s.Cases), " reference cases, ", strconv.Itoa(s.Checks), " numbers):")
			w()
			w("- value: ", maxLine(f.ID, "value", s.Value))
			w("- derivative: ", maxLine(f.ID, "deriv", s.Deriv))
		}
		w()
		w("**Kinks**:")
		w()
		if len(f.Kinks) == 0 {
			w("- none (smooth)")
		}
		for _, k := range f.Kinks {
			w("- ", mdEscape(k))
		}
		w()
		w("**Validation** (each parameter probed alone, the others at their defaults):")
		w()
		v := probeValidation(f)
		if len(v) == 0 {
			w("- no parameters to check")
		}
		for _, line := range v {
			w("- ", line)
		}
		w()
		w("**Differences from PyTorch**:")
		w()
		if len(f.Differences) == 0 {
			w("- none")
		}
		for _, d := range f.Differences {
			w("- ", mdEscape(d))
		}
		w()
	}
	return b.String()
}
