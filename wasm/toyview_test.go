package main

import (
	"testing"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// A toy view registered here, in a test file, with no edit anywhere else: it must get its URL
// key (parsed, checked, written back), its control (the host is asked to show the view with
// its key), its setter through the controls' path and the API, and one draw call per frame.
var toyKey = &view.Key{Name: "toy_gain", Label: "toy gain", Type: view.Number, Control: view.SliderBox, Step: 0.5,
	Range:   func(*view.State) (float64, float64) { return 0, 4 },
	Default: func(*core.Func) float64 { return 1 }}

type toyInst struct{ buf []float64 }

func (t *toyInst) Configure(s *view.State, out *view.Out) { out.Str("title", "toy") }
func (t *toyInst) Update(s *view.State, ch view.Changes, out *view.Out) bool {
	g := s.Number("toy_gain")
	for i := range t.buf {
		t.buf[i] = g * float64(i)
	}
	out.Floats("ramp", t.buf)
	return true
}
func (t *toyInst) Messages(*view.State, func(level, text string)) {}

func init() {
	view.RegisterView(&view.View{ID: "toy", Renderer: "toy", Order: 99, Title: "a ramp scaled by toy_gain",
		Applies: func(f *core.Func) bool { return f.ID == "relu6" },
		Keys:    []*view.Key{toyKey},
		New:     func(view.Env) view.Instance { return &toyInst{buf: make([]float64, 4)} }})
}

type toyRecorder struct {
	*recorder
	toyDraws int
	lastRamp []float64
	views    []string
}

func (r *toyRecorder) Show(m Meta, s *view.State) {
	r.recorder.Show(m, s)
	r.views = r.views[:0]
	for _, v := range m.Views {
		r.views = append(r.views, v.ID)
	}
}
func (r *toyRecorder) Draw(v *view.View, out *view.Out) {
	r.recorder.Draw(v, out)
	if v.ID == "toy" {
		r.toyDraws++
		r.lastRamp = append(r.lastRamp[:0], out.FloatsOf("ramp")...)
	}
}

func TestToyViewIsAPart(t *testing.T) {
	r := &toyRecorder{recorder: newRecorder()}
	a := NewApp(r, "?f=relu6&toy_gain=2.5")
	a.Start()
	a.Frame()
	if len(a.urlProblems) != 0 {
		t.Fatalf("the toy key was not parsed: %+v", a.urlProblems)
	}
	if got := a.S.Number("toy_gain"); got != 2.5 {
		t.Fatalf("toy_gain = %v, want 2.5", got)
	}
	if want := []string{"curves", "toy"}; len(r.views) != 2 || r.views[0] != want[0] || r.views[1] != want[1] {
		t.Errorf("views shown = %v, want %v", r.views, want)
	}
	if r.toyDraws != 1 || len(r.lastRamp) != 4 || r.lastRamp[3] != 7.5 {
		t.Fatalf("toy draws %d, ramp %v: want one draw of 2.5*i", r.toyDraws, r.lastRamp)
	}
	// the control's path: a slider's text, checked against the key's range
	if err := a.SetViewText("toy_gain", "5", ""); err == nil {
		t.Errorf("toy_gain 5 (outside 0..4) was accepted")
	}
	if err := a.SetViewText("toy_gain", "3", ""); err != nil {
		t.Fatal(err)
	}
	a.Frame()
	if r.toyDraws != 2 || r.lastRamp[1] != 3 {
		t.Errorf("after toy_gain 3: draws %d ramp %v", r.toyDraws, r.lastRamp)
	}
	if q := URLQuery(&a.S); q != "f=relu6&toy_gain=3" {
		t.Errorf("URL %q", q)
	}
	// the API: nnplay.view() lists it, setState sets it
	if v := ViewMap(&a.S)["toy_gain"]; v != 3.0 {
		t.Errorf("view().toy_gain = %v", v)
	}
	if _, err := a.ApplyState(map[string]any{"toy_gain": 0.5}); err != nil || a.S.Number("toy_gain") != 0.5 {
		t.Errorf("setState toy_gain: %v, %v", err, a.S.Number("toy_gain"))
	}
	// the key does not exist for another function
	if _, probs := view.Parse("f=relu&toy_gain=2"); len(probs) != 1 || probs[0].Key != "toy_gain" {
		t.Errorf("relu with toy_gain: %+v", probs)
	}
}
