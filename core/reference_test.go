package core

// The 50-digit reference: every registered function against values computed with mpmath from
// the definitions (testdata/reference/gen.py writes testdata/reference/reference.json; the
// script and its loss definitions, losses.py, say where each formula and convention comes from).
//
// The metric is the distance in ulps between the result and the correctly rounded reference:
// NaN must be NaN, an infinity the same infinity, a true zero exactly zero (either sign, policy 4
// of the edge-case reference), and anything else within refULPs. A true value that underflows
// float64 is written 1e-400 and parses to 0, so the ulps metric then allows a few subnormals.
// refAllow lists the few exceptions, each with its reason.

import (
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// refULPs is the tolerance where the true value is a normal or subnormal float64.
const refULPs = 4

// refAll prints every failure instead of the first few of each function.
var refAll = flag.Bool("refall", false, "TestReference: print every failure, not the first few per function")

// refMinCoverage is the share of the reference's ids that must be registered.
const refMinCoverage = 0.8

// refAllowance widens the tolerance of one function's value or derivative ("deriv", which for
// a loss is the gradient; "" for both), optionally only for activation inputs x in [Lo, Hi]
// (Lo == Hi == 0: every input). A result passes when it is within ULPs ulps of the reference, or
// within Abs of it in absolute terms (for points next to a zero of the function, where a relative
// error bound would need more than float64 arithmetic). Reason says why.
type refAllowance struct {
	ID, Part string
	Where    string // only cases whose description contains this ("label_smoothing="); "" for all
	Lo, Hi   float64
	ULPs     uint64
	Abs      float64
	Reason   string
}

// refAllow is the allow-list: kept short, each entry justified.
var refAllow = []refAllowance{
	{ID: "triplet_margin_loss", Part: "deriv", ULPs: 8,
		Reason: "for p ≠ 2 the gradient of ||v||_p is sign(v_i)·(|v_i| / d)^(p-1): the ulp or so of error in " +
			"the distance d is multiplied by p - 1 (5 ulps at p = 3 and p = 5; the slider allows p up to 5)"},
}

type refTensor struct {
	Shape []int    `json:"shape"`
	Data  []string `json:"data"`
}

type refDoc struct {
	Activations []struct {
		ID     string         `json:"id"`
		Params map[string]any `json:"params"`
		Cases  [][3]string    `json:"cases"`
	} `json:"activations"`
	Vectors []struct {
		ID     string         `json:"id"`
		Params map[string]any `json:"params"`
		X      []string       `json:"x"`
		Y      []string       `json:"y"`
		Grad   []string       `json:"grad"`
	} `json:"vectors"`
	Losses []struct {
		ID     string               `json:"id"`
		Params map[string]any       `json:"params"`
		Inputs map[string]refTensor `json:"inputs"`
		Loss   refTensor            `json:"loss"`
		Grad   map[string]refTensor `json:"grad"`
	} `json:"losses"`
}

// refMax is the largest error seen for one part (value or derivative) of one function.
type refMax struct {
	ULPs  uint64 // math.MaxUint64 for a NaN/Inf/zero mismatch
	OK    bool   // within the tolerance (refULPs or an allowance)
	ByAbs int    // points admitted by an absolute allowance, not counted in ULPs
	Where string // the input and parameters where it occurs
	Want  string
	Got   float64
}

// refStats is what the reference measured for one function.
type refStats struct {
	Cases        int // activation points, vectors or loss evaluations
	Checks       int // individual numbers compared
	Value, Deriv refMax
	Fail         int // numbers outside the tolerance
	Failures     []string
}

// refResult is the outcome of the whole reference run.
type refResult struct {
	ByID       map[string]*refStats
	RefIDs     []string // every id in the reference, in file order
	Missing    map[string]int
	Registered int
}

func loadReference() (*refDoc, error) {
	b, err := os.ReadFile("testdata/reference/reference.json")
	if err != nil {
		return nil, err
	}
	var d refDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// refParams builds Params for f from the reference's name -> value map.
func refParams(f *Func, m map[string]any) (Params, error) {
	p := f.Defaults()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		i := f.ParamIndex(k)
		if i < 0 {
			return p, errors.New("the reference sets parameter " + k + ", which " + f.ID + " does not have")
		}
		switch v := m[k].(type) {
		case string:
			j := -1
			for c, s := range f.Params[i].Choices {
				if s == v {
					j = c
				}
			}
			if j < 0 {
				return p, errors.New(f.ID + ": " + k + " has no choice " + v)
			}
			p.Num[i] = float64(j)
		case float64:
			p.Num[i] = v
		case bool:
			p.Num[i] = 0
			if v {
				p.Num[i] = 1
			}
		case []any:
			vec := make([]float64, len(v))
			for j, e := range v {
				vec[j], _ = e.(float64)
			}
			p.Vec[i] = vec
		case nil:
			p.Vec[i] = nil
		}
	}
	return p, f.Check(p)
}

func paramString(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteString("=")
		switch v := m[k].(type) {
		case float64:
			b.WriteString(PyFloat(v))
		case string:
			b.WriteString(v)
		default:
			j, _ := json.Marshal(v)
			b.Write(j)
		}
	}
	return b.String()
}

