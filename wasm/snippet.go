package main

import (
	"strconv"
	"strings"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// Snippet returns the current state as PyTorch code: the module and the functional call, with
// the parameters that differ from their defaults, written as Python would.
func Snippet(s *view.State) []string {
	f := s.F
	var args []string
	for i := range f.Params {
		q := &f.Params[i]
		def := f.Defaults()
		if view.FormatParam(f, s.P, i) == view.FormatParam(f, def, i) {
			continue
		}
		args = append(args, q.Name+"="+pyValue(f, s.P, i))
	}
	kw := strings.Join(args, ", ")
	var inputs string
	switch f.Kind {
	case core.Loss:
		names := make([]string, len(f.Inputs))
		for i, li := range f.Inputs {
			names[i] = li.Name
		}
		inputs = strings.Join(names, ", ")
	default:
		inputs = "x"
	}
	fcall := "F." + f.ID + "(" + inputs
	if kw != "" {
		fcall += ", " + kw
	}
	fcall += ")"
	return []string{"nn." + f.Class + "(" + kw + ")", fcall}
}

func pyValue(f *core.Func, p core.Params, i int) string {
	q := &f.Params[i]
	switch q.Type {
	case core.Bool:
		if p.Num[i] != 0 {
			return "True"
		}
		return "False"
	case core.Choice:
		return "'" + f.ChoiceOf(p, i) + "'"
	case core.Int:
		return strconv.FormatFloat(p.Num[i], 'f', -1, 64)
	case core.Vector:
		if p.Vec[i] == nil {
			return "None"
		}
		parts := make([]string, len(p.Vec[i]))
		for k, v := range p.Vec[i] {
			parts[k] = core.PyFloat(v)
		}
		return "torch.tensor([" + strings.Join(parts, ", ") + "])"
	}
	return core.PyFloat(p.Num[i])
}

// EmbedSnippet returns the iframe that shows state s on a course page served from origin.
func EmbedSnippet(origin string, s *view.State) string {
	q := strings.ReplaceAll(s.Query(), "&", "&amp;")
	return `<iframe src="` + origin + `/embed?` + q + `" title="nnplay: ` + s.F.Name +
		`" width="100%" height="760" style="border:0" loading="lazy"></iframe>`
}
