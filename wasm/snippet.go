package main

import (
	"strconv"
	"strings"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// Snippet returns the current state as PyTorch code, one line per template of Func.Code
// (default: the module and the functional call). "{kw}" expands to the parameters that differ
// from their defaults as Python keyword arguments, written as Python would (", {kw}" and
// "{kw}" vanish when there are none); "{inputs}" to the loss's input names ("x" otherwise);
// "{<param>}" to that parameter's current value. A parameter named in a line is not repeated
// in that line's {kw}.
func Snippet(s *view.State) []string {
	if s.Lab != nil && s.Lab.Code != nil {
		return s.Lab.Code(s, funcSnippet(s))
	}
	return funcSnippet(s)
}

func funcSnippet(s *view.State) []string {
	f := s.F
	tmpl := f.Code
	if tmpl == nil {
		tmpl = []string{"nn." + f.Class + "({kw})", "F." + f.ID + "({inputs}, {kw})"}
	}
	inputs := "x"
	if f.Kind == core.Loss {
		names := make([]string, len(f.Inputs))
		for i, li := range f.Inputs {
			names[i] = li.Name
		}
		inputs = strings.Join(names, ", ")
	}
	def := f.Defaults()
	out := make([]string, 0, len(tmpl))
	for _, line := range tmpl {
		var args []string
		for i := range f.Params {
			q := &f.Params[i]
			if strings.Contains(line, "{"+q.Name+"}") || view.FormatParam(f, s.P, i) == view.FormatParam(f, def, i) {
				continue
			}
			args = append(args, q.Name+"="+pyValue(f, s.P, i))
		}
		kw := strings.Join(args, ", ")
		if kw == "" {
			line = strings.ReplaceAll(line, ", {kw}", "")
		}
		line = strings.ReplaceAll(line, "{kw}", kw)
		line = strings.ReplaceAll(line, "{inputs}", inputs)
		for i := range f.Params {
			line = strings.ReplaceAll(line, "{"+f.Params[i].Name+"}", pyValue(f, s.P, i))
		}
		out = append(out, line)
	}
	return out
}

// TorchName is the PyTorch name of f shown in the page's header: Func.Torch, or
// "nn.<Class> · F.<ID>".
func TorchName(f *core.Func) string {
	if f.Torch != "" {
		return f.Torch
	}
	return "nn." + f.Class + " · F." + f.ID
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
		`" width="100%" height="560" style="border:0" loading="lazy"></iframe>`
}