func parseRef(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		panic("reference.json: bad number " + s)
	}
	return v // ErrRange: ±Inf for an overflow; an underflow parses to ±0 without error
}

// ulpOrd maps a float64 to an integer whose order is the float order, with -0 and +0 equal.
func ulpOrd(x float64) int64 {
	b := int64(math.Float64bits(x))
	if b < 0 {
		b = math.MinInt64 - b
	}
	return b
}

// ulpDist is the number of float64 values between a and b (0 for -0 and +0).
func ulpDist(a, b float64) uint64 {
	x, y := ulpOrd(a), ulpOrd(b)
	if x > y {
		return uint64(x) - uint64(y)
	}
	return uint64(y) - uint64(x)
}

// refCompare returns the error of got against the reference string want, in ulps;
// math.MaxUint64 stands for a mismatch in kind (NaN, infinity or a true zero).
func refCompare(want string, got float64) uint64 {
	switch want {
	case "nan":
		if math.IsNaN(got) {
			return 0
		}
		return math.MaxUint64
	case "0":
		if got == 0 {
			return 0
		}
		return math.MaxUint64
	}
	w := parseRef(want)
	if math.IsInf(w, 0) || math.IsNaN(got) || math.IsInf(got, 0) {
		if w == got {
			return 0
		}
		return math.MaxUint64
	}
	return ulpDist(w, got)
}

// refAllowed reports whether an error of u ulps (absolute error abs) at activation input x (NaN
// for vectors and losses) in the case described by where is within the tolerance of id's part,
// and whether only an absolute allowance admits it.
func refAllowed(id, part, where string, x float64, u uint64, abs float64) (ok, byAbs bool) {
	if u <= refULPs {
		return true, false
	}
	if u == math.MaxUint64 {
		return false, false
	}
	for _, a := range refAllow {
		if a.ID != id || (a.Part != part && a.Part != "") || !strings.Contains(where, a.Where) {
			continue
		}
		if a.Lo != 0 || a.Hi != 0 {
			if !(x >= a.Lo && x <= a.Hi) {
				continue
			}
		}
		if u <= a.ULPs {
			return true, false
		}
		if abs <= a.Abs {
			byAbs = true
		}
	}
	return byAbs, byAbs
}

// refTolerance is the largest ulps allowance of id's part anywhere (for the conformance page).
func refTolerance(id, part string) uint64 {
	tol := uint64(refULPs)
	for _, a := range refAllow {
		if a.ID == id && (a.Part == part || a.Part == "") && a.ULPs > tol {
			tol = a.ULPs
		}
	}
	return tol
}

// ulpString formats an error in ulps for messages and the conformance page.
func ulpString(u uint64) string {
	if u == math.MaxUint64 {
		return "wrong kind (nan/inf/0)"
	}
	return strconv.FormatUint(u, 10)
}

func fmtG(v float64) string { return strconv.FormatFloat(v, 'g', 17, 64) }

func (s *refStats) check(id, part string, x float64, where, want string, got float64) {
	s.Checks++
	u := refCompare(want, got)
	ok, byAbs := refAllowed(id, part, where, x, u, math.Abs(got-parseRef(want)))
	m := &s.Value
	if part == "deriv" {
		m = &s.Deriv
	}
	if byAbs {
		// next to a zero of the function: checked in absolute error, kept out of the ulps maximum
		m.ByAbs++
		return
	}
	if u > m.ULPs || m.Where == "" {
		*m = refMax{ULPs: u, OK: ok, ByAbs: m.ByAbs, Where: where, Want: want, Got: got}
	}
	if !ok {
		s.Fail++
		s.Failures = append(s.Failures, id+" "+part+" at "+where+": want "+want+", got "+fmtG(got)+
			" ("+ulpString(u)+" ulps)")
	}
}

