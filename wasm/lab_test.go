//go:build lab

package main

import (
	"strings"
	"testing"

	"github.com/nnplay/nnplay/core/lab/depth"
	"github.com/nnplay/nnplay/core/view"
)

// runTimers runs the views' scheduled steps (After) and frames until nothing is pending.
func runTimers(a *App, r *recorder) {
	for i := 0; i < 100000 && (len(r.timers) > 0 || a.requested); i++ {
		if len(r.timers) > 0 {
			fn := r.timers[0]
			r.timers = r.timers[1:]
			fn()
		}
		if a.requested {
			a.Frame()
		}
	}
}

// The depth lab in the App: the lab page is shown with the lab's views only, the sample
// arrives in steps (each bounded by the view's time slice), and the page's numbers are those
// of depth.API for the same state.
func TestDepthLabApp(t *testing.T) {
	a, r := start(t, "lab=depth&f=tanh&init=xavier_normal&depth=6&width=16&batch=40")
	r.tick = 0.5 // each Now() advances half a millisecond: a step does about a dozen units
	if a.S.Lab == nil || a.S.Lab.ID != "depth" {
		t.Fatalf("lab %v", a.S.Lab)
	}
	if len(r.shown) == 0 {
		t.Fatal("nothing shown")
	}
	views := a.S.Views()
	if len(views) != 1 || views[0].ID != "depth" {
		t.Fatalf("views %v", views)
	}
	steps := len(r.timers)
	runTimers(a, r)
	if steps == 0 {
		t.Error("the sample was not scheduled in steps")
	}
	out := &a.insts[0].out
	if out.NumOf("sample") != 1 {
		t.Fatalf("sample %v", out.NumOf("sample"))
	}
	api, err := depth.API(map[string]any{"f": "tanh", "init": "xavier_normal", "depth": 6.0, "width": 16.0, "batch": 40.0})
	if err != nil {
		t.Fatal(err)
	}
	layers := api.(map[string]any)["layers"].([]any)
	grad := out.FloatsOf("grad")
	for l, x := range layers {
		if g := x.(map[string]any)["grad"].(float64); g != grad[l] {
			t.Errorf("layer %d: page grad %v, API %v", l+1, grad[l], g)
		}
	}
	if d := api.(map[string]any)["diagnosis"]; d != out.StrOf("diagnosis") {
		t.Errorf("diagnosis: page %q, API %q", out.StrOf("diagnosis"), d)
	}
	// the snippet is the network in PyTorch
	if code := strings.Join(Snippet(&a.S), "\n"); !strings.Contains(code, "nn.init.xavier_normal_(lin.weight)") || !strings.Contains(code, "nn.Tanh()") {
		t.Errorf("snippet:\n%s", code)
	}
	// pin, switch function through the picker's path, swap
	if err := a.PinKey("vs"); err != nil {
		t.Fatal(err)
	}
	if err := a.SetFunc("relu"); err != nil {
		t.Fatal(err)
	}
	if v, _ := a.S.Get("vs"); v != "f=tanh&init=xavier_normal" {
		t.Errorf("vs after the switch: %v", v)
	}
	runTimers(a, r)
	if out.NumOf("cmp") != 1 || out.NumOf("b_sample") != 1 || !strings.Contains(out.StrOf("label_b"), "Tanh") {
		t.Errorf("comparison: cmp %v b_sample %v label_b %q", out.NumOf("cmp"), out.NumOf("b_sample"), out.StrOf("label_b"))
	}
	pushes := r.pushes
	if err := a.SwapKey("vs"); err != nil {
		t.Fatal(err)
	}
	a.Frame()
	if a.S.F.ID != "tanh" || r.pushes != pushes+1 {
		t.Errorf("swap: %s, pushes %d→%d", a.S.F.ID, pushes, r.pushes)
	}
	// presets
	for _, p := range a.S.Lab.Presets {
		if err := a.LoadPreset(p.ID); err != nil {
			t.Errorf("preset %s: %v", p.ID, err)
		}
		if len(a.urlProblems) > 0 {
			t.Errorf("preset %s: %v", p.ID, a.urlProblems)
		}
	}
	if err := a.LoadPreset("nope"); err == nil {
		t.Error("an unknown preset loaded")
	}
	// an invalid typed value keeps the state and says why next to the control
	if err := a.SetViewText("width", "1000000", "width"); err == nil || !strings.Contains(r.fieldErrs["width"], "512") {
		t.Errorf("width 1e6: %v, %q", err, r.fieldErrs["width"])
	}
	// back to the function page with setState({lab: null})
	if _, err := a.ApplyState(map[string]any{"lab": nil, "f": "gelu"}); err != nil {
		t.Fatal(err)
	}
	a.Frame()
	if a.S.Lab != nil || a.S.Views()[0].ID != "curves" {
		t.Errorf("function page: lab %v views %v", a.S.Lab, a.S.Views())
	}
	_ = view.ChAll
}
