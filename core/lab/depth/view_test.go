package depth

import (
	"strings"
	"testing"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// Every preset is a valid link, and its sample says what the preset is for.
func TestPresets(t *testing.T) {
	want := map[string][2]string{ // preset: what the shown network's diagnosis says, and the pinned one's
		"sigmoid": {"gradients shrink", ""},
		"tanh":    {"gradients shrink by a factor of about 0.9", ""},
		"dying":   {"every unit is dead", "of units are dead"},
		"leaky":   {"gradients", "every unit is dead"},
		"selu":    {"self-normalising fixed point", "gradients"},
		"linear":  {"one linear layer", ""},
		"gelu":    {"gradients", ""},
	}
	for _, p := range Lab.Presets {
		s, probs := view.Parse("lab=depth&" + p.Query)
		if len(probs) > 0 {
			t.Errorf("preset %s: %v", p.ID, probs)
			continue
		}
		if s.Query() != "lab=depth&"+p.Query {
			t.Errorf("preset %s: query %q round-trips to %q", p.ID, p.Query, s.Query())
		}
		w, ok := want[p.ID]
		if !ok {
			t.Errorf("preset %s: no expectation", p.ID)
			continue
		}
		da := diagnose(t, &s)
		if !strings.Contains(da, w[0]) {
			t.Errorf("preset %s: diagnosis %q, want %q", p.ID, da, w[0])
		}
		if p.ID == "leaky" && strings.Contains(da, "dead") {
			t.Errorf("preset leaky: %q", da)
		}
		b, ok, err := Pinned(&s)
		if err != nil || ok != (w[1] != "") {
			t.Errorf("preset %s: pinned %v, %v", p.ID, ok, err)
			continue
		}
		if ok {
			if db := diagnose(t, &b); !strings.Contains(db, w[1]) {
				t.Errorf("preset %s: pinned diagnosis %q, want %q", p.ID, db, w[1])
			}
		}
	}
}

func samePairs(a, b string) bool {
	pa, pb := strings.Split(a, "&"), strings.Split(b, "&")
	if len(pa) != len(pb) {
		return false
	}
	m := map[string]bool{}
	for _, x := range pa {
		m[x] = true
	}
	for _, x := range pb {
		if !m[x] {
			return false
		}
	}
	return true
}

func diagnose(t *testing.T, s *view.State) string {
	t.Helper()
	c := ConfigOf(s)
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	var r Runner
	r.Reset(c)
	sd := side{cfg: c}
	sd.theory()
	return Diagnose(r.Run(), &sd.th)
}

// Pin, then swap: the two configurations exchange places, and the shared keys stay.
func TestPinSwap(t *testing.T) {
	s, _ := view.Parse("lab=depth&f=selu&init=lecun_normal&depth=12")
	v := pinVS(&s)
	if v != "f=selu&init=lecun_normal" {
		t.Fatalf("pin: %q", v)
	}
	if err := s.SetText("vs", v); err != nil {
		t.Fatal(err)
	}
	relu, _ := core.Lookup("relu")
	if kept := s.SwitchFunc(relu); len(kept) != 3 { // the picker's switch keeps depth, init and vs
		t.Errorf("switch kept %v", kept)
	}
	if d := describeVS(&s); !strings.Contains(d, "SELU") || !strings.Contains(d, "lecun_normal") {
		t.Errorf("describe: %q", d)
	}
	b, err := swapVS(&s)
	if err != nil {
		t.Fatal(err)
	}
	if b.F.ID != "selu" || initName(&b) != "lecun_normal" || b.Number("depth") != 12 {
		t.Errorf("swap shows %s %s depth %v", b.F.ID, initName(&b), b.Number("depth"))
	}
	if got := keyVS.TextValue(&b); got != "f=relu&init=lecun_normal" {
		t.Errorf("swap pins %q, want f=relu&init=lecun_normal", got)
	}
	// what vs may not hold
	for _, bad := range []string{"depth=3", "f=softmax", "init=nope", "lab=depth"} {
		c := s.Clone()
		if err := c.SetText("vs", bad); err == nil {
			t.Errorf("vs=%s accepted", bad)
		}
	}
}

// nnplay.depth takes what the page's state() and view() give (flat parameters, lab, vs), and
// refuses what the lab cannot compute with the controls' messages.
func TestAPIArguments(t *testing.T) {
	a, err := API(map[string]any{"f": "elu", "alpha": 2.0, "lab": "depth", "vs": "f=relu", "depth": 5.0})
	if err != nil {
		t.Fatal(err)
	}
	b, err := API(map[string]any{"f": "elu", "params": map[string]any{"alpha": 2.0}, "depth": 5.0})
	if err != nil {
		t.Fatal(err)
	}
	la, lb := a.(map[string]any)["layers"].([]any), b.(map[string]any)["layers"].([]any)
	if len(la) != 5 || la[4].(map[string]any)["grad"] != lb[4].(map[string]any)["grad"] {
		t.Errorf("flat alpha and params.alpha differ")
	}
	for _, bad := range []map[string]any{
		{"f": "softmax"}, {"f": "relu", "depth": 0.0}, {"f": "relu", "width": 1e6}, {"f": "relu", "init": "nope"},
		{"f": "relu", "lab": "fit"}, {"f": "relu", "nope": 1.0}, {"f": "celu", "alpha": 0.0},
	} {
		if _, err := API(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
