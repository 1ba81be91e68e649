package view

import (
	"strconv"
	"strings"

	"github.com/nnplay/nnplay/core"
)

// MaxSeries is the most series a comparison holds besides the main function.
const MaxSeries = 4

// Series is one more curve on the plots of a comparison: a function with its parameters. It
// is another function of the main one's kind (for a loss, one that takes the same inputs over
// the same x quantity), or the main function itself with other parameters (CheckSeries).
type Series struct {
	F *core.Func
	P core.Params
}

// CheckSeries reports whether sr can be drawn beside main: an activation beside an
// activation; a loss beside a loss with the same inputs (by name, in order) whose curve has the
// same x quantity (Curve.X.Label) and the same kind of target (class index or not); its
// parameters within their slider ranges and passing sr.F.Check. Vector activations are not
// compared (their view is bars, not curves).
func CheckSeries(main *core.Func, sr Series) error {
	f := sr.F
	if f == nil || main == nil {
		return perr("cmp", "a series needs a function")
	}
	switch {
	case main.Kind == core.Activation && f.Kind == core.Activation:
	case main.Kind == core.Loss && f.Kind == core.Loss:
		if !sameInputs(main, f) {
			return perr("cmp", f.ID+" takes ("+inputList(f)+"), not ("+inputList(main)+") as "+main.ID+" does: only losses with the same inputs can share a plot")
		}
		if main.Curve == nil || f.Curve == nil || main.Curve.X.Label != f.Curve.X.Label || (main.Curve.TStep == 1) != (f.Curve.TStep == 1) {
			return perr("cmp", f.ID+"'s curve is over another quantity than "+main.ID+"'s")
		}
	case main.Kind == core.VectorActivation:
		return perr("cmp", main.ID+" is a vector activation: its bars cannot be compared on curves")
	default:
		return perr("cmp", f.ID+" is a "+kindWord(f.Kind)+" and "+main.ID+" a "+kindWord(main.Kind)+": only functions of the same kind share a plot")
	}
	if len(sr.P.Num) != len(f.Params) || len(sr.P.Vec) != len(f.Params) {
		return perr("cmp", f.ID+": expected "+strconv.Itoa(len(f.Params))+" parameters")
	}
	for i := range f.Params {
		if err := paramInRange(&f.Params[i], sr.P, i); err != nil {
			return err
		}
	}
	return f.Check(sr.P)
}

func kindWord(k core.Kind) string {
	switch k {
	case core.Activation:
		return "activation"
	case core.VectorActivation:
		return "vector activation"
	}
	return "loss"
}

func sameInputs(a, b *core.Func) bool {
	if len(a.Inputs) != len(b.Inputs) {
		return false
	}
	for i := range a.Inputs {
		if a.Inputs[i].Name != b.Inputs[i].Name {
			return false
		}
	}
	return true
}

func inputList(f *core.Func) string {
	names := make([]string, len(f.Inputs))
	for i, in := range f.Inputs {
		names[i] = in.Name
	}
	return strings.Join(names, ", ")
}

// Label names the series with its parameters that differ from their defaults, for a legend:
// "softplus (beta=2)", "tanh".
func (sr Series) Label() string {
	var b strings.Builder
	b.WriteString(sr.F.ID)
	n := 0
	for i := range sr.F.Params {
		if isDefaultParam(sr.F, sr.P, i) {
			continue
		}
		if n == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString(", ")
		}
		n++
		b.WriteString(sr.F.Params[i].Name)
		b.WriteByte('=')
		b.WriteString(FormatParam(sr.F, sr.P, i))
	}
	if n > 0 {
		b.WriteByte(')')
	}
	return b.String()
}

// Map returns the series as the API shows it: {f, ...parameters that differ from their
// defaults}.
func (sr Series) Map() map[string]any {
	m := map[string]any{"f": sr.F.ID}
	for i := range sr.F.Params {
		if !isDefaultParam(sr.F, sr.P, i) {
			m[sr.F.Params[i].Name] = ParamValue(sr.F, sr.P, i)
		}
	}
	return m
}

