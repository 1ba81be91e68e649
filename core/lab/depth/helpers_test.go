package depth

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/nnplay/nnplay/core"
)

// reference.json is written by testdata/gen.py (PyTorch's calculate_gain and the arguments its
// init functions pass to uniform_/normal_; mpmath quadratures at 30 digits); the script's doc
// string says how each value is computed. Numbers are strings (25 significant digits, or Python's
// exact repr for inputs).
type refDoc struct {
	Torch  string `json:"torch"`
	Mpmath string `json:"mpmath"`
	Gains  []struct {
		Nonlinearity string  `json:"nonlinearity"`
		Param        *string `json:"param"`
		Gain         string  `json:"gain"`
		Error        string  `json:"error"`
	} `json:"gains"`
	Inits []struct {
		Init   string         `json:"init"`
		Params map[string]any `json:"params"`
		FanIn  int            `json:"fan_in"`
		FanOut int            `json:"fan_out"`
		Weight refDraw        `json:"weight"`
		Bias   *refDraw       `json:"bias"`
	} `json:"inits"`
	Expectations []struct {
		ID     string         `json:"id"`
		Params map[string]any `json:"params"`
		Mu     string         `json:"mu"`
		V      string         `json:"v"`
		Mean   string         `json:"mean"`
		Sq     string         `json:"sq"`
		Var    string         `json:"var"`
		DSq    string         `json:"dsq"`
		SqDSq  string         `json:"sqdsq"`
	} `json:"expectations"`
	Recursions []struct {
		ID       string         `json:"id"`
		Params   map[string]any `json:"params"`
		SigmaW2  string         `json:"sigma_w2"`
		BiasMean string         `json:"bias_mean"`
		BiasVar  string         `json:"bias_var"`
		Q0       string         `json:"q0"`
		Units    string         `json:"units"`
		Depth    int            `json:"depth"`
		Q        []string       `json:"q"`
		PreStd   []string       `json:"pre_std"`
		PostMean []string       `json:"post_mean"`
		PostStd  []string       `json:"post_std"`
		Chi      []string       `json:"chi"`
		Grad     []string       `json:"grad"`
		QStar    string         `json:"q_star"`
		ChiStar  string         `json:"chi_star"`
	} `json:"recursions"`
}

type refDraw struct {
	Dist  string `json:"dist"`
	Shape []int  `json:"shape"`
	A     string `json:"a"`
	B     string `json:"b"`
	Mean  string `json:"mean"`
	Std   string `json:"std"`
}

var (
	refOnce sync.Once
	refData refDoc
	refErr  error
)

// reference returns the parsed reference.json.
func reference(t testing.TB) *refDoc {
	t.Helper()
	refOnce.Do(func() {
		b, err := os.ReadFile(filepath.Join("testdata", "reference.json"))
		if err != nil {
			refErr = err
			return
		}
		refErr = json.Unmarshal(b, &refData)
	})
	if refErr != nil {
		t.Fatal("testdata/reference.json: ", refErr)
	}
	return &refData
}

// num parses a reference number (25 digits round to the nearest float64).
func num(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad number %q in reference.json: %v", s, err)
	}
	return v
}

// activation returns the registered activation id with the given parameters (by PyTorch name;
// strings are Choice values) as an Act.
func activation(t testing.TB, id string, params map[string]any) Act {
	t.Helper()
	f, ok := core.Lookup(id)
	if !ok || f.Scalar == nil {
		t.Fatalf("no activation %q in the registry", id)
	}
	p := f.Defaults()
	for name, v := range params {
		i := f.ParamIndex(name)
		if i < 0 {
			t.Fatalf("%s has no parameter %q", id, name)
		}
		switch v := v.(type) {
		case float64:
			p.Num[i] = v
		case string:
			found := false
			for k, c := range f.Params[i].Choices {
				if c == v {
					p.Num[i], found = float64(k), true
				}
			}
			if !found {
				t.Fatalf("%s: %s has no choice %q", id, name, v)
			}
		default:
			t.Fatalf("%s: parameter %s: unexpected %T", id, name, v)
		}
	}
	if err := f.Check(p); err != nil {
		t.Fatalf("%s %v: %v", id, params, err)
	}
	return func(x float64) (float64, float64) { return f.Scalar(p, x) }
}

// near reports whether got is within tol of want relative to max(|want|, floor).
func near(got, want, tol, floor float64) bool {
	if math.IsInf(want, 0) || want != want {
		return got == want || (want != want && got != got)
	}
	return math.Abs(got-want) <= tol*math.Max(math.Abs(want), floor)
}

// relErr is |got - want| / max(|want|, floor), for messages.
func relErr(got, want, floor float64) float64 {
	return math.Abs(got-want) / math.Max(math.Abs(want), floor)
}
