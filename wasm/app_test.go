package main

import (
	"math"
	"strings"
	"testing"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// recorder is a Host that records what App asks of the browser.
type recorder struct {
	frames    int // RequestFrame calls
	shown     []string
	curves    int
	lastCurve CurveInfo
	curveLen  int
	vectors   int
	lastOut   []float64
	surfaces  int
	points    []PointInfo
	msgs      []Message
	fieldErrs map[string]string
	urls      []string
	drawn     int
	syncSkip  []string
	clock     float64  // Now: advances by tick per call
	tick      float64  //
	timers    []func() // After callbacks, run by the test
	lastNX    int      // size of the last surface
}

func newRecorder() *recorder { return &recorder{fieldErrs: map[string]string{}} }

func (r *recorder) Show(m Meta, s *view.State)      { r.shown = append(r.shown, m.F.ID) }
func (r *recorder) Sync(s *view.State, skip string) { r.syncSkip = append(r.syncSkip, skip) }
func (r *recorder) FieldError(key, msg string) {
	if msg == "" {
		delete(r.fieldErrs, key)
	} else {
		r.fieldErrs[key] = msg
	}
}
func (r *recorder) Curves(c *view.Curves, info CurveInfo) {
	r.curves++
	r.lastCurve = info
	r.curveLen = len(c.X)
}
func (r *recorder) Vector(in, out, grad []float64) {
	r.vectors++
	r.lastOut = append([]float64(nil), out...)
}
func (r *recorder) Surface(g *view.Grid, levels []float64) {
	r.surfaces++
	r.lastNX = g.NX
}
func (r *recorder) Point(p PointInfo)     { r.points = append(r.points, p) }
func (r *recorder) Messages(ms []Message) { r.msgs = append([]Message(nil), ms...) }
func (r *recorder) ReplaceURL(q string)   { r.urls = append(r.urls, q) }
func (r *recorder) RequestFrame()         { r.frames++ }
func (r *recorder) Drawn(seq int)         { r.drawn = seq }
func (r *recorder) Now() float64 {
	r.clock += r.tick
	return r.clock
}
func (r *recorder) After(ms int, fn func()) { r.timers = append(r.timers, fn) }

func start(t *testing.T, query string) (*App, *recorder) {
	t.Helper()
	r := newRecorder()
	a := NewApp(r, query)
	a.Start()
	a.Frame()
	return a, r
}

func hasMsg(ms []Message, level, sub string) bool {
	for _, m := range ms {
		if m.Level == level && strings.Contains(m.Text, sub) {
			return true
		}
	}
	return false
}

func TestStartDrawsTheURLState(t *testing.T) {
	a, r := start(t, "?f=elu&alpha=2&xmin=-2")
	if a.S.F.ID != "elu" || a.S.P.Num[0] != 2 || a.S.XMin != -2 {
		t.Fatalf("state = %s %v %v", a.S.F.ID, a.S.P.Num, a.S.XMin)
	}
	if len(r.shown) != 1 || r.curves != 1 || r.curveLen != CurvePoints || r.drawn != a.Seq() {
		t.Fatalf("first frame: shown %v curves %d len %d drawn %d seq %d", r.shown, r.curves, r.curveLen, r.drawn, a.Seq())
	}
	if len(r.urls) != 0 {
		t.Errorf("the URL was rewritten on load: %v", r.urls)
	}
	if !math.IsNaN(r.lastCurve.T) {
		t.Errorf("an activation's curve has target %v, want NaN", r.lastCurve.T)
	}
}

func TestBadURLShowsMessagesAndDefaults(t *testing.T) {
	a, r := start(t, "f=nope&alpha=zz")
	if a.S.F.ID != view.DefaultID {
		t.Fatalf("f = %s, want %s", a.S.F.ID, view.DefaultID)
	}
	if !hasMsg(r.msgs, "warn", `unknown function "nope"`) {
		t.Errorf("messages %v lack the unknown function", r.msgs)
	}
}

func TestChangesInOneFrameCostOneRedraw(t *testing.T) {
	a, r := start(t, "f=elu")
	frames, curves := r.frames, r.curves
	for _, v := range []string{"0.5", "0.6", "0.7"} {
		if err := a.SetParamText("alpha", v, ""); err != nil {
			t.Fatal(err)
		}
	}
	if r.frames != frames+1 {
		t.Errorf("%d frames requested for three changes, want 1", r.frames-frames)
	}
	a.Frame()
	if r.curves != curves+1 || a.S.P.Num[0] != 0.7 {
		t.Errorf("curves drawn %d times, alpha %v", r.curves-curves, a.S.P.Num[0])
	}
	if len(r.urls) != 1 || r.urls[0] != "f=elu&alpha=0.7" {
		t.Errorf("urls = %v", r.urls)
	}
}

func TestTypedBoxKeepsTextAndState(t *testing.T) {
	a, r := start(t, "f=elu&alpha=2")
	err := a.SetParamText("alpha", "abc", "alpha")
	if err == nil || !strings.Contains(err.Error(), `alpha must be a number, got "abc"`) {
		t.Fatalf("err = %v", err)
	}
	if a.S.P.Num[0] != 2 {
		t.Errorf("alpha changed to %v on invalid text", a.S.P.Num[0])
	}
	if r.fieldErrs["alpha"] == "" {
		t.Errorf("no message next to the field")
	}
	a.Frame()
	if !hasMsg(r.msgs, "error", "alpha must be a number") {
		t.Errorf("messages %v", r.msgs)
	}
	// A valid value outside the slider's range is accepted, with a note; the box is not rewritten.
	if err := a.SetParamText("alpha", "25", "alpha"); err != nil {
		t.Fatal(err)
	}
	if a.S.P.Num[0] != 25 || !strings.Contains(r.fieldErrs["alpha"], "outside the slider") {
		t.Errorf("alpha %v, field message %q", a.S.P.Num[0], r.fieldErrs["alpha"])
	}
	if r.syncSkip[len(r.syncSkip)-1] != "alpha" {
		t.Errorf("the typed box was resynchronised: skip %q", r.syncSkip[len(r.syncSkip)-1])
	}
}

func TestFuncCheckRejectsTypedValue(t *testing.T) {
	a, _ := start(t, "f=celu")
	err := a.SetParamText("alpha", "0", "alpha")
	if err == nil || !strings.Contains(err.Error(), "alpha cannot be 0") {
		t.Fatalf("err = %v", err)
	}
	if a.S.P.Num[0] != 1 {
		t.Errorf("alpha = %v", a.S.P.Num[0])
	}
}

func TestApplyStateIsAllOrNothing(t *testing.T) {
	a, _ := start(t, "f=elu&alpha=2")
	if _, err := a.ApplyState(map[string]any{"f": "celu", "alpha": 0.0}); err == nil || !strings.Contains(err.Error(), "alpha cannot be 0") {
		t.Fatalf("err = %v", err)
	}
	if a.S.F.ID != "elu" || a.S.P.Num[0] != 2 {
		t.Fatalf("state changed on a rejected setState: %s %v", a.S.F.ID, a.S.P.Num)
	}
	if _, err := a.ApplyState(map[string]any{"f": "nope"}); err == nil || !strings.Contains(err.Error(), "unknown function") {
		t.Errorf("err = %v", err)
	}
	if _, err := a.ApplyState(map[string]any{"beta": 1.0}); err == nil || !strings.Contains(err.Error(), `unknown parameter "beta" for elu`) {
		t.Errorf("err = %v", err)
	}
	seq, err := a.ApplyState(map[string]any{"f": "softplus", "beta": 50.0, "xmin": -1.0, "xmax": 1.0})
	if err != nil || seq != a.Seq() {
		t.Fatalf("seq %d err %v", seq, err)
	}
	got := StateMap(&a.S)
	if got["f"] != "softplus" || got["beta"] != 50.0 || got["threshold"] != 20.0 || a.S.XMin != -1 || a.S.XMax != 1 {
		t.Errorf("state = %v, x range %v %v", got, a.S.XMin, a.S.XMax)
	}
	if _, err := a.ApplyState(map[string]any{"f": "cross_entropy", "weight": []any{1.0, 2.0, 3.0}, "reduction": "sum"}); err != nil {
		t.Fatal(err)
	}
	got = StateMap(&a.S)
	if got["reduction"] != "sum" || len(got["weight"].([]any)) != 3 {
		t.Errorf("state = %v", got)
	}
	if q := a.S.Query(); q != "f=cross_entropy&weight=1,2,3&reduction=sum" {
		t.Errorf("query = %q", q)
	}
}

func TestVectorViewAndInput(t *testing.T) {
	a, r := start(t, "f=softmax")
	if r.vectors != 1 {
		t.Fatalf("vector drawn %d times", r.vectors)
	}
	var sum float64
	for _, y := range r.lastOut {
		sum += y
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("softmax outputs sum to %v", sum)
	}
	n := len(a.S.In)
	if err := a.SetInput(-1, "add"); err != nil || len(a.S.In) != n+1 {
		t.Fatalf("add: %v, len %d", err, len(a.S.In))
	}
	if err := a.SetInput(0, "x"); err == nil {
		t.Errorf("invalid element accepted")
	}
	a.SetInputValue(0, 1e9)
	if a.S.In[0] != view.InputLimit {
		t.Errorf("drag not clamped: %v", a.S.In[0])
	}
}

func TestLossDrawsSurfaceAndPoint(t *testing.T) {
	a, r := start(t, "f=mse_loss")
	if r.surfaces != 1 || len(r.points) != 1 || r.curves != 1 {
		t.Fatalf("surfaces %d points %d curves %d", r.surfaces, len(r.points), r.curves)
	}
	a.SetPoint(100, -100) // clamped to the axes
	a.Frame()
	p := r.points[len(r.points)-1]
	sf := a.S.F.Surface
	if p.X != sf.X.Max || p.Y != sf.Y.Min || r.surfaces != 1 {
		t.Errorf("point %+v, surfaces %d (a drag must not recompute the surface)", p, r.surfaces)
	}
	if want := (p.X - p.Y) * (p.X - p.Y); p.Loss != want {
		t.Errorf("loss %v, want %v", p.Loss, want)
	}
}

func TestEvaluate(t *testing.T) {
	v, err := Evaluate("elu", map[string]any{"alpha": 2.0}, []any{-1.0, 0.0, []any{1.0}})
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	val, grad := m["value"].([]any), m["grad"].([]any)
	if val[1] != 0.0 || grad[1] != 2.0 || val[2].([]any)[0] != 1.0 {
		t.Errorf("elu: %v", m)
	}
	// E09: cross_entropy with logits [-inf, 0, 0], target 1
	v, err = Evaluate("cross_entropy", nil, map[string]any{"input": []any{[]any{math.Inf(-1), 0.0, 0.0}}, "target": []any{1.0}})
	if err != nil {
		t.Fatal(err)
	}
	m = v.(map[string]any)
	if l := m["loss"].(float64); math.Abs(l-math.Ln2) > 1e-15 {
		t.Errorf("cross_entropy loss = %v", l)
	}
	g := m["grad"].([]any)[0].([]any)
	if g[0] != 0.0 || math.Abs(g[1].(float64)+0.5) > 1e-15 || math.Abs(g[2].(float64)-0.5) > 1e-15 {
		t.Errorf("cross_entropy grad = %v", g)
	}
	v, err = Evaluate("mse_loss", map[string]any{}, map[string]any{"input": []any{1.0, 2.0}, "target": []any{0.0, 0.0}, "reduction": "none"})
	if err != nil {
		t.Fatal(err)
	}
	if l := v.(map[string]any)["loss"].([]any); l[0] != 1.0 || l[1] != 4.0 {
		t.Errorf("mse none = %v", l)
	}
	v, err = Evaluate("triplet_margin_loss", nil, map[string]any{"anchor": []any{[]any{0.0, 0.0}}, "positive": []any{[]any{1.0, 0.0}}, "negative": []any{[]any{0.0, 2.0}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := v.(map[string]any)["grad"].(map[string]any)["anchor"]; !ok {
		t.Errorf("triplet grad has no anchor: %v", v)
	}
	for _, c := range []struct {
		id     string
		params map[string]any
		x      any
		want   string
	}{
		{"celu", map[string]any{"alpha": 0.0}, []any{1.0}, "alpha cannot be 0"},
		{"elu", map[string]any{"foo": 1.0}, []any{1.0}, `unknown parameter "foo" for elu`},
		{"nope", nil, []any{1.0}, `unknown function "nope"`},
		{"mse_loss", nil, map[string]any{"input": []any{1.0}, "target": []any{1.0}, "reduction": "avg"}, "reduction must be one of"},
		{"mse_loss", nil, map[string]any{"input": []any{[]any{1.0}, []any{1.0, 2.0}}, "target": []any{1.0}}, "not rectangular"},
		{"mse_loss", nil, map[string]any{"input": []any{1.0}}, "mse_loss needs target"},
		{"elu", nil, "x", "must be a number or an array"},
	} {
		_, err := Evaluate(c.id, c.params, c.x)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Evaluate(%s, %v, %v) error = %v, want %q", c.id, c.params, c.x, err, c.want)
		}
	}
}

func TestFunctionsDescribeTheRegistry(t *testing.T) {
	fs := Functions()
	if len(fs) != len(core.All()) {
		t.Fatalf("%d functions, registry has %d", len(fs), len(core.All()))
	}
	for _, x := range fs {
		m := x.(map[string]any)
		f, ok := core.Lookup(m["id"].(string))
		if !ok || m["kind"] != string(f.Kind) || len(m["params"].([]any)) != len(f.Params) {
			t.Errorf("bad description %v", m)
		}
		if f.Kind == core.Loss && len(m["inputs"].([]any)) != len(f.Inputs) {
			t.Errorf("%s: inputs %v", f.ID, m["inputs"])
		}
		// Every function evaluates with its defaults through the API.
		var arg any = []any{-1.0, 0.5, 2.0}
		if f.Kind == core.VectorActivation {
			arg = []any{-1.0, 0.5, 2.0, 1.0}
		}
		if f.Kind == core.Loss {
			continue
		}
		if _, err := Evaluate(f.ID, nil, arg); err != nil {
			t.Errorf("%s: %v", f.ID, err)
		}
	}
}

func TestSnippet(t *testing.T) {
	a, _ := start(t, "f=elu&alpha=2")
	got := Snippet(&a.S)
	if got[0] != "nn.ELU(alpha=2.0)" || got[1] != "F.elu(x, alpha=2.0)" {
		t.Errorf("snippet = %q", got)
	}
	a, _ = start(t, "f=mse_loss&reduction=sum")
	if got := Snippet(&a.S); got[1] != "F.mse_loss(input, target, reduction='sum')" {
		t.Errorf("snippet = %q", got)
	}
}

func TestToTensorShapes(t *testing.T) {
	tt, err := toTensor("x", []any{[]any{1.0, 2.0, 3.0}, []any{4.0, 5.0, 6.0}})
	if err != nil || len(tt.Shape) != 2 || tt.Shape[0] != 2 || tt.Shape[1] != 3 || tt.Data[5] != 6 {
		t.Fatalf("%+v %v", tt, err)
	}
	back := fromTensor(tt).([]any)
	if back[1].([]any)[2] != 6.0 {
		t.Errorf("round trip %v", back)
	}
	if s, _ := toTensor("x", 3.0); len(s.Shape) != 0 || fromTensor(s) != 3.0 {
		t.Errorf("scalar %+v", s)
	}
}

func TestLossNotesAreShown(t *testing.T) {
	a, r := start(t, "f=kl_div&reduction=mean")
	if !hasMsg(r.msgs, "info", "batchmean") {
		t.Errorf("no kl_div note for reduction mean: %v", r.msgs)
	}
	_ = a
}

func TestSlowSurfaceIsCoarseWhileChanging(t *testing.T) {
	r := newRecorder()
	r.tick = 100 // every surface "takes" 100 ms: over budget
	a := NewApp(r, "f=mse_loss")
	a.Start()
	a.Frame()
	if r.lastNX != GridNX {
		t.Fatalf("first surface at %d, want full resolution %d", r.lastNX, GridNX)
	}
	a.SetViewText("t", "1", "t")
	a.Frame()
	a.SetViewText("t", "2", "t")
	a.Frame()
	if r.lastNX != CoarseN || len(r.timers) != 2 {
		t.Fatalf("while changing: surface at %d, %d timers", r.lastNX, len(r.timers))
	}
	r.timers[0]() // stale: a later change superseded it
	if a.requested {
		t.Fatalf("a stale refine timer requested a frame")
	}
	r.timers[1]()
	a.Frame()
	if r.lastNX != GridNX {
		t.Errorf("after the changes stop: surface at %d, want %d", r.lastNX, GridNX)
	}
}

func TestEmbedSnippet(t *testing.T) {
	a, _ := start(t, "f=elu&alpha=2&xmin=-2")
	got := EmbedSnippet("https://nnplay.example", &a.S)
	want := `<iframe src="https://nnplay.example/embed?f=elu&amp;alpha=2&amp;xmin=-2" title="nnplay: ELU" width="100%" height="760" style="border:0" loading="lazy"></iframe>`
	if got != want {
		t.Errorf("EmbedSnippet =\n%s\nwant\n%s", got, want)
	}
}

func TestViewText(t *testing.T) {
	a, r := start(t, "f=mse_loss")
	if err := a.SetViewText("t", "−1.5", "t"); err != nil || a.S.T != -1.5 {
		t.Fatalf("t: %v, T = %v", err, a.S.T)
	}
	if err := a.SetViewText("xmin", "5", "xmin"); err == nil || !strings.Contains(err.Error(), "xmin must be less than xmax") {
		t.Errorf("xmin 5: %v", err)
	}
	if r.fieldErrs["xmin"] == "" {
		t.Errorf("no message next to the x range")
	}
	if err := a.SetViewText("xmin", "-1", "xmin"); err != nil || a.S.XMin != -1 || r.fieldErrs["xmin"] != "" {
		t.Errorf("xmin -1: %v, XMin %v, message %q", err, a.S.XMin, r.fieldErrs["xmin"])
	}
	if err := a.SetViewText("t", "99", "t"); err == nil {
		t.Errorf("t outside the control's range accepted")
	}
}
