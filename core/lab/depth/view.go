package depth

import (
	"math"
	"strconv"
	"strings"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// The depth lab (?lab=depth): one view, "depth", whose renderer (web/src/depth.js) draws the
// signal's density per layer, the dead units, the gradient's size and the linear collapse.
// The mean-field theory is computed at once on every change; the sample follows in steps of
// at most SliceMs, between frames, so that the page stays responsive at any size.
//
// URL keys (besides f and the activation's parameters): depth, width, batch, seed, init,
// gain, nonlinearity, a, sigma_w, sigma_b, bias_mean, bias_std, and vs (a pinned second
// configuration, as the query of what differs: "f=selu&init=lecun_normal").

// SliceMs is the most main-thread time one step of the sample's computation takes; between
// steps the page handles input and draws. ProgressMs is how often the progress bar is redrawn
// meanwhile (each redraw costs a frame's drawing, which the sample then waits for).
const (
	SliceMs    = 6
	ProgressMs = 120
)

// Lab is the depth lab's page.
var Lab = &view.Lab{
	ID: "depth", Title: "The depth lab",
	Doc:     "A batch of standard normal inputs through a stack of fully connected layers: what the activation and the initialisation do to the signal and to the gradient, layer after layer, with the mean-field theory beside the sample.",
	Applies: func(f *core.Func) bool { return f.Kind == core.Activation && f.Scalar != nil },
	Default: "relu",
	Presets: []view.Preset{
		{ID: "sigmoid", Name: "Sigmoid, vanishing", Doc: "sigmoid at depth 20 with PyTorch's default nn.Linear init: the gradient shrinks about sevenfold per layer",
			Query: "f=sigmoid"},
		{ID: "tanh", Name: "Tanh with Xavier", Doc: "tanh with xavier_normal (gain 1): σ_w² = 1, the edge of chaos; the signal narrows slowly and the gradient changes by a few times over 20 layers, where sigmoid's loses 16 orders of magnitude",
			Query: "f=tanh&init=xavier_normal"},
		{ID: "dying", Name: "ReLU dying", Doc: "ReLU with kaiming_normal and a bias mean of −0.3, against the same network with bias 0: the negative bias kills more units layer after layer until none is left",
			Query: "f=relu&init=kaiming_normal&nonlinearity=relu&bias_mean=-0.3&vs=bias_mean%3D0"},
		{ID: "leaky", Name: "Leaky ReLU survives", Doc: "Leaky ReLU (slope 0.2) with the same negative bias, against ReLU: no unit dies and the gradient keeps a path to the first layer",
			Query: "f=leaky_relu&negative_slope=0.2&init=kaiming_normal&a=0.2&bias_mean=-0.3&vs=f%3Drelu%26nonlinearity%3Drelu%26a%3D0"},
		{ID: "selu", Name: "SELU fixed point", Doc: "SELU with lecun_normal: mean 0 and variance 1 from layer to layer, against ReLU with kaiming_normal",
			Query: "f=selu&depth=30&init=lecun_normal&vs=f%3Drelu%26init%3Dkaiming_normal%26nonlinearity%3Drelu"},
		{ID: "linear", Name: "Linear collapse", Doc: "the identity at depth 20: the whole network is one linear layer",
			Query: "f=linear&init=xavier_normal"},
		{ID: "gelu", Name: "GELU", Doc: "GELU with kaiming_normal (relu gain) at depth 20",
			Query: "f=gelu&init=kaiming_normal&nonlinearity=relu"},
	},
}

func scope(*core.Func) string { return "depth" }

func intKey(name, label, doc string, lo, hi, def float64, step float64) *view.Key {
	return &view.Key{Name: name, Label: label, Doc: doc, Type: view.Integer, Control: view.SliderBox, Step: step,
		Range:   func(*view.State) (float64, float64) { return lo, hi },
		Default: func(*core.Func) float64 { return def }, Scope: scope}
}

func numKey(name, label, doc string, lo, hi, def, step float64, shown func(s *view.State) bool) *view.Key {
	return &view.Key{Name: name, Label: label, Doc: doc, Type: view.Number, Control: view.SliderBox, Step: step,
		Range:   func(*view.State) (float64, float64) { return lo, hi },
		Default: func(*core.Func) float64 { return def }, Scope: scope, Shown: shown}
}

// initIs reports whether the state's init is one of names.
func initIs(names ...string) func(s *view.State) bool {
	return func(s *view.State) bool {
		n := initName(s)
		for _, m := range names {
			if n == m {
				return true
			}
		}
		return false
	}
}

func initName(s *view.State) string {
	i := int(s.Number("init"))
	if i < 0 || i >= len(InitNames) {
		return InitNames[0]
	}
	return InitNames[i]
}

var nonlinearities = []string{"relu", "leaky_relu"}

var (
	keyDepth = intKey("depth", "depth", "the number of layers (1 to 50)", MinDepth, MaxDepth, 20, 1)
	keyWidth = intKey("width", "width", "units per layer, and the inputs' dimension (8 to 512)", MinWidth, MaxWidth, 64, 1)
	keyBatch = intKey("batch", "batch", "standard normal input vectors (16 to 1024)", MinBatch, MaxBatch, 256, 1)
	keySeed  = &view.Key{Name: "seed", Label: "seed", Doc: "the random generator's seed: the same link draws the same inputs and weights",
		Type: view.Integer, Control: view.Box,
		Range:   func(*view.State) (float64, float64) { return 0, 1<<31 - 1 },
		Default: func(*core.Func) float64 { return 1 }, Scope: scope}
	keyInit = &view.Key{Name: "init", Label: "init", Type: view.Choice, Control: view.Select, Choices: InitNames,
		Doc:     "the weights' initialisation (torch.nn.init); default is nn.Linear's own: kaiming_uniform(a=√5), bias U(±1/√fan_in)",
		Default: func(*core.Func) float64 { return 0 }, Scope: scope}
	keyGain = numKey("gain", "gain", "the init's gain (PyTorch's default 1; calculate_gain gives 5/3 for tanh, √2 for relu, 3/4 for selu)",
		0, 4, 1, 0.05, initIs("xavier_uniform", "xavier_normal", "orthogonal"))
	keyNonlin = &view.Key{Name: "nonlinearity", Label: "nonlinearity", Type: view.Choice, Control: view.Select, Choices: nonlinearities,
		Doc:     "kaiming's gain: √2 for relu, √(2/(1+a²)) for leaky_relu (PyTorch's default leaky_relu with a = 0, the same as relu)",
		Default: func(*core.Func) float64 { return 1 }, Scope: scope, Shown: initIs("kaiming_uniform", "kaiming_normal")}
	keyA = numKey("a", "a", "kaiming's negative slope a for leaky_relu (PyTorch's default 0)", 0, 1, 0, 0.01,
		func(s *view.State) bool {
			return initIs("kaiming_uniform", "kaiming_normal")(s) && int(s.Number("nonlinearity")) == 1
		})
	keySigmaW = numKey("sigma_w", "σ_w", "custom init: weights N(0, σ_w²/fan_in)", 0, 4, 1, 0.01, initIs("custom"))
	keySigmaB = numKey("sigma_b", "σ_b", "custom init: the biases' standard deviation", 0, 2, 0, 0.01, initIs("custom"))
	keyBMean  = numKey("bias_mean", "bias mean", "added to every bias: a negative mean is how ReLUs die", -3, 3, 0, 0.05, nil)
	keyBStd   = numKey("bias_std", "bias std", "the biases' standard deviation, N(bias mean, bias std²) (PyTorch's inits leave the bias to you: 0 is zeros_)", 0, 2, 0, 0.01,
		func(s *view.State) bool { n := initName(s); return n != "default" && n != "custom" })
	keyVS = &view.Key{Name: "vs", Label: "Pin this configuration", Type: view.Text, Control: view.Pinned,
		Doc: "compare: pin what you see, then change the settings; the pinned network is drawn beside it", Scope: scope}
)

// keys are the lab's keys in URL order.
var keys = []*view.Key{keyDepth, keyWidth, keyBatch, keySeed, keyInit, keyGain, keyNonlin, keyA, keySigmaW, keySigmaB, keyBMean, keyBStd, keyVS}

// shared are the keys both configurations of a comparison share (the network's shape and
// the draw): a pin leaves them out.
var shared = map[string]bool{"depth": true, "width": true, "batch": true, "seed": true, "vs": true}

func init() {
	keyVS.Check, keyVS.Pin, keyVS.Swap, keyVS.Describe = checkVS, pinVS, swapVS, describeVS
	view.RegisterLab(Lab)
	view.RegisterView(&view.View{
		ID: "depth", Renderer: "depth", Order: 10, Lab: "depth",
		Title:   "a signal and its gradient through a stack of layers: density, dead units, gradient size, linear collapse, with the mean-field theory",
		Applies: Lab.Applies,
		Keys:    keys,
		New:     func(env view.Env) view.Instance { return &depthView{env: env} },
	})
}

// ConfigOf returns the network the state s describes.
func ConfigOf(s *view.State) Config {
	in := Init{
		Name: initName(s), Gain: s.Number("gain"), A: s.Number("a"), Nonlinearity: nonlinearities[clampIdx(s.Number("nonlinearity"), 2)],
		SigmaW: s.Number("sigma_w"), SigmaB: s.Number("sigma_b"), BiasMean: s.Number("bias_mean"), BiasStd: s.Number("bias_std"),
	}
	return Config{F: s.F, P: s.P, Init: in, Depth: int(s.Number("depth")), Width: int(s.Number("width")),
		Batch: int(s.Number("batch")), Seed: uint64(s.Number("seed"))}
}

func clampIdx(v float64, n int) int { return min(max(int(v), 0), n-1) }

// Pinned returns the state of the pinned configuration of s (ok false when there is none):
// s with what vs says differs.
func Pinned(s *view.State) (b view.State, ok bool, err error) {
	vs := keyVS.TextValue(s)
	if vs == "" {
		return view.State{}, false, nil
	}
	b, err = pinnedState(s, vs)
	return b, err == nil, err
}

func pinnedState(s *view.State, vs string) (view.State, error) {
	base := s.Clone()
	base.SetText("vs", "") //nolint: the key applies; clearing cannot fail
	// vs's fields first: Parse keeps the first value of a key given twice
	b, probs := view.Parse("lab=depth&" + vs + "&" + base.Query())
	given := map[string]bool{}
	for _, f := range strings.Split(vs, "&") {
		k, _, _ := strings.Cut(f, "=")
		given[k] = true
	}
	for _, p := range probs {
		// only what vs says can be wrong: a field of the shown configuration that the pinned
		// one overrides (a key given twice) or does not take (a parameter of another function)
		if !given[p.Key] || strings.Contains(p.Msg, "more than once") {
			continue
		}
		return b, &core.ParamError{Param: "vs", Msg: "the pinned configuration: " + p.Msg}
	}
	for _, f := range strings.Split(vs, "&") {
		k, _, _ := strings.Cut(f, "=")
		if shared[k] {
			return b, &core.ParamError{Param: "vs", Msg: "the pinned configuration shares " + k + " with the one shown: leave it out of vs"}
		}
		if k == "lab" {
			return b, &core.ParamError{Param: "vs", Msg: "the pinned configuration is in the same lab: leave lab out of vs"}
		}
	}
	return b, nil
}

func checkVS(s *view.State) error {
	vs := keyVS.TextValue(s)
	if vs == "" {
		return nil
	}
	_, err := pinnedState(s, vs)
	return err
}

// pinVS is what pins the configuration s shows: its query's fields that differ from the
// lab's defaults, without the shared ones.
func pinVS(s *view.State) string {
	q := s.Clone()
	q.SetText("vs", "")
	var out []string
	for _, f := range strings.Split(q.Query(), "&") {
		k, _, _ := strings.Cut(f, "=")
		if shared[k] || k == "lab" {
			continue
		}
		out = append(out, f)
	}
	return strings.Join(out, "&")
}

// swapVS shows the pinned configuration and pins the one shown.
func swapVS(s *view.State) (view.State, error) {
	b, ok, err := Pinned(s)
	if err != nil {
		return *s, err
	}
	if !ok {
		return *s, &core.ParamError{Param: "vs", Msg: "nothing is pinned"}
	}
	if err := b.SetText("vs", pinVS(s)); err != nil {
		return *s, err
	}
	return b, nil
}

func describeVS(s *view.State) string {
	b, ok, err := Pinned(s)
	if err != nil {
		return err.Error()
	}
	if !ok {
		return ""
	}
	return "pinned: " + Label(&b)
}

// Label names a configuration in a few words: "ReLU, kaiming_normal, bias mean −1.5".
func Label(s *view.State) string {
	c := ConfigOf(s)
	var b strings.Builder
	b.WriteString(s.F.Name)
	for i, q := range s.F.Params {
		if q.Type == core.Real || q.Type == core.Int {
			if s.P.Num[i] != q.Default {
				b.WriteString(" " + q.Name + "=" + core.ShortNum(s.P.Num[i]))
			}
		}
	}
	b.WriteString(", " + c.Init.Name)
	switch c.Init.Name {
	case "xavier_uniform", "xavier_normal", "orthogonal":
		if c.Init.Gain != 1 {
			b.WriteString(" gain " + core.ShortNum(c.Init.Gain))
		}
	case "kaiming_uniform", "kaiming_normal":
		b.WriteString(" (" + c.Init.Nonlinearity + ")")
	case "custom":
		b.WriteString(" σ_w=" + core.ShortNum(c.Init.SigmaW) + " σ_b=" + core.ShortNum(c.Init.SigmaB))
	}
	if c.Init.BiasMean != 0 {
		b.WriteString(", bias mean " + core.ShortNum(c.Init.BiasMean))
	}
	return b.String()
}

// depthView is the lab's instance: the theory and two runners (the configuration shown and
// the pinned one).
type depthView struct {
	env  view.Env
	a, b side
	cmp  bool
	busy bool // a step is scheduled
	err  error
	gen  int // bumped on every change: a scheduled step of an older one does nothing
	// when the progress bar was last drawn
	lastProgress float64
}

// side is one configuration: its theory and its runner.
type side struct {
	cfg    Config
	th     TheoryOut
	run    Runner
	ready  bool // the runner's result belongs to cfg
	label  string
	diag   string
	thNote string
}

func (v *depthView) Configure(s *view.State, out *view.Out) {
	out.Str("fname", s.F.Name)
	out.Str("torch", "nn."+s.F.Class)
}

// Update recomputes the theory at once when the settings change and restarts the sample, which
// then advances in steps between frames (Env.After) and asks for a redraw when it is done.
func (v *depthView) Update(s *view.State, ch view.Changes, out *view.Out) bool {
	if ch&^view.ChRefine != 0 {
		v.err = nil
		v.gen++
		v.a.cfg = ConfigOf(s)
		if err := v.a.cfg.Check(); err != nil {
			v.err = err
		}
		b, ok, err := Pinned(s)
		v.cmp = ok && err == nil
		if v.cmp {
			v.b.cfg = ConfigOf(&b)
			v.b.label = Label(&b)
			if err := v.b.cfg.Check(); err != nil {
				v.cmp = false
			}
		}
		v.a.label = Label(s)
		if v.err == nil {
			v.a.theory()
			v.a.run.Reset(v.a.cfg)
			v.a.ready = false
			if v.cmp {
				v.b.theory()
				v.b.run.Reset(v.b.cfg)
				v.b.ready = false
			}
			v.lastProgress = v.env.Now()
			v.schedule()
		}
	}
	if v.err != nil {
		return false
	}
	v.write(out)
	return true
}

// schedule runs one step of the sample soon (a new macrotask: input events and frames go
// between steps).
func (v *depthView) schedule() {
	if v.busy {
		return
	}
	v.busy = true
	gen := v.gen
	v.env.After(0, func() {
		v.busy = false
		if gen != v.gen {
			v.schedule()
			return
		}
		v.step()
	})
}

func (v *depthView) step() {
	deadline := v.env.Now() + SliceMs
	stop := func() bool { return v.env.Now() >= deadline }
	if !v.a.ready {
		if v.a.run.Step(stop) {
			v.a.finish()
		}
	}
	if v.a.ready && v.cmp && !v.b.ready && !stop() {
		if v.b.run.Step(stop) {
			v.b.finish()
		}
	}
	if v.a.ready && (!v.cmp || v.b.ready) {
		v.env.Invalidate(view.ChRefine)
		return
	}
	if now := v.env.Now(); now-v.lastProgress >= ProgressMs {
		v.lastProgress = now
		v.env.Invalidate(view.ChRefine) // the progress bar
	}
	v.schedule()
}

func (sd *side) theory() {
	c := &sd.cfg
	f, p := c.F, c.P
	Theory(TheoryIn{
		Act:     func(x float64) (float64, float64) { return f.Scalar(p, x) },
		SigmaW2: c.Init.SigmaW2(c.Width, c.Width), BiasMean: c.Init.BiasMean, BiasVar: c.Init.BiasVar(c.Width),
		Depth: c.Depth, Q0: 1, Units: float64(c.Batch * c.Width),
	}, &sd.th)
}

func (sd *side) finish() {
	sd.ready = true
	sd.diag = Diagnose(sd.run.Result(), &sd.th)
	sd.thNote = theoryNote(&sd.cfg, sd.run.Result(), &sd.th)
}

// write names what the renderer draws (web/src/depth.js documents the data).
func (v *depthView) write(out *view.Out) {
	v.a.write(out, "", v.a.cfg.Depth)
	out.Bool("cmp", v.cmp)
	if v.cmp {
		v.b.write(out, "b_", v.a.cfg.Depth)
		out.Str("label_a", v.a.label)
		out.Str("label_b", v.b.label)
	}
	done, layer := v.a.run.Progress()
	if v.a.ready && v.cmp && !v.b.ready {
		d, l := v.b.run.Progress()
		done, layer = 0.5+0.5*d, l
	} else if v.cmp {
		done *= 0.5
	}
	if v.a.ready && (!v.cmp || v.b.ready) {
		done = 1
	}
	out.Num("progress", done)
	out.Num("progress_layer", float64(layer))
	th := &v.a.th
	out.Num("q_star", th.QStar)
	out.Num("chi", th.ChiStar)
	out.Str("chi_text", chiText(th.ChiStar))
	out.Num("sigma_w2", v.a.cfg.Init.SigmaW2(v.a.cfg.Width, v.a.cfg.Width))
	out.Num("sigma_b2", v.a.cfg.Init.BiasVar(v.a.cfg.Width))
}

func (sd *side) write(out *view.Out, pre string, L int) {
	out.Num(pre+"depth", float64(sd.cfg.Depth))
	out.Num(pre+"bins", Bins)
	out.Bool(pre+"sample", sd.ready)
	th := &sd.th
	out.Floats(pre+"th_pre_mean", th.PreMean)
	out.Floats(pre+"th_pre_std", th.PreStd)
	out.Floats(pre+"th_post_mean", th.PostMean)
	out.Floats(pre+"th_post_std", th.PostStd)
	out.Floats(pre+"th_grad", th.Grad)
	if !sd.ready {
		out.Str(pre+"diagnosis", "computing the sample…")
		return
	}
	r := sd.run.Result()
	out.Floats(pre+"pre_mean", r.PreMean)
	out.Floats(pre+"pre_std", r.PreStd)
	out.Floats(pre+"post_mean", r.PostMean)
	out.Floats(pre+"post_std", r.PostStd)
	out.Floats(pre+"dead", r.Dead)
	out.Floats(pre+"grad", r.Grad)
	out.Floats(pre+"pre_hist", r.PreHist)
	out.Floats(pre+"post_hist", r.PostHist)
	out.Num(pre+"pre_lo", r.PreLo)
	out.Num(pre+"pre_hi", r.PreHi)
	out.Num(pre+"post_lo", r.PostLo)
	out.Num(pre+"post_hi", r.PostHi)
	out.Num(pre+"linear_residual", r.LinearResidual)
	out.Floats(pre+"sv", r.SV)
	out.Str(pre+"diagnosis", sd.diag)
	out.Str(pre+"theory_note", sd.thNote)
	out.Str(pre+"collapse", collapseText(&sd.cfg, r))
}

func (v *depthView) Messages(s *view.State, add func(level, text string)) {
	if v.err != nil {
		add("error", v.err.Error())
		return
	}
	if v.a.ready {
		if l := v.a.run.Result().NonFinite; l > 0 {
			add("warn", "The signal overflows (or becomes NaN) at layer "+strconv.Itoa(l)+": the statistics from there on are not finite.")
		}
	}
	if _, _, err := Pinned(s); err != nil {
		add("warn", err.Error())
	}
}

// ---- words -----------------------------------------------------------------------------

// sci writes a positive number as "1e-12" (or "0.25" when it reads better).
func sci(v float64) string {
	if v == 0 {
		return "0"
	}
	if !(v-v == 0) {
		return core.ShortNum(v)
	}
	a := math.Abs(v)
	if a >= 0.01 && a < 1000 {
		return strconv.FormatFloat(v, 'g', 2, 64)
	}
	e := int(math.Floor(math.Log10(a)))
	m := v / math.Pow(10, float64(e))
	if math.Abs(m-1) < 0.05 {
		return "1e" + strconv.Itoa(e)
	}
	return strconv.FormatFloat(m, 'f', 1, 64) + "e" + strconv.Itoa(e)
}

func pct(v float64) string { return strconv.Itoa(int(math.Round(v*100))) + "%" }

// Diagnose says in one line what the sample shows: how the gradient's size changes per
// layer, the dead units, a fixed point of mean and variance, a linear collapse.
func Diagnose(r *Result, th *TheoryOut) string {
	L := r.Depth
	var parts []string
	if r.NonFinite > 0 {
		return "the signal overflows at layer " + strconv.Itoa(r.NonFinite) + ": the weights are too large for this depth"
	}
	// dead units
	worst, at := 0.0, 0
	for l := 0; l < L; l++ {
		if r.Dead[l] > worst {
			worst, at = r.Dead[l], l
		}
	}
	g0, gL := r.Grad[0], r.Grad[L-1]
	switch {
	case worst == 1:
		parts = append(parts, "every unit is dead at layer "+strconv.Itoa(at+1)+": no gradient reaches the layers below it")
	case L == 1:
		parts = append(parts, "one layer: nothing to propagate (try a deeper network)")
	case gL == 0 || g0 == 0:
		parts = append(parts, "the gradient is exactly 0 at the first layer")
	default:
		// judged on the whole network: a factor near 1 per layer still compounds over the depth
		ratio := g0 / gL
		factor := math.Pow(ratio, 1/float64(L-1))
		per := sci(factor)
		if factor > 0.1 && factor < 10 {
			per = strconv.FormatFloat(factor, 'f', 2, 64) // 1.04, not "1"
		}
		switch {
		case ratio < 0.5:
			parts = append(parts, "gradients shrink by a factor of about "+per+" per layer: after "+strconv.Itoa(L)+" layers they are "+sci(ratio)+" of their size at the output")
		case ratio > 2:
			parts = append(parts, "gradients grow by a factor of about "+per+" per layer: at the first layer they are "+sci(ratio)+" times their size at the output")
		default:
			parts = append(parts, "gradients keep their size through the "+strconv.Itoa(L)+" layers (within a factor of 2: "+per+" per layer)")
		}
		if worst >= 0.05 {
			parts = append(parts, pct(worst)+" of units are dead at layer "+strconv.Itoa(at+1))
		}
	}
	// a fixed point of mean 0 and variance 1
	if L >= 5 {
		fixed := true
		for l := 0; l < L; l++ {
			if math.Abs(r.PostMean[l]) > 0.15 || math.Abs(r.PostStd[l]-1) > 0.15 {
				fixed = false
			}
		}
		if fixed {
			parts = append(parts, "mean and variance hold at 0 and 1 from layer to layer: the self-normalising fixed point")
		}
	}
	switch {
	case r.Constant:
		parts = append(parts, "the output is the same for every input")
	case r.LinearResidual < LinearTol:
		parts = append(parts, "this "+strconv.Itoa(L)+"-layer network is one linear layer")
	}
	return strings.Join(parts, "; ")
}

// chiText says what χ₁ means: the gradient's factor per layer once the variance has settled at
// q* (a shallow network may not be there yet: the per-layer curve shows the transient).
func chiText(chi float64) string {
	f := " per layer once the variance has settled at q* (deep enough networks)"
	switch {
	case !(chi-chi == 0):
		return "no fixed point: the variance keeps growing (or does not settle), so χ₁ is not defined"
	case chi < 1-1e-3:
		return "χ₁ < 1, the ordered phase: the gradient's RMS shrinks by √χ₁ = " + strconv.FormatFloat(math.Sqrt(chi), 'f', 2, 64) + f
	case chi > 1+1e-3:
		return "χ₁ > 1, the chaotic phase: the gradient's RMS grows by √χ₁ = " + strconv.FormatFloat(math.Sqrt(chi), 'f', 2, 64) + f
	}
	return "χ₁ = 1: the edge of chaos, the gradient keeps its size at the fixed point"
}

// theoryNote says where the sample and the theory part (by more than 20% in the last
// layer's output spread or in the gradient's change over the network).
func theoryNote(c *Config, r *Result, th *TheoryOut) string {
	L := r.Depth
	var b strings.Builder
	b.WriteString("The dashed lines are the mean-field prediction for infinitely wide layers with σ_w² = " +
		sci(c.Init.SigmaW2(c.Width, c.Width)) + " and σ_b² = " + sci(c.Init.BiasVar(c.Width)) + c.Init.sigmaNote() + ".")
	off := func(a, b float64) bool {
		if !(a-a == 0) || !(b-b == 0) {
			return a != b
		}
		return math.Abs(a-b) > 0.2*max(math.Abs(a), math.Abs(b), 1e-300)
	}
	switch {
	case off(r.PostStd[L-1], th.PostStd[L-1]):
		b.WriteString(" Here the sample departs from it: the outputs' spread at layer " + strconv.Itoa(L) + " is " + sci(r.PostStd[L-1]) +
			" against " + sci(th.PostStd[L-1]) + " predicted (a width of " + strconv.Itoa(c.Width) + " is far from infinite, and the deviations compound with depth).")
	case L > 1 && r.Grad[L-1] > 0 && th.Grad[L-1] > 0 && r.Grad[0] > 0 && th.Grad[0] > 0 &&
		math.Abs(math.Log((r.Grad[0]/r.Grad[L-1])/(th.Grad[0]/th.Grad[L-1]))) > 0.05*float64(L-1):
		b.WriteString(" The gradient's change over the network departs from it: " + sci(r.Grad[0]/r.Grad[L-1]) + " against " +
			sci(th.Grad[0]/th.Grad[L-1]) + " predicted, more than 5% per layer apart (the theory assumes the backward weights independent of the forward ones).")
	default:
		b.WriteString(" The sample follows it: the outputs' spread at the last layer within 20%, the gradient's change within 5% per layer.")
	}
	return b.String()
}

func collapseText(c *Config, r *Result) string {
	L := strconv.Itoa(r.Depth)
	switch {
	case c.Batch <= c.Width+1:
		return "With a batch of " + strconv.Itoa(c.Batch) + " and width " + strconv.Itoa(c.Width) +
			", any map fits the batch exactly by least squares: raise the batch above width + 1 for this test to mean anything."
	case !(r.LinearResidual-r.LinearResidual == 0):
		return "The output is not finite: no linear fit."
	case r.Constant:
		return "The output is the same for every input: the " + L + " layers compute a constant, trivially one (affine) map."
	case r.LinearResidual < LinearTol:
		return "This " + L + "-layer network is one linear layer: a least-squares linear fit reproduces its output to " +
			sci(r.LinearResidual) + " (relative, rounding). Its singular values:"
	}
	return "One linear layer fitted by least squares leaves " + pct(r.LinearResidual*r.LinearResidual) +
		" of the output's variation unexplained (relative residual " + sci(r.LinearResidual) + "): the " + L + " layers are not one linear map."
}