// ParamValue returns parameter i of p as the API shows it: a number, a boolean, the choice's
// string, or an array of numbers (nil for None).
func ParamValue(f *core.Func, p core.Params, i int) any {
	q := &f.Params[i]
	switch q.Type {
	case core.Bool:
		return p.Num[i] != 0
	case core.Choice:
		return f.ChoiceOf(p, i)
	case core.Vector:
		if p.Vec[i] == nil {
			return nil
		}
		return floatsAny(p.Vec[i])
	}
	return p.Num[i]
}

// formatSeries writes the series as the URL's cmp holds them: series separated by ';', each
// its function id then ",name:value" for each parameter that differs from its default (a
// vector's elements joined by '_', None as "none"): "tanh;softplus,beta:2".
func formatSeries(ss []Series) string {
	var b strings.Builder
	for i, sr := range ss {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(sr.F.ID)
		for j := range sr.F.Params {
			if isDefaultParam(sr.F, sr.P, j) {
				continue
			}
			b.WriteByte(',')
			b.WriteString(sr.F.Params[j].Name)
			b.WriteByte(':')
			if sr.F.Params[j].Type == core.Vector {
				if sr.P.Vec[j] == nil {
					b.WriteString("none")
				} else {
					b.WriteString(strings.ReplaceAll(formatVector(sr.P.Vec[j]), ",", "_"))
				}
				continue
			}
			b.WriteString(FormatParam(sr.F, sr.P, j))
		}
	}
	return b.String()
}

// parseSeries reads the URL's cmp for the main function s.F (see formatSeries). Each series is
// checked with CheckSeries; the first problem is the error.
func parseSeries(s *State, value string) ([]Series, error) {
	if value == "" {
		return nil, nil
	}
	parts := strings.Split(value, ";")
	if len(parts) > MaxSeries {
		return nil, perr("cmp", "at most "+strconv.Itoa(MaxSeries)+" series can be compared, got "+strconv.Itoa(len(parts)))
	}
	out := make([]Series, 0, len(parts))
	for n, part := range parts {
		fields := strings.Split(part, ",")
		f, ok := core.Lookup(fields[0])
		if !ok {
			return nil, perr("cmp", "series "+strconv.Itoa(n+1)+": unknown function "+quote(fields[0]))
		}
		sr := Series{F: f, P: f.Defaults()}
		tmp := State{F: f, P: sr.P}
		for _, kv := range fields[1:] {
			name, v, _ := strings.Cut(kv, ":")
			i := f.ParamIndex(name)
			if i < 0 {
				return nil, perr("cmp", "series "+strconv.Itoa(n+1)+": "+f.ID+" has no parameter "+quote(name))
			}
			if f.Params[i].Type == core.Vector {
				if v == "none" {
					v = ""
				}
				v = strings.ReplaceAll(v, "_", ",")
			}
			if err := tmp.setParam(i, v); err != nil {
				return nil, perr("cmp", "series "+strconv.Itoa(n+1)+": "+err.Error())
			}
		}
		sr.P = tmp.P
		if err := CheckSeries(s.F, sr); err != nil {
			return nil, perr("cmp", "series "+strconv.Itoa(n+1)+": "+err.Error())
		}
		out = append(out, sr)
	}
	return out, nil
}

// SeriesFrom builds a series from an API object {f, ...parameters} for the main function
// main: the function (main's when f is absent), its defaults, the given parameters with the
// controls' checks (slider ranges), and CheckSeries.
func SeriesFrom(main *core.Func, m map[string]any) (Series, error) {
	f := main
	if v, ok := m["f"]; ok {
		id, isStr := v.(string)
		if !isStr {
			return Series{}, perr("cmp", "a series' f must be a function id (a string)")
		}
		g, ok := core.Lookup(id)
		if !ok {
			return Series{}, perr("cmp", "unknown function "+quote(id))
		}
		f = g
	}
	rest := make(map[string]any, len(m))
	for k, v := range m {
		if k != "f" {
			rest[k] = v
		}
	}
	p, err := core.ParamsFrom(f, rest)
	if err != nil {
		return Series{}, perr("cmp", err.Error())
	}
	sr := Series{F: f, P: p}
	if err := CheckSeries(main, sr); err != nil {
		return Series{}, err
	}
	return sr, nil
}
