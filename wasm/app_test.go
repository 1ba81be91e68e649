package main

import (
	"math"
	"strconv"
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
	delays    []int    // and their delays (ms)
	lastNX    int      // size of the last surface
	built     string   // the shape of the controls built by the last Show, as a browser holds them
	stale     []string // Syncs of a state the built controls cannot show (a box too many or too few)
	pushes    int      // ReplaceURL calls with push (new history entries)
}

func newRecorder() *recorder { return &recorder{fieldErrs: map[string]string{}} }

func (r *recorder) Show(m Meta, s *view.State) {
	r.shown = append(r.shown, m.F.ID)
	r.built = controlShape(s)
	r.fieldErrs = map[string]string{} // the controls and their messages are new
}
func (r *recorder) Sync(s *view.State, skip string, ch view.Changes) {
	r.syncSkip = append(r.syncSkip, skip)
	if sh := controlShape(s); sh != r.built {
		r.stale = append(r.stale, "controls "+r.built+" synced with "+sh)
	}
}
func (r *recorder) FieldError(key, msg string) {
	if msg == "" {
		delete(r.fieldErrs, key)
	} else {
		r.fieldErrs[key] = msg
	}
}
func (r *recorder) Configure(v *view.View, out *view.Out) {}
func (r *recorder) Draw(v *view.View, out *view.Out) {
	switch v.ID {
	case "curves":
		r.curves++
		r.lastCurve = CurveInfo{XMin: out.NumOf("xmin"), XMax: out.NumOf("xmax"), T: out.NumOf("mark")}
		r.curveLen = len(out.FloatsOf("x"))
	case "vector":
		r.vectors++
		r.lastOut = append([]float64(nil), out.FloatsOf("output")...)
	case "surface":
		if z := out.FloatsOf("z"); z != nil {
			r.surfaces++
			r.lastNX = int(out.NumOf("nx"))
		}
		if p := out.NumOf("px"); p == p {
			r.points = append(r.points, PointInfo{X: p, Y: out.NumOf("py"), Loss: out.NumOf("loss"), DX: out.NumOf("dx"), DY: out.NumOf("dy")})
		}
	}
}

// CurveInfo and PointInfo are what the recorder keeps of a curves and a surface frame.
type CurveInfo struct{ XMin, XMax, T float64 }
type PointInfo struct{ X, Y, Loss, DX, DY float64 }

func (r *recorder) Messages(ms []Message) { r.msgs = append([]Message(nil), ms...) }
func (r *recorder) ReplaceURL(q string, push bool) {
	r.urls = append(r.urls, q)
	if push {
		r.pushes++
	}
}
func (r *recorder) RequestFrame() { r.frames++ }
func (r *recorder) Drawn(seq int) { r.drawn = seq }
func (r *recorder) Now() float64 {
	r.clock += r.tick
	return r.clock
}
func (r *recorder) After(ms int, fn func()) {
	r.timers = append(r.timers, fn)
	r.delays = append(r.delays, ms)
}

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
	if len(r.shown) != 1 || r.curves != 1 || r.curveLen != view.CurvePoints || r.drawn != a.Seq() {
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
	// A valid value is applied and the box is not rewritten while it is typed in.
	if err := a.SetParamText("alpha", "2.5", "alpha"); err != nil || a.S.P.Num[0] != 2.5 {
		t.Fatalf("alpha 2.5: %v, state %v", err, a.S.P.Num[0])
	}
	if r.syncSkip[len(r.syncSkip)-1] != "alpha" {
		t.Errorf("the typed box was resynchronised: skip %q", r.syncSkip[len(r.syncSkip)-1])
	}
	if r.fieldErrs["alpha"] != "" {
		t.Errorf("a message stays next to alpha: %q", r.fieldErrs["alpha"])
	}
}

