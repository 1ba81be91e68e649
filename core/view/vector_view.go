package view

import (
	"strconv"

	"github.com/nnplay/nnplay/core"
)

// The vector view: a vector activation (softmax, softmin, log_softmax, glu) of a small input
// vector x that the user edits or drags, with the outputs as bars and row k of the Jacobian,
// ∂y_k/∂x_j, as the gradient bars. (The vector-Jacobian product with ones, what
// y.backward(torch.ones_like(y)) leaves in x.grad, is 0 for softmax: its rows of the Jacobian
// sum to 0, so it teaches nothing; a row shows how each input moves one output.) Renderer:
// "vector" (web/src/vector.js).
//
// URL keys:
//
//	x   the input, comma-separated (1 to MaxInputLen numbers in [-InputLimit, InputLimit])
//	k   the output whose Jacobian row is shown (0 to len(y) - 1)

func isVector(f *core.Func) bool { return f.Kind == core.VectorActivation }

var (
	keyIn = &Key{Name: "x", Label: "input x (logits)", Type: List, Control: ListEditor, MaxLen: MaxInputLen,
		Doc:         "drag the bars or type; " + strconv.Itoa(MaxInputLen) + " elements at most",
		Range:       func(*State) (float64, float64) { return -InputLimit, InputLimit },
		DefaultList: func(f *core.Func) []float64 { return f.DefaultInput },
		ListOf:      func(s *State) *[]float64 { return &s.In },
		Check: func(s *State) error {
			if _, err := s.F.OutLen(len(s.In)); err != nil {
				return perr("x", "x has "+strconv.Itoa(len(s.In))+" elements: "+err.Error())
			}
			return nil
		},
		Scope: func(f *core.Func) string { return "vector" }}
	keyRow = &Key{Name: "k", Label: "Jacobian row k", Type: Integer, Control: SliderBox, Step: 1,
		Doc:   "the gradient bars show ∂y_k/∂x_j: how each input moves output k",
		Range: func(*State) (float64, float64) { return 0, MaxInputLen - 1 },
		Max: func(s *State) float64 {
			m, err := s.F.OutLen(len(s.In))
			if err != nil || m < 1 {
				return 0
			}
			return float64(m - 1)
		},
		Check: func(s *State) error {
			m, err := s.F.OutLen(len(s.In))
			if err == nil && s.Number("k") > float64(m-1) {
				return perr("k", "k = "+core.ShortNum(s.Number("k"))+" but the output has "+strconv.Itoa(m)+" elements (k must be from 0 to "+strconv.Itoa(m-1)+")")
			}
			return nil
		},
		Scope: func(f *core.Func) string { return "vector" }}
)

func init() {
	RegisterView(&View{
		ID: "vector", Renderer: "vector", Order: 20,
		Title:   "a vector activation's input, outputs and a row of its Jacobian, as bars",
		Applies: isVector,
		Keys:    []*Key{keyIn, keyRow},
		New:     func(Env) Instance { return &vectorView{} },
	})
}

type vectorView struct {
	out VectorOut
	err string
}

func (v *vectorView) Configure(s *State, out *Out) {
	out.Str("name", s.F.Name)
	out.Num("inputLimit", InputLimit)
	out.Str("listKey", keyIn.Name) // what dragging a bar sets (the API's setListValue)
}

func (v *vectorView) Update(s *State, ch Changes, out *Out) bool {
	v.err = ""
	k := int(s.Number("k"))
	if err := v.out.EvalRow(s.F, s.P, s.In, k); err != nil {
		v.err = "input x: " + err.Error()
		return false
	}
	out.Floats("input", s.In)
	out.Floats("output", v.out.Y)
	out.Floats("grad", v.out.Grad)
	out.Num("k", float64(k))
	return true
}

func (v *vectorView) Messages(s *State, add func(level, text string)) {
	if v.err != "" {
		add("error", v.err)
		return
	}
	if m, ok := nonFinite("an output", s.In, v.out.Y); ok {
		add("warn", m)
	}
}
