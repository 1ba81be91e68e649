package depth

import (
	"math"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// nnplay.depth(config): the lab's numbers for a configuration, computed at once by the code
// the page runs (Runner, Theory).
//
//	nnplay.depth({f: "selu", params: {}, init: "lecun_normal", depth: 20, width: 64, batch: 256,
//	              seed: 1, bias_mean: 0, bias_std: 0, sigma_w: 1, sigma_b: 0, gain: 1, a: 0,
//	              nonlinearity: "leaky_relu"})
//	→ {layers: [{pre: {mean, std}, post: {mean, std}, dead, grad}, ...],
//	   theory: {q: [...], q_star, chi, layers: [{pre: {mean, std}, post: {mean, std}, grad, chi}]},
//	   linear_residual, singular_values: [...], diagnosis, sigma_w2, sigma_b2}
//
// Every key but f is optional (the lab's defaults); each gets the checks of its control (the
// URL's), so an invalid one is an Error with the message the page shows. The activation's
// parameters may also be given flat ({f: 'elu', alpha: 2}), and lab ('depth') and vs are
// accepted and ignored, so {...nnplay.state(), ...nnplay.view()} is a valid argument.
// linear_residual is null when batch <= width + 1. The call is synchronous: the largest
// network (depth 50, width 512, batch 1024) takes about 30 s in the browser, which the page
// itself computes in steps with a progress bar.

func init() {
	Lab.Calls = append(Lab.Calls, view.Call{Name: "depth", Run: API})
}

// API runs nnplay.depth (see above).
func API(arg any) (any, error) {
	m, ok := arg.(map[string]any)
	if !ok {
		return nil, core.Errorf("", "depth takes an object such as {f: 'relu', init: 'kaiming_normal', depth: 20}, got ", core.Describe(arg))
	}
	s, err := StateOf(m)
	if err != nil {
		return nil, err
	}
	c := ConfigOf(&s)
	if err := c.Check(); err != nil {
		return nil, err
	}
	var r Runner
	r.Reset(c)
	res := r.Run()
	sd := side{cfg: c}
	sd.theory()
	th := &sd.th
	layers := make([]any, c.Depth)
	thl := make([]any, c.Depth)
	for l := 0; l < c.Depth; l++ {
		layers[l] = map[string]any{
			"pre":  map[string]any{"mean": res.PreMean[l], "std": res.PreStd[l]},
			"post": map[string]any{"mean": res.PostMean[l], "std": res.PostStd[l]},
			"dead": res.Dead[l], "grad": res.Grad[l],
		}
		thl[l] = map[string]any{
			"pre":  map[string]any{"mean": th.PreMean[l], "std": th.PreStd[l]},
			"post": map[string]any{"mean": th.PostMean[l], "std": th.PostStd[l]},
			"grad": th.Grad[l], "chi": th.Chi[l],
		}
	}
	var lr any = res.LinearResidual
	if math.IsNaN(res.LinearResidual) {
		lr = nil
	}
	return map[string]any{
		"layers":          layers,
		"theory":          map[string]any{"q": core.Nums(th.Q), "q_star": finiteOrNil(th.QStar), "chi": finiteOrNil(th.ChiStar), "layers": thl},
		"linear_residual": lr, "singular_values": core.Nums(res.SV),
		"diagnosis": Diagnose(res, th),
		"sigma_w2":  c.Init.SigmaW2(c.Width, c.Width), "sigma_b2": c.Init.BiasVar(c.Width),
	}, nil
}

// finiteOrNil is v, or nil (null) for NaN; ±Inf stays (JSON has no Inf, but JavaScript does).
func finiteOrNil(v float64) any {
	if math.IsNaN(v) {
		return nil
	}
	return v
}

// StateOf builds the lab's state from an API object: f (the lab's default if absent), params
// (the activation's parameters by PyTorch's names) and the lab's keys, each with the typed
// setter the controls and the URL use.
func StateOf(m map[string]any) (view.State, error) {
	var f *core.Func
	if v, ok := m["f"]; ok {
		id, isStr := v.(string)
		g, found := core.Lookup(id)
		if !isStr || !found {
			return view.State{}, core.Errorf("f", "f must be an activation's id such as 'relu', got ", core.Describe(v))
		}
		if !Lab.Applies(g) {
			return view.State{}, core.Errorf("f", "the depth lab takes elementwise activations (relu, tanh, gelu, ...); ", g.ID, " is not one")
		}
		f = g
	}
	s := view.DefaultLab(Lab, f)
	if pv, ok := m["params"]; ok && pv != nil {
		pm, isMap := pv.(map[string]any)
		if !isMap {
			return s, core.Errorf("params", "params must be an object of the activation's parameters, got ", core.Describe(pv))
		}
		for name, v := range pm {
			i := s.F.ParamIndex(name)
			if i < 0 {
				return s, core.Errorf(name, s.F.ID, " has no parameter ", name)
			}
			if err := core.SetParamAny(s.F, &s.P, i, v); err != nil {
				return s, err
			}
		}
		if err := s.F.Check(s.P); err != nil {
			return s, err
		}
	}
	for name, v := range m {
		if name == "f" || name == "params" || name == "vs" {
			continue // vs pins a second configuration on the page: nnplay.depth computes one
		}
		if name == "lab" {
			if v != Lab.ID {
				return s, core.Errorf("lab", "nnplay.depth is the depth lab's: lab must be 'depth' or absent, got ", core.Describe(v))
			}
			continue
		}
		if i := s.F.ParamIndex(name); i >= 0 { // a parameter given flat, as state() gives it
			if err := core.SetParamAny(s.F, &s.P, i, v); err != nil {
				return s, err
			}
			if err := s.F.Check(s.P); err != nil {
				return s, err
			}
			continue
		}
		k := s.KeyFor(name)
		if k == nil {
			return s, core.Errorf(name, "unknown key ", name, " for nnplay.depth (it takes f, params and ", keyNames(), ")")
		}
		var err error
		switch k.Type {
		case view.Choice:
			str, isStr := v.(string)
			if !isStr {
				return s, core.Errorf(name, name, " must be a string, got ", core.Describe(v))
			}
			err = s.SetChoice(name, str)
		case view.Text:
			str, _ := v.(string)
			err = s.SetText(name, str)
		default:
			var x float64
			if x, err = core.NumberOf(name, v); err == nil {
				err = s.SetNumber(name, x)
			}
		}
		if err != nil {
			return s, err
		}
	}
	return s, nil
}

func keyNames() []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if k != keyVS {
			out = append(out, k.Name)
		}
	}
	return out
}