// A typed value outside the slider's range is not applied (a link could not restore it):
// the message names the range and evaluate; the typed text stays (the box is not synced).
// setState rejects it with the same message, and non-finite values everywhere.
func TestOutOfRangeIsNotApplied(t *testing.T) {
	for _, c := range []struct{ f, name, text, want string }{
		{"elu", "alpha", "100000", "alpha = 100000 is outside this control's range, 0 to 3"},
		{"elu", "alpha", "Infinity", `alpha must be a finite number, got "Infinity"`},
		{"elu", "alpha", "1e999", `alpha must be a finite number, got "1e999"`},
		{"elu", "alpha", "-inf", `alpha must be a finite number, got "-inf"`},
		{"elu", "alpha", "NaN", `alpha must be a finite number, got "NaN"`},
		{"triplet_margin_loss", "p", "0.5", "p = 0.5 is outside this control's range, 1 to 5"},
		{"triplet_margin_loss", "eps", "-1", "eps = -1 is outside this control's range"},
	} {
		a, r := start(t, "f="+c.f)
		before := a.S.Query()
		syncs := len(r.syncSkip)
		err := a.SetParamText(c.name, c.text, c.name)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s=%s: err %v, want %q", c.f, c.name, c.text, err, c.want)
			continue
		}
		if a.S.Query() != before || len(r.syncSkip) != syncs || r.fieldErrs[c.name] != err.Error() {
			t.Errorf("%s %s=%s: state %s (was %s), %d syncs, field message %q", c.f, c.name, c.text, a.S.Query(), before, len(r.syncSkip)-syncs, r.fieldErrs[c.name])
		}
		if strings.Contains(c.want, "outside") && !strings.Contains(err.Error(), "nnplay.evaluate") {
			t.Errorf("the message does not mention evaluate: %v", err)
		}
	}
	a, _ := start(t, "f=elu")
	for _, v := range []any{100000.0, math.Inf(1), math.NaN(), "1e999"} {
		if _, err := a.ApplyState(map[string]any{"alpha": v}); err == nil {
			t.Errorf("setState alpha=%v accepted", v)
		}
	}
	_, err := a.ApplyState(map[string]any{"alpha": 100000.0})
	if err == nil || !strings.Contains(err.Error(), "alpha = 100000 is outside this control's range, 0 to 3") {
		t.Errorf("setState alpha=100000: %v", err)
	}
	if _, err := a.ApplyState(map[string]any{"f": "nll_loss", "weight": []any{1.0, 20.0, 1.0}}); err == nil || !strings.Contains(err.Error(), "weight[1] = 20 is outside") {
		t.Errorf("setState weight [1, 20, 1]: %v", err)
	}
	if _, err := a.ApplyState(map[string]any{"xmin": math.Inf(-1)}); err == nil || !strings.Contains(err.Error(), "finite") {
		t.Errorf("setState xmin=-inf: %v", err)
	}
}