func tensorFrom(t refTensor) Tensor {
	d := make([]float64, len(t.Data))
	for i, s := range t.Data {
		d[i] = parseRef(s)
	}
	sh := t.Shape
	if sh == nil {
		sh = []int{}
	}
	return Tensor{Shape: sh, Data: d}
}

func shapeString(s []int) string {
	parts := make([]string, len(s))
	for i, n := range s {
		parts[i] = strconv.Itoa(n)
	}
	return "(" + strings.Join(parts, ",") + ")"
}

// evalReference runs every reference case against the registry.
func evalReference() (*refResult, error) {
	d, err := loadReference()
	if err != nil {
		return nil, err
	}
	res := &refResult{ByID: map[string]*refStats{}, Missing: map[string]int{}}
	seen := map[string]bool{}
	stats := func(id string) (*Func, *refStats) {
		if !seen[id] {
			seen[id] = true
			res.RefIDs = append(res.RefIDs, id)
		}
		f, ok := Lookup(id)
		if !ok {
			res.Missing[id]++
			return nil, nil
		}
		s := res.ByID[id]
		if s == nil {
			s = &refStats{}
			res.ByID[id] = s
		}
		return f, s
	}
	for _, a := range d.Activations {
		f, s := stats(a.ID)
		if f == nil {
			continue
		}
		ps := paramString(a.Params)
		p, err := refParams(f, a.Params)
		if err != nil {
			s.Failures = append(s.Failures, a.ID+" ("+ps+"): "+err.Error())
			continue
		}
		if f.Scalar == nil {
			s.Failures = append(s.Failures, a.ID+": the reference has scalar cases but the Func has no Scalar")
			continue
		}
		for _, c := range a.Cases {
			x := parseRef(c[0])
			y, dy := f.Scalar(p, x)
			where := "x = " + c[0]
			if ps != "" {
				where += " (" + ps + ")"
			}
			s.Cases++
			s.check(a.ID, "value", x, where, c[1], y)
			s.check(a.ID, "deriv", x, where, c[2], dy)
		}
	}
	for _, v := range d.Vectors {
		f, s := stats(v.ID)
		if f == nil {
			continue
		}
		p, err := refParams(f, v.Params)
		if err != nil {
			s.Failures = append(s.Failures, v.ID+": "+err.Error())
			continue
		}
		if f.Vector == nil {
			s.Failures = append(s.Failures, v.ID+": the reference has vector cases but the Func has no Vector")
			continue
		}
		x := make([]float64, len(v.X))
		for i, e := range v.X {
			x[i] = parseRef(e)
		}
		n, err := f.OutLen(len(x))
		if err != nil || n != len(v.Y) {
			s.Failures = append(s.Failures, v.ID+": OutLen("+strconv.Itoa(len(x))+") disagrees with the reference")
			continue
		}
		y, g := make([]float64, n), make([]float64, len(x))
		f.Vector(p, x, y, g)
		where := "x = [" + strings.Join(v.X, ", ") + "]"
		s.Cases++
		for i := range y {
			s.check(v.ID, "value", math.NaN(), where+" y["+strconv.Itoa(i)+"]", v.Y[i], y[i])
		}
		for i := range g {
			s.check(v.ID, "deriv", math.NaN(), where+" grad["+strconv.Itoa(i)+"]", v.Grad[i], g[i])
		}
	}
	for _, l := range d.Losses {
		f, s := stats(l.ID)
		if f == nil {
			continue
		}
		ps := paramString(l.Params)
		p, err := refParams(f, l.Params)
		if err != nil {
			s.Failures = append(s.Failures, l.ID+" ("+ps+"): "+err.Error())
			continue
		}
		in := map[string]Tensor{}
		names := make([]string, 0, len(l.Inputs))
		for k, t := range l.Inputs {
			in[k] = tensorFrom(t)
			names = append(names, k)
		}
		sort.Strings(names)
		var desc strings.Builder
		for i, k := range names {
			if i > 0 {
				desc.WriteString(", ")
			}
			desc.WriteString(k + shapeString(l.Inputs[k].Shape) + "=[" + strings.Join(l.Inputs[k].Data, ", ") + "]")
		}
		where := desc.String() + " (" + ps + ")"
		s.Cases++
		r, err := f.Loss(p, in)
		if err != nil {
			s.Failures = append(s.Failures, l.ID+" at "+where+": error "+err.Error())
			continue
		}
		if !shapeEqual(r.Loss.Shape, l.Loss.Shape) || len(r.Loss.Data) != len(l.Loss.Data) {
			s.Failures = append(s.Failures, l.ID+" at "+where+": loss shape "+shapeString(r.Loss.Shape)+
				", want "+shapeString(l.Loss.Shape))
			continue
		}
		for i, w := range l.Loss.Data {
			s.check(l.ID, "value", math.NaN(), where+" loss["+strconv.Itoa(i)+"]", w, r.Loss.Data[i])
		}
		gnames := make([]string, 0, len(l.Grad))
		for k := range l.Grad {
			gnames = append(gnames, k)
		}
		sort.Strings(gnames)
		for _, k := range gnames {
			want := l.Grad[k]
			got, ok := r.Grad[k]
			if !ok || len(got.Data) != len(want.Data) {
				s.Failures = append(s.Failures, l.ID+" at "+where+": no gradient (or a wrong length) for "+k)
				continue
			}
			for i, w := range want.Data {
				s.check(l.ID, "deriv", math.NaN(), where+" grad "+k+"["+strconv.Itoa(i)+"]", w, got.Data[i])
			}
		}
	}
	res.Registered = len(res.RefIDs) - len(res.Missing)
	return res, nil
}

func shapeEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestReference checks every registered function against the 50-digit reference.
func TestReference(t *testing.T) {
	res, err := evalReference()
	if err != nil {
		t.Fatal(err)
	}
	ids := append([]string(nil), res.RefIDs...)
	for _, id := range ids {
		s := res.ByID[id]
		if s == nil {
			continue
		}
		show := 8
		if *refAll {
			show = len(s.Failures)
		}
		for i, m := range s.Failures {
			if i == show {
				t.Errorf("%s: ... and %d more failures", id, len(s.Failures)-show)
				break
			}
			t.Error(m)
		}
		t.Logf("%-34s %5d cases %6d checks  max value %s ulps, max derivative %s ulps", id, s.Cases, s.Checks,
			ulpString(s.Value.ULPs), ulpString(s.Deriv.ULPs))
	}
	if len(res.Missing) > 0 {
		var miss []string
		for id, n := range res.Missing {
			miss = append(miss, id+" ("+strconv.Itoa(n)+")")
		}
		sort.Strings(miss)
		t.Logf("skipped reference cases of ids not registered: %s", strings.Join(miss, ", "))
	}
	cov := float64(res.Registered) / float64(len(res.RefIDs))
	if cov < refMinCoverage {
		t.Errorf("only %d of the reference's %d ids are registered (%.0f%% < %.0f%%): the reference must "+
			"exercise the registry", res.Registered, len(res.RefIDs), 100*cov, 100*refMinCoverage)
	}
}

// TestReferenceCoversRegistry fails when a registered function has no reference case, so a new
// function cannot slip past the reference (add it to testdata/reference/gen.py).
func TestReferenceCoversRegistry(t *testing.T) {
	res, err := evalReference()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range All() {
		if res.ByID[f.ID] == nil {
			t.Errorf("%s is registered but has no case in testdata/reference/reference.json (add it to gen.py)", f.ID)
		}
	}
}

// TestRefCompare pins the metric itself: ulps distance with ±0 merged, exact kinds for NaN, the
// infinities and true zeros, and underflowed references (1e-400) compared in subnormal steps.
func TestRefCompare(t *testing.T) {
	tests := []struct {
		want string
		got  float64
		ulps uint64
	}{
		{"0", math.Copysign(0, -1), 0},
		{"0", 5e-324, math.MaxUint64},
		{"1e-400", 0, 0},
		{"1e-400", 5e-324, 1},
		{"-1e-400", 1e-323, 2},
		{"nan", math.NaN(), 0},
		{"nan", 0, math.MaxUint64},
		{"inf", math.Inf(1), 0},
		{"1e+400", math.Inf(1), 0}, // a finite true value beyond float64 overflows
		{"-inf", math.MaxFloat64, math.MaxUint64},
		{"1", math.Nextafter(1, 2), 1},
		{"1", math.Nextafter(1, 0), 1},
		{"0.33333333333333333333333333333333333333333333333333", 1.0 / 3, 0},
		{"2.2250738585072014e-308", math.Nextafter(2.2250738585072014e-308, 0), 1},
		{"1", math.Inf(1), math.MaxUint64},
	}
	for _, tt := range tests {
		if u := refCompare(tt.want, tt.got); u != tt.ulps {
			t.Errorf("refCompare(%q, %v) = %d, want %d", tt.want, tt.got, u, tt.ulps)
		}
	}
	if d := ulpDist(5e-324, -5e-324); d != 2 {
		t.Errorf("ulpDist(5e-324, -5e-324) = %d, want 2", d)
	}
}
