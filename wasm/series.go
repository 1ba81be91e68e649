package main

import (
	"strconv"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// This file holds the comparison's edits (the view key cmp, control view.SeriesEditor): pin
// the curve shown, change a series' function or a parameter, remove one. Each builds the next
// state with view.State.SetSeries, the setter the URL and the API use.

// PinSeries adds the curve shown (the function with its current parameters) to the
// comparison, so that the user can change the main curve and see both.
func (a *App) PinSeries() error {
	ss := append(cloneSeries(a.S.Cmp), view.Series{F: a.S.F, P: a.S.P.Clone()})
	return a.setSeries(ss, "cmp")
}

// RemoveSeries removes series i.
func (a *App) RemoveSeries(i int) error {
	if i < 0 || i >= len(a.S.Cmp) {
		return &core.ParamError{Param: "cmp", Msg: "there is no series " + strconv.Itoa(i+1)}
	}
	ss := cloneSeries(a.S.Cmp)
	ss = append(ss[:i], ss[i+1:]...)
	return a.setSeries(ss, "cmp")
}

// SetSeriesFunc switches series i to the function id, keeping its parameters of the same name
// (view.State.SwitchFunc's rule).
func (a *App) SetSeriesFunc(i int, id string) error {
	f, ok := core.Lookup(id)
	if i < 0 || i >= len(a.S.Cmp) || !ok {
		return &core.ParamError{Param: "cmp", Msg: "unknown function " + strconv.Quote(core.ClipShown(id))}
	}
	old := a.S.Cmp[i]
	tmp := view.State{F: old.F, P: old.P.Clone()}
	tmp.SwitchFunc(f)
	ss := cloneSeries(a.S.Cmp)
	ss[i] = view.Series{F: f, P: tmp.P}
	return a.setSeries(ss, seriesKey(i, "f"))
}

// SetSeriesParam sets parameter name of series i from the text of its control, with the
// checks of the main function's controls (slider range, then the function's Check).
func (a *App) SetSeriesParam(i int, name, text string) error {
	if i < 0 || i >= len(a.S.Cmp) {
		return &core.ParamError{Param: "cmp", Msg: "there is no series " + strconv.Itoa(i+1)}
	}
	sr := a.S.Cmp[i]
	j := sr.F.ParamIndex(name)
	key := seriesKey(i, name)
	if j < 0 {
		return &core.ParamError{Param: key, Msg: sr.F.ID + " has no parameter " + strconv.Quote(core.ClipShown(name))}
	}
	p := sr.P.Clone()
	var err error
	switch q := &sr.F.Params[j]; q.Type {
	case core.Real, core.Int:
		var v float64
		if v, err = parseNumber(name, text); err == nil {
			p.Num[j] = v
			err = controlRange(sr.F, name, v, q.Min, q.Max)
		}
	default:
		err = core.SetParamAny(sr.F, &p, j, text)
	}
	if err == nil {
		err = sr.F.Check(p)
	}
	if err != nil {
		a.setFieldErr(key, "series "+strconv.Itoa(i+1)+": "+err.Error())
		return err
	}
	ss := cloneSeries(a.S.Cmp)
	ss[i] = view.Series{F: sr.F, P: p}
	a.setFieldNote(key, "")
	return a.setSeries(ss, key)
}

// seriesKey is the field key of a series' control: "cmp.<i>.<param>".
func seriesKey(i int, name string) string { return "cmp." + strconv.Itoa(i) + "." + name }

func (a *App) setSeries(ss []view.Series, skip string) error {
	s := a.S.Clone()
	if err := s.SetSeries("cmp", ss); err != nil {
		a.setFieldErr("cmp", err.Error())
		return err
	}
	a.fieldErrs = setKeyed(a.fieldErrs, "cmp", "")
	a.host.FieldError("cmp", "")
	a.dropURLProblem("cmp")
	a.commit(s)
	a.syncControls(skip)
	return nil
}

func cloneSeries(ss []view.Series) []view.Series {
	out := make([]view.Series, len(ss), len(ss)+1)
	for i, sr := range ss {
		out[i] = view.Series{F: sr.F, P: sr.P.Clone()}
	}
	return out
}

// SeriesChoices returns the functions series i may switch to: those CheckSeries accepts
// beside the main function with their defaults.
func SeriesChoices(main *core.Func) []*core.Func {
	var out []*core.Func
	for _, f := range core.All() {
		if view.CheckSeries(main, view.Series{F: f, P: f.Defaults()}) == nil {
			out = append(out, f)
		}
	}
	return out
}