// Whatever the controls accept, a link restores: Parse(Query()) gives the state back with no
// problem, for every parameter of every function set to its bounds and to typed values.
func TestAcceptedValuesRoundTrip(t *testing.T) {
	for _, f := range core.All() {
		for i := range f.Params {
			q := &f.Params[i]
			if q.Type != core.Real && q.Type != core.Int {
				continue
			}
			for _, v := range []float64{q.Min, q.Max, (q.Min + q.Max) / 2, q.Min - 1, q.Max + 1, q.Max * 10} {
				a, _ := start(t, "f="+f.ID)
				if a.SetParamText(q.Name, strconv.FormatFloat(v, 'g', -1, 64), q.Name) != nil {
					continue
				}
				s, probs := view.Parse(a.S.Query())
				if len(probs) > 0 || s.Query() != a.S.Query() {
					t.Errorf("%s %s=%v accepted but the link %q gives %v", f.ID, q.Name, v, a.S.Query(), probs)
				}
			}
		}
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
	seq, err := a.ApplyState(map[string]any{"f": "softplus", "beta": 5.0, "xmin": -1.0, "xmax": 1.0})
	if err != nil || seq != a.Seq() {
		t.Fatalf("seq %d err %v", seq, err)
	}
	got := StateMap(&a.S)
	if got["f"] != "softplus" || got["beta"] != 5.0 || got["threshold"] != 20.0 || a.S.XMin != -1 || a.S.XMax != 1 {
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
	if err := a.SetListText("x", -1, "add"); err != nil || len(a.S.In) != n+1 {
		t.Fatalf("add: %v, len %d", err, len(a.S.In))
	}
	if err := a.SetListText("x", 0, "x"); err == nil {
		t.Errorf("invalid element accepted")
	}
	a.SetListValue("x", 0, 1e9)
	if a.S.In[0] != view.InputLimit {
		t.Errorf("drag not clamped: %v", a.S.In[0])
	}
}

func TestLossDrawsSurfaceAndPoint(t *testing.T) {
	a, r := start(t, "f=mse_loss")
	if r.surfaces != 1 || len(r.points) != 1 || r.curves != 1 {
		t.Fatalf("surfaces %d points %d curves %d", r.surfaces, len(r.points), r.curves)
	}
	a.Drag("px", 100, "py", -100) // clamped to the axes
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

func TestTargetChangeSkipsSurfaceThatIgnoresT(t *testing.T) {
	a, r := start(t, "f=mse_loss")
	if !a.S.F.Surface.IgnoresT {
		t.Fatalf("mse_loss's surface is expected to ignore t")
	}
	surfaces, points, curves := r.surfaces, len(r.points), r.curves
	if err := a.SetViewText("t", "1.5", "t"); err != nil {
		t.Fatal(err)
	}
	a.Frame()
	if r.surfaces != surfaces || len(r.points) != points || r.curves != curves+1 {
		t.Errorf("after a t change: surfaces %d (was %d), points %d (was %d), curves %d (was %d)",
			r.surfaces, surfaces, len(r.points), points, r.curves, curves)
	}

	a, r = start(t, "f=cross_entropy")
	if a.S.F.Surface.IgnoresT {
		t.Fatalf("cross_entropy's surface is expected to depend on t")
	}
	surfaces = r.surfaces
	if err := a.SetViewText("t", "1", "t"); err != nil {
		t.Fatal(err)
	}
	a.Frame()
	if r.surfaces != surfaces+1 {
		t.Errorf("cross_entropy: a t change drew %d surfaces, want 1", r.surfaces-surfaces)
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
		if _, err := core.Evaluate(f.ID, nil, arg); err != nil {
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

func TestLossNotesAreShown(t *testing.T) {
	a, r := start(t, "f=kl_div&reduction=mean")
	if !hasMsg(r.msgs, "info", "batchmean") {
		t.Errorf("no kl_div note for reduction mean: %v", r.msgs)
	}
	_ = a
}

func TestSlowSurfaceIsCoarseWhileChanging(t *testing.T) {
	r := newRecorder()
	r.tick = 100                      // every surface "takes" 100 ms: over budget
	a := NewApp(r, "f=cross_entropy") // its surface depends on the target t
	a.Start()
	a.Frame()
	// the first surface of a function is coarse, the full one follows at once
	if r.lastNX != view.CoarseN || len(r.timers) != 1 || r.delays[0] != 0 {
		t.Fatalf("first surface at %d with %d timers (delays %v), want %d and a refine at once", r.lastNX, len(r.timers), r.delays, view.CoarseN)
	}
	r.timers[0]()
	a.Frame()
	if r.lastNX != view.GridNX {
		t.Fatalf("the refine drew %d, want full resolution %d", r.lastNX, view.GridNX)
	}
	r.timers = nil
	a.SetViewText("t", "1", "t")
	a.Frame()
	a.SetViewText("t", "2", "t")
	a.Frame()
	if r.lastNX != view.CoarseN || len(r.timers) != 2 || r.delays[len(r.delays)-1] != view.RefineMs {
		t.Fatalf("while changing: surface at %d, %d timers (delays %v), want the refine after %d ms", r.lastNX, len(r.timers), r.delays, view.RefineMs)
	}
	r.timers[0]() // stale: a later change superseded it
	if a.requested {
		t.Fatalf("a stale refine timer requested a frame")
	}
	r.timers[1]()
	a.Frame()
	if r.lastNX != view.GridNX {
		t.Errorf("after the changes stop: surface at %d, want %d", r.lastNX, view.GridNX)
	}
}

func TestEmbedSnippet(t *testing.T) {
	a, _ := start(t, "f=elu&alpha=2&xmin=-2")
	got := EmbedSnippet("https://nnplay.example", &a.S)
	want := `<iframe src="https://nnplay.example/embed?f=elu&amp;alpha=2&amp;xmin=-2" title="nnplay: ELU" width="100%" height="560" style="border:0" loading="lazy"></iframe>`
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

// After Reset, setState and a function switch every editor shows the state: controls built
// for another length (five input boxes for a four-element default, 0 0 0 weight boxes for
// None) are rebuilt, never synced.
func TestEditorsFollowTheState(t *testing.T) {
	for _, c := range []struct {
		query string
		op    func(a *App) error
	}{
		{"f=softmax&x=1,2,3,4,5", func(a *App) error { a.Reset(); return nil }},
		{"f=softmax&x=5", func(a *App) error { a.Reset(); return nil }},
		{"f=nll_loss&weight=0,0,0", func(a *App) error { a.Reset(); return nil }},
		{"f=softmax", func(a *App) error { _, err := a.ApplyState(map[string]any{"x": []any{1.0, 2.0}}); return err }},
		{"f=nll_loss", func(a *App) error {
			_, err := a.ApplyState(map[string]any{"weight": []any{1.0, 2.0, 3.0, 4.0}})
			return err
		}},
		{"f=nll_loss&weight=1,2", func(a *App) error { _, err := a.ApplyState(map[string]any{"weight": nil}); return err }},
		{"f=nll_loss&weight=1,2", func(a *App) error { _, err := a.ApplyState(map[string]any{"f": "cross_entropy"}); return err }},
		{"f=softmax", func(a *App) error { return a.SetFunc("glu") }},
		{"f=softmax", func(a *App) error { return a.SetListText("x", -1, "add") }},
		{"f=nll_loss", func(a *App) error { return a.SetVectorParam("weight", -1, "add") }},
	} {
		a, r := start(t, c.query)
		if err := c.op(a); err != nil {
			t.Errorf("%s: %v", c.query, err)
			continue
		}
		a.Frame()
		if len(r.stale) > 0 || r.built != controlShape(&a.S) {
			t.Errorf("%s: stale editors: %v; built %s, state %s", c.query, r.stale, r.built, controlShape(&a.S))
		}
	}
	// Typing into the box of an element that exists after Reset works.
	a, r := start(t, "f=softmax&x=1,2,3,4,5")
	a.Reset()
	a.Frame()
	if err := a.SetListText("x", len(a.S.In)-1, "7"); err != nil || a.S.In[len(a.S.In)-1] != 7 || len(r.stale) > 0 {
		t.Errorf("typing into the last box after Reset: %v, %v, %v", err, a.S.In, r.stale)
	}
}

// A message about a field goes when its condition does: "x[1] is empty" after the editor is
// rebuilt from the state, an invalid alpha after the slider moves.
func TestStaleMessagesAreCleared(t *testing.T) {
	a, r := start(t, "f=softmax")
	if a.SetListText("x", 1, "") == nil || r.fieldErrs["x.1"] == "" {
		t.Fatalf("no message for an empty x[1]")
	}
	a.SetListText("x", -1, "remove")
	a.SetListText("x", -1, "add")
	a.Frame()
	if r.fieldErrs["x.1"] != "" || hasMsg(r.msgs, "error", "x[1]") {
		t.Errorf("x[1]'s message stays: %q %v", r.fieldErrs["x.1"], r.msgs)
	}
	a, r = start(t, "f=elu")
	a.SetParamText("alpha", "abc", "alpha")
	a.SetParamText("alpha", "1.5", "")
	a.Frame()
	if r.fieldErrs["alpha"] != "" || len(r.msgs) != 0 {
		t.Errorf("alpha's message stays after the slider moved: %q %v", r.fieldErrs["alpha"], r.msgs)
	}
	// The link's problem about alpha goes once alpha is set.
	a, r = start(t, "f=elu&alpha=zz")
	a.SetParamText("alpha", "2", "alpha")
	a.Frame()
	if hasMsg(r.msgs, "warn", "alpha") {
		t.Errorf("the link's message about alpha stays: %v", r.msgs)
	}
}

// A bad link is replaced by the canonical query of what is shown; the message stays.
func TestBadLinkIsReplaced(t *testing.T) {
	for _, c := range []struct{ query, want, msg string }{
		{"f=nope", "", `unknown function "nope"`},
		{"f=elu&alpha=100000", "f=elu", "alpha must be a number from 0 to 3"},
		{"f=cross_entropy&t=9", "f=cross_entropy", "out of bounds for 3 classes"},
	} {
		_, r := start(t, c.query)
		if len(r.urls) != 1 || r.urls[0] != c.want {
			t.Errorf("%s: urls %q, want %q", c.query, r.urls, c.want)
		}
		if !hasMsg(r.msgs, "warn", c.msg) {
			t.Errorf("%s: messages %v lack %q", c.query, r.msgs, c.msg)
		}
	}
}

// Typing xmin=10 then xmax=20 goes from -4..4 to 10..20: the first bound waits for the second.
func TestXRangePair(t *testing.T) {
	a, r := start(t, "f=relu")
	if err := a.SetViewText("xmin", "10", "xmin"); err == nil || a.S.XMin != -4 || r.fieldErrs["xmin"] == "" {
		t.Fatalf("xmin 10 alone: %v, XMin %v, message %q", err, a.S.XMin, r.fieldErrs["xmin"])
	}
	if err := a.SetViewText("xmax", "20", "xmax"); err != nil || a.S.XMin != 10 || a.S.XMax != 20 {
		t.Fatalf("then xmax 20: %v, range %v..%v", err, a.S.XMin, a.S.XMax)
	}
	if r.fieldErrs["xmin"] != "" || r.fieldErrs["xmax"] != "" {
		t.Errorf("messages stay: %v", r.fieldErrs)
	}
	// A pair that is still invalid keeps both the pending value and the message.
	a, r = start(t, "f=relu")
	a.SetViewText("xmin", "10", "xmin")
	if err := a.SetViewText("xmax", "8", "xmax"); err == nil || a.S.XMin != -4 || a.S.XMax != 4 {
		t.Errorf("xmin 10, xmax 8 applied: %v %v..%v", err, a.S.XMin, a.S.XMax)
	}
	if err := a.SetViewText("xmax", "12", "xmax"); err != nil || a.S.XMin != 10 || a.S.XMax != 12 {
		t.Errorf("then xmax 12: %v %v..%v", err, a.S.XMin, a.S.XMax)
	}
	// A range narrower than the minimum width says so, with the number.
	a, _ = start(t, "f=relu")
	a.SetViewText("xmin", "0", "xmin")
	err := a.SetViewText("xmax", "1e-300", "xmax")
	if err == nil || !strings.Contains(err.Error(), "at least 1e-09 wide") {
		t.Errorf("0..1e-300: %v", err)
	}
	if err := a.SetViewText("xmax", "1e-9", "xmax"); err != nil || a.S.XMax != 1e-9 {
		t.Errorf("0..1e-9: %v", err)
	}
}

// Func.Code and Func.Torch drive the snippet and the header; nil and "" are the defaults.
func TestSnippetTemplates(t *testing.T) {
	f := &core.Func{ID: "zz_snip", Class: "ZZSnip", Name: "snip", Kind: core.Activation,
		Params: []core.Param{
			{Name: "values", Type: core.Real, Default: 0.5, Min: 0, Max: 1},
			{Name: "k", Type: core.Real, Default: 1, Min: 0, Max: 3},
		},
		Torch: "torch.heaviside",
		Code:  []string{"torch.heaviside({inputs}, torch.tensor({values}))", "g({inputs}, {kw})", "h({kw})"},
	}
	s := view.Default(f)
	got := Snippet(&s)
	want := []string{"torch.heaviside(x, torch.tensor(0.5))", "g(x)", "h()"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("defaults: %q, want %q", got, want)
	}
	s.P.Num[0], s.P.Num[1] = 1, 2
	got = Snippet(&s)
	want = []string{"torch.heaviside(x, torch.tensor(1.0))", "g(x, values=1.0, k=2.0)", "h(values=1.0, k=2.0)"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changed: %q, want %q", got, want)
	}
	if TorchName(f) != "torch.heaviside" {
		t.Errorf("TorchName = %q", TorchName(f))
	}
	f.Torch, f.Code = "", nil
	if TorchName(f) != "nn.ZZSnip · F.zz_snip" || strings.Join(Snippet(&s), "\n") != "nn.ZZSnip(values=1.0, k=2.0)\nF.zz_snip(x, values=1.0, k=2.0)" {
		t.Errorf("defaults: %q %q", TorchName(f), Snippet(&s))
	}
}

func TestBoxNum(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{{-1e6, "-1e6"}, {1e-9, "1e-9"}, {0.5, "0.5"}, {-999999, "-999999"}, {2.5e21, "2.5e21"}, {1.2345678912, "1.2345678912"}} {
		if got := boxNum(c.v); got != c.want {
			t.Errorf("boxNum(%v) = %q, want %q", c.v, got, c.want)
		}
		if v, err := parseNumber("x", boxNum(c.v)); err != nil || v != c.v {
			t.Errorf("boxNum(%v) does not read back: %v %v", c.v, v, err)
		}
	}
}

// core's messages quote user text cut where the URL's messages cut it (view.MaxShownLen bytes,
// then "…"): core cannot import view, so it keeps its own copy of the length.
func TestCoreClipsAsView(t *testing.T) {
	long := strings.Repeat("k", view.MaxShownLen+10)
	if got, want := core.Describe(long), strconv.Quote(long[:view.MaxShownLen]+"…"); got != want {
		t.Errorf("core.Describe(%d bytes) = %s, want %s", len(long), got, want)
	}
}

// A dragged surface point is stored with 4 significant digits of the axis span.
func TestPointIsRounded(t *testing.T) {
	a, r := start(t, "f=mse_loss")
	a.Drag("px", 2.3999999515594, "py", -1.00000123)
	a.Frame()
	if a.S.PX != 2.4 || a.S.PY != -1 || !strings.Contains(r.urls[len(r.urls)-1], "px=2.4&") {
		t.Errorf("point %v %v, url %q", a.S.PX, a.S.PY, r.urls)
	}
}

// Dragging the point past an axis whose end is not a round number (cosine_embedding_loss's
// θ = ±π) stops it at the end: rounding the clamped π to 3.1416 must not leave it off the axis.
func TestSetPointReachesAxisEnds(t *testing.T) {
	a, r := start(t, "f=cosine_embedding_loss")
	sf := a.S.F.Surface
	a.Drag("px", 100, "py", -100)
	a.Frame()
	p := r.points[len(r.points)-1]
	if a.S.PX != sf.X.Max || a.S.PY != sf.Y.Min || p.X != sf.X.Max {
		t.Errorf("point (%v, %v), drawn at %v; want the corner (%v, %v)", a.S.PX, a.S.PY, p.X, sf.X.Max, sf.Y.Min)
	}
	a.Drag("px", -100, "py", 100)
	if a.S.PX != sf.X.Min || a.S.PY != sf.Y.Max {
		t.Errorf("point (%v, %v), want the corner (%v, %v)", a.S.PX, a.S.PY, sf.X.Min, sf.Y.Max)
	}
}

// Picking another function keeps a parameter of the same name and a valid value, the x range
// between activations, and pushes a history entry (issue 9); a slider move replaces it.
func TestSwitchKeepsAndPushes(t *testing.T) {
	a, r := start(t, "?f=elu&alpha=2&xmin=-2&xmax=3")
	if err := a.SetFunc("celu"); err != nil {
		t.Fatal(err)
	}
	a.Frame()
	if a.S.F.ID != "celu" || a.S.P.Num[a.S.F.ParamIndex("alpha")] != 2 || a.S.XMin != -2 || a.S.XMax != 3 {
		t.Fatalf("after the switch: %s alpha %v x [%v, %v]", a.S.F.ID, a.S.P.Num, a.S.XMin, a.S.XMax)
	}
	if r.pushes != 1 || r.urls[len(r.urls)-1] != "f=celu&alpha=2&xmin=-2&xmax=3" {
		t.Fatalf("pushes %d, urls %v", r.pushes, r.urls)
	}
	if err := a.SetParamText("alpha", "1.5", ""); err != nil {
		t.Fatal(err)
	}
	a.Frame()
	if r.pushes != 1 {
		t.Errorf("a slider move pushed a history entry")
	}
	// Back: the previous query is shown again
	a.LoadQuery("?f=elu&alpha=2&xmin=-2&xmax=3")
	a.Frame()
	if a.S.F.ID != "elu" || a.S.P.Num[0] != 2 {
		t.Errorf("after Back: %s %v", a.S.F.ID, a.S.P.Num)
	}
	// a loss over another quantity does not take the activation's x range
	if err := a.SetFunc("binary_cross_entropy"); err != nil {
		t.Fatal(err)
	}
	if a.S.XMin != 0 || a.S.XMax != 1 {
		t.Errorf("binary_cross_entropy took x range [%v, %v], want its own [0, 1]", a.S.XMin, a.S.XMax)
	}
}

// The comparison: pin, a series' parameter, the URL and the API agree.
func TestCompareSeries(t *testing.T) {
	a, r := start(t, "?f=sigmoid")
	if err := a.PinSeries(); err != nil {
		t.Fatal(err)
	}
	if err := a.SetSeriesFunc(0, "softplus"); err != nil {
		t.Fatal(err)
	}
	if err := a.SetSeriesParam(0, "beta", "2"); err != nil {
		t.Fatal(err)
	}
	if err := a.SetSeriesParam(0, "beta", "1e9"); err == nil {
		t.Errorf("beta 1e9 (outside the slider) was accepted")
	}
	a.Frame()
	if q := URLQuery(&a.S); q != "f=sigmoid&cmp=softplus,beta:2" {
		t.Fatalf("URL %q", q)
	}
	_ = r
	s, probs := view.Parse("f=sigmoid&cmp=softplus,beta:2")
	if len(probs) != 0 || len(s.Cmp) != 1 || s.Cmp[0].F.ID != "softplus" || s.Cmp[0].P.Num[0] != 2 {
		t.Fatalf("Parse: %+v %+v", s.Cmp, probs)
	}
	if _, err := a.ApplyState(map[string]any{"cmp": []any{map[string]any{"f": "tanh"}, map[string]any{"f": "mse_loss"}}}); err == nil {
		t.Errorf("a loss was accepted beside an activation")
	}
	if _, err := a.ApplyState(map[string]any{"cmp": []any{map[string]any{"f": "tanh"}}}); err != nil {
		t.Fatal(err)
	}
	m := StateMap(&a.S)["cmp"].([]any)
	if len(m) != 1 || m[0].(map[string]any)["f"] != "tanh" {
		t.Errorf("state().cmp = %v", m)
	}
	if err := a.RemoveSeries(0); err != nil || len(a.S.Cmp) != 0 {
		t.Errorf("RemoveSeries: %v %d", err, len(a.S.Cmp))
	}
}
