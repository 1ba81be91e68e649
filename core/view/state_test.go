package view_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

// Round trip: for every registered function, random in-range states survive Query then Parse
// bit for bit, with no Problem, and Query is canonical (a second round gives the same string).
func TestQueryRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, f := range core.All() {
		t.Run(f.ID, func(t *testing.T) {
			for range 200 {
				s := randomState(r, f)
				if e := stateError(s); e != "" {
					t.Fatalf("randomState made an invalid state: %s", e)
				}
				q := s.Query()
				got, probs := view.Parse(q)
				if len(probs) > 0 {
					t.Fatalf("Parse(%q): problems %+v", q, probs)
				}
				if !sameState(got, s) {
					t.Fatalf("Parse(%q) = %+v, want %+v", q, got, s)
				}
				if q2 := got.Query(); q2 != q {
					t.Fatalf("Query not canonical: %q then %q", q, q2)
				}
			}
			// The default state writes only f.
			if q := view.Default(f).Query(); q != "f="+f.ID {
				t.Errorf("Default(%s).Query() = %q, want %q", f.ID, q, "f="+f.ID)
			}
		})
	}
}

// Every registered function's URL keys are distinct from the view keys and from "f".
func TestKeysDistinct(t *testing.T) {
	for _, f := range core.All() {
		seen := map[string]bool{"f": true}
		for _, k := range view.Keys(f) {
			if seen[k] {
				t.Errorf("%s: key %q is used twice", f.ID, k)
			}
			seen[k] = true
		}
	}
}

// Parse of good URLs. The expected values are the URL's own: each field is read as written.
func TestParseGood(t *testing.T) {
	tests := []struct {
		query string
		id    string
		check func(s view.State) bool
		canon string // the canonical Query, "" for the query itself
	}{
		{"", view.DefaultID, func(s view.State) bool { return true }, "f=" + view.DefaultID},
		{"?", view.DefaultID, func(s view.State) bool { return true }, "f=" + view.DefaultID},
		{"/?f=zz_test_act&a=2", "zz_test_act", func(s view.State) bool { return s.P.Num[0] == 2 }, "f=zz_test_act&a=2"},
		{"f=zz_test_act&n=-3&mode=tanh&w=1,2,0.5&xmin=-1e-3&xmax=1e06", "zz_test_act", func(s view.State) bool {
			return s.P.Num[1] == -3 && s.P.Num[3] == 1 && sameBits(s.P.Vec[4], []float64{1, 2, 0.5}) && s.XMin == -0.001 && s.XMax == 1e6
		}, "f=zz_test_act&n=-3&mode=tanh&w=1,2,0.5&xmin=-0.001&xmax=1e06"},
		// Bool spellings: Python's, JavaScript's, and 0/1; the canonical form is true/false.
		{"f=zz_test_act&flag=True", "zz_test_act", func(s view.State) bool { return s.P.Num[2] == 1 }, "f=zz_test_act&flag=true"},
		{"f=zz_test_act&flag=1", "zz_test_act", func(s view.State) bool { return s.P.Num[2] == 1 }, "f=zz_test_act&flag=true"},
		{"f=zz_test_act&flag=false", "zz_test_act", func(s view.State) bool { return s.P.Num[2] == 0 }, "f=zz_test_act"},
		// An Int written as 2.0 is the integer 2; '+' is a plus sign; %-escapes are decoded.
		{"f=zz_test_act&n=2.0&a=5e+0%30", "zz_test_act", func(s view.State) bool { return s.P.Num[1] == 2 && s.P.Num[0] == 5 }, "f=zz_test_act&a=5&n=2"},
		{"f=zz_test_loss&t=3&px=-1&py=1&reduction=sum&k=0.5", "zz_test_loss", func(s view.State) bool {
			return s.T == 3 && s.PX == -1 && s.PY == 1 && s.P.Num[0] == 2 && s.P.Num[1] == 0.5
		}, "f=zz_test_loss&reduction=sum&k=0.5&t=3&px=-1&py=1"},
		{"f=zz_test_vec&x=1,2", "zz_test_vec", func(s view.State) bool { return sameBits(s.In, []float64{1, 2}) }, ""},
		// -0 is a value like any other: it is kept.
		{"f=zz_test_loss&px=-0", "zz_test_loss", func(s view.State) bool { return math.Signbit(s.PX) }, ""},
		// A fragment is not part of the query.
		{"f=zz_test_act&a=3#frag", "zz_test_act", func(s view.State) bool { return s.P.Num[0] == 3 }, "f=zz_test_act&a=3"},
	}
	for _, tt := range tests {
		s, probs := view.Parse(tt.query)
		if s.F == nil || s.F.ID != tt.id {
			t.Errorf("Parse(%q).F = %v, want %s", tt.query, s.F, tt.id)
			continue
		}
		if len(probs) > 0 {
			t.Errorf("Parse(%q): unexpected problems %+v", tt.query, probs)
		}
		if !tt.check(s) {
			t.Errorf("Parse(%q) = %+v: wrong values", tt.query, s)
		}
		want := tt.canon
		if want == "" {
			want = strings.TrimPrefix(tt.query, "?")
		}
		if got := s.Query(); got != want {
			t.Errorf("Parse(%q).Query() = %q, want %q", tt.query, got, want)
		}
	}
}

// The examples the brief names, on the real functions once they are registered (skipped
// before). The expected values are those of the URL.
func TestParseRegistered(t *testing.T) {
	tests := []struct {
		query, id, param, want string
	}{
		{"/?f=elu&alpha=2", "elu", "alpha", "2"},
		{"f=smooth_l1_loss&beta=0.5", "smooth_l1_loss", "beta", "0.5"},
		{"f=gelu&approximate=tanh", "gelu", "approximate", "tanh"},
		{"f=nll_loss&weight=1,2,0.5", "nll_loss", "weight", "1,2,0.5"},
		{"f=nll_loss&reduction=sum", "nll_loss", "reduction", "sum"},
		{"f=kl_div&log_target=true", "kl_div", "log_target", "true"},
		{"f=triplet_margin_loss&swap=true", "triplet_margin_loss", "swap", "true"},
	}
	for _, tt := range tests {
		f, ok := lookup(tt.id)
		if !ok || f.ParamIndex(tt.param) < 0 {
			t.Logf("%s.%s is not registered yet: skipped", tt.id, tt.param)
			continue
		}
		s, probs := view.Parse(tt.query)
		if len(probs) > 0 || s.F != f {
			t.Errorf("Parse(%q) = %s, %+v", tt.query, s.F.ID, probs)
			continue
		}
		if got := view.FormatParam(f, s.P, f.ParamIndex(tt.param)); got != tt.want {
			t.Errorf("Parse(%q): %s = %q, want %q", tt.query, tt.param, got, tt.want)
		}
		if q := s.Query(); q != strings.TrimPrefix(strings.TrimPrefix(tt.query, "/"), "?") {
			t.Errorf("Parse(%q).Query() = %q", tt.query, q)
		}
	}
	// celu alpha = 0: either outside the slider range or rejected by Check; alpha stays default.
	if f, ok := lookup("celu"); ok && f.ParamIndex("alpha") >= 0 {
		s, probs := view.Parse("f=celu&alpha=0")
		i := f.ParamIndex("alpha")
		if len(probs) != 1 || probs[0].Key != "alpha" || s.P.Num[i] != f.Params[i].Default {
			t.Errorf("Parse(f=celu&alpha=0) = %v, %+v", s.P.Num, probs)
		}
	}
}

// Every class of bad input gives one Problem with the right key and message, and the field keeps
// its default. The messages are this package's own wording.
func TestParseBad(t *testing.T) {
	tests := []struct {
		query  string
		id     string // function shown
		key    string // Problem.Key
		msg    string // Problem.Msg
		query2 string // the state's canonical Query afterwards
	}{
		{"f=nope", view.DefaultID, "f", `unknown function "nope": showing relu`, "f=relu"},
		{"f=", view.DefaultID, "f", `unknown function "": showing relu`, "f=relu"},
		{"f=zz_test_act&a=abc", "zz_test_act", "a", `a must be a number from 0 to 10, got "abc"`, "f=zz_test_act"},
		{"f=zz_test_act&a=11", "zz_test_act", "a", `a must be a number from 0 to 10, got "11"`, "f=zz_test_act"},
		{"f=zz_test_act&a=-0.5&w=1,2", "zz_test_act", "a", `a must be a number from 0 to 10, got "-0.5"`, "f=zz_test_act&w=1,2"},
		{"f=zz_test_act&a=NaN", "zz_test_act", "a", `a must be a number from 0 to 10, got "NaN"`, "f=zz_test_act"},
		{"f=zz_test_act&a=Inf", "zz_test_act", "a", `a must be a number from 0 to 10, got "Inf"`, "f=zz_test_act"},
		{"f=zz_test_act&a=1e999", "zz_test_act", "a", `a must be a number from 0 to 10, got "1e999"`, "f=zz_test_act"},
		{"f=zz_test_act&a=", "zz_test_act", "a", `a must be a number from 0 to 10, got ""`, "f=zz_test_act"},
		{"f=zz_test_act&a=0x1p-2", "zz_test_act", "", "", "f=zz_test_act&a=0.25"}, // Go's hex floats are numbers
		{"f=zz_test_act&n=2.5", "zz_test_act", "n", `n must be an integer from -100 to 9, got "2.5"`, "f=zz_test_act"},
		{"f=zz_test_act&n=10", "zz_test_act", "n", `n must be an integer from -100 to 9, got "10"`, "f=zz_test_act"},
		{"f=zz_test_act&flag=yes", "zz_test_act", "flag", `flag must be true or false, got "yes"`, "f=zz_test_act"},
		{"f=zz_test_act&mode=foo", "zz_test_act", "mode", `mode must be one of none, tanh, got "foo"`, "f=zz_test_act"},
		{"f=zz_test_act&w=1", "zz_test_act", "w", `w must be 2 to 4 comma-separated numbers from 0 to 10, got "1"`, "f=zz_test_act"},
		{"f=zz_test_act&w=1,2,3,4,5", "zz_test_act", "w", `w must be 2 to 4 comma-separated numbers from 0 to 10, got "1,2,3,4,5"`, "f=zz_test_act"},
		{"f=zz_test_act&w=1,,2", "zz_test_act", "w", `w must be 2 to 4 comma-separated numbers from 0 to 10, got "1,,2"`, "f=zz_test_act"},
		{"f=zz_test_act&w=1,-2", "zz_test_act", "w", `w must be 2 to 4 comma-separated numbers from 0 to 10, got "1,-2"`, "f=zz_test_act"},
		{"f=zz_test_act&w=1,NaN", "zz_test_act", "w", `w must be 2 to 4 comma-separated numbers from 0 to 10, got "1,NaN"`, "f=zz_test_act"},
		{"f=zz_test_act&zap=1", "zz_test_act", "zap", `unknown key "zap" for zz_test_act (it takes a, n, flag, mode, w, xmin, xmax, cmp, yf, yfmin, yfmax, ydf, ydfmin, ydfmax, vanish)`, "f=zz_test_act"},
		{"f=zz_test_act&t=1", "zz_test_act", "t", `unknown key "t" for zz_test_act (it takes a, n, flag, mode, w, xmin, xmax, cmp, yf, yfmin, yfmax, ydf, ydfmin, ydfmax, vanish)`, "f=zz_test_act"},
		{"f=zz_test_act&a=2&a=3", "zz_test_act", "a", `"a" is given more than once: the first value is used`, "f=zz_test_act&a=2"},
		{"f=zz_test_act&a=%zz", "zz_test_act", "a", `"a=%zz" has a malformed %-escape: ignored`, "f=zz_test_act"},
		{"f=zz_test_act&a=2%", "zz_test_act", "a", `"a=2%" has a malformed %-escape: ignored`, "f=zz_test_act"},
		// F.Check: the parameter it names is reset, with its message.
		{"f=zz_test_act&a=0", "zz_test_act", "a", "a cannot be 0 for ZZTestAct", "f=zz_test_act"},
		{"f=zz_test_act&flag=true&mode=tanh&a=2", "zz_test_act", "mode", "mode 'tanh' needs flag=False", "f=zz_test_act&a=2&flag=true"},
		// An F.Check error that names no parameter resets them all.
		{"f=zz_test_act&a=10&n=9&xmin=-1", "zz_test_act", "", "a=10 and n=9 together are not supported (all parameters reset to their defaults)", "f=zz_test_act&xmin=-1"},
		// The x range.
		{"f=zz_test_act&xmin=5", "zz_test_act", "xmin", "xmin must be less than xmax, got xmin=5 and xmax=3", "f=zz_test_act"},
		{"f=zz_test_act&xmin=1&xmax=1", "zz_test_act", "xmin", "xmin must be less than xmax, got xmin=1 and xmax=1", "f=zz_test_act"},
		{"f=zz_test_act&xmax=2e6", "zz_test_act", "xmax", `xmax must be a number from -1000000 to 1000000, got "2e6"`, "f=zz_test_act"},
		// Loss view keys: t is a class index here (TStep 1), px and py lie on the surface's axes.
		{"f=zz_test_loss&t=1.5", "zz_test_loss", "t", `t must be an integer from 0 to 3, got "1.5"`, "f=zz_test_loss"},
		{"f=zz_test_loss&t=4", "zz_test_loss", "t", `t must be an integer from 0 to 3, got "4"`, "f=zz_test_loss"},
		{"f=zz_test_loss&px=3", "zz_test_loss", "px", `px must be a number from -1 to 2, got "3"`, "f=zz_test_loss"},
		{"f=zz_test_loss&py=-3.5", "zz_test_loss", "py", `py must be a number from -3 to 1, got "-3.5"`, "f=zz_test_loss"},
		{"f=zz_test_loss&reduction=batchmean", "zz_test_loss", "reduction", `reduction must be one of none, mean, sum, got "batchmean"`, "f=zz_test_loss"},
		// Vector input: its length is checked by OutLen, its elements against InputLimit.
		{"f=zz_test_vec&x=1,2,3", "zz_test_vec", "x", "x has 3 elements: halving dimension must be even, but dimension 0 is size 3", "f=zz_test_vec"},
		{"f=zz_test_vec&x=1,200", "zz_test_vec", "x", `x must be 1 to 16 comma-separated numbers from -100 to 100, got "1,200"`, "f=zz_test_vec"},
		{"f=zz_test_vec&x=" + strings.Repeat("1,", 17) + "1", "zz_test_vec", "x", `x must be 1 to 16 comma-separated numbers from -100 to 100, got "` + strings.Repeat("1,", 17) + `1"`, "f=zz_test_vec"},
		{"f=zz_test_vec&xmin=1", "zz_test_vec", "xmin", `unknown key "xmin" for zz_test_vec (it takes scale, x, k)`, "f=zz_test_vec"},
	}
	for _, tt := range tests {
		s, probs := view.Parse(tt.query)
		if s.F == nil || s.F.ID != tt.id {
			t.Errorf("Parse(%q).F = %v, want %s", tt.query, s.F, tt.id)
			continue
		}
		if tt.key == "" && tt.msg == "" {
			if len(probs) != 0 {
				t.Errorf("Parse(%q): problems %+v, want none", tt.query, probs)
			}
		} else if len(probs) != 1 || probs[0].Key != tt.key || probs[0].Msg != tt.msg {
			t.Errorf("Parse(%q): problems %+v\nwant one: key %q, msg %q", tt.query, probs, tt.key, tt.msg)
		}
		if e := stateError(s); e != "" {
			t.Errorf("Parse(%q): invalid state: %s", tt.query, e)
		}
		if q := s.Query(); q != tt.query2 {
			t.Errorf("Parse(%q).Query() = %q, want %q", tt.query, q, tt.query2)
		}
	}
}

// Hostile input: bounded work and bounded Problems, truncated values, a valid state.
func TestParseHostile(t *testing.T) {
	long := strings.Repeat("9", 1<<20)
	tests := []string{
		"f=zz_test_act&a=" + long,
		strings.Repeat("a=1&", 100000),
		strings.Repeat("&", 100000),
		strings.Repeat("%", 5000),
		"f=zz_test_vec&x=" + strings.Repeat("1,", 600),
		"f=%00%ff&%ff=%00",
		"f=zz_test_act&w=" + strings.Repeat(",", 1000),
		"==&=&f==relu",
		"f=zz_test_loss&t=-0&px=1e-400&py=-1e-400", // underflow to ±0 is a number, in range
	}
	for _, q := range tests {
		s, probs := view.Parse(q)
		if e := stateError(s); e != "" {
			t.Errorf("Parse(%.40q...): %s", q, e)
		}
		if len(probs) > view.MaxFields+2 {
			t.Errorf("Parse(%.40q...): %d problems", q, len(probs))
		}
		for _, p := range probs {
			if len(p.Key) > view.MaxShownLen || len(p.Value) > view.MaxShownLen || len(p.Msg) > 1000 {
				t.Errorf("Parse(%.40q...): problem too long: %.200q", q, p)
			}
		}
	}
}

// Set applies the checks of Parse and leaves the state unchanged on error; the error is a
// *core.ParamError with Parse's message.
func TestSet(t *testing.T) {
	s := view.Default(testAct)
	for _, tc := range []struct{ key, value, msg string }{
		{"a", "2", ""},
		{"a", "0", "a cannot be 0 for ZZTestAct"},
		{"a", "12", `a must be a number from 0 to 10, got "12"`},
		{"mode", "tanh", ""},
		{"flag", "true", "mode 'tanh' needs flag=False"},
		{"w", "3,4", ""},
		{"xmin", "-1", ""},
		{"xmin", "4", "xmin must be less than xmax, got xmin=4 and xmax=3"},
		{"t", "1", `unknown key "t" for zz_test_act (it takes a, n, flag, mode, w, xmin, xmax, cmp, yf, yfmin, yfmax, ydf, ydfmin, ydfmax, vanish)`},
	} {
		before := s.Clone()
		err := s.Set(tc.key, tc.value)
		if tc.msg == "" {
			if err != nil {
				t.Errorf("Set(%q, %q) = %v", tc.key, tc.value, err)
			}
			continue
		}
		pe, ok := err.(*core.ParamError)
		if !ok || pe.Msg != tc.msg || pe.Param != tc.key {
			t.Errorf("Set(%q, %q) = %#v, want ParamError{%q, %q}", tc.key, tc.value, err, tc.key, tc.msg)
		}
		if !sameState(s, before) {
			t.Errorf("Set(%q, %q) changed the state on error", tc.key, tc.value)
		}
	}
	if q := s.Query(); q != "f=zz_test_act&a=2&mode=tanh&w=3,4&xmin=-1" {
		t.Errorf("after Set: %q", q)
	}
	if err := s.SetXRange(5, 6); err != nil || s.XMin != 5 || s.XMax != 6 {
		t.Errorf("SetXRange(5, 6) = %v; %v %v", err, s.XMin, s.XMax)
	}
	if err := s.SetXRange(6, 5); err == nil {
		t.Errorf("SetXRange(6, 5) = nil")
	}
	s.Reset()
	if q := s.Query(); q != "f=zz_test_act" {
		t.Errorf("after Reset: %q", q)
	}
	if err := s.Set("f", "zz_test_loss"); err != nil || s.F != testLoss {
		t.Errorf("Set(f, zz_test_loss) = %v", err)
	}
	if err := s.Set("f", "nope"); err == nil || s.F != testLoss {
		t.Errorf("Set(f, nope) = %v, F = %s", err, s.F.ID)
	}
	if err := s.SetPoint(2, -3); err != nil || s.PX != 2 || s.PY != -3 {
		t.Errorf("SetPoint(2, -3) = %v", err)
	}
	if err := s.SetPoint(2.5, 0); err == nil {
		t.Errorf("SetPoint(2.5, 0) = nil")
	}
	s.SetFunc(testVec)
	if err := s.Set("x", "1,2,3"); err == nil || !sameBits(s.In, testVec.DefaultInput) {
		t.Errorf("Set(x, 1,2,3) = %v, In = %v", err, s.In)
	}
	// The weight vector can be cleared (nil: "no weight") and reset.
	s.SetFunc(testAct)
	_ = s.Set("w", "1,2")
	if err := s.Set("w", ""); err != nil || s.P.Vec[4] != nil {
		t.Errorf("Set(w, \"\") = %v, %v", err, s.P.Vec[4])
	}
}

// FormatParam writes each type as the URL does.
func TestFormatParam(t *testing.T) {
	p := testAct.Defaults()
	p.Num = []float64{0.1, -3, 1, 1, 0}
	p.Vec[4] = []float64{1, 2.5, 1e-08}
	want := []string{"0.1", "-3", "true", "tanh", "1,2.5,1e-08"}
	for i, w := range want {
		if got := view.FormatParam(testAct, p, i); got != w {
			t.Errorf("FormatParam(%s) = %q, want %q", testAct.Params[i].Name, got, w)
		}
	}
}

// Default never has a nil F, and its defaults come from the registry.
func TestDefault(t *testing.T) {
	if s := view.Default(nil); s.F == nil || s.F.ID != view.DefaultID {
		t.Fatalf("Default(nil).F = %v", s.F)
	}
	for _, f := range core.All() {
		s := view.Default(f)
		if e := stateError(s); e != "" {
			t.Errorf("Default(%s): %s", f.ID, e)
		}
		if f.Curve != nil && (s.XMin != f.Curve.X.Min || s.XMax != f.Curve.X.Max || s.T != f.Curve.TDefault) {
			t.Errorf("Default(%s): x range or t not from Curve", f.ID)
		}
		if f.Kind == core.Activation && f.XRange[0] < f.XRange[1] && (s.XMin != f.XRange[0] || s.XMax != f.XRange[1]) {
			t.Errorf("Default(%s): x range not XRange", f.ID)
		}
	}
}

// FuzzParse: whatever the query, Parse does not panic, returns a valid state with every value in
// range or at its default, and that state round-trips through Query.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "f=relu", "/?f=elu&alpha=2", "f=smooth_l1_loss&beta=0.5", "f=gelu&approximate=tanh",
		"f=nll_loss&weight=1,2,0.5", "f=zz_test_act&a=0&flag=1&mode=tanh&w=1,2,3", "f=zz_test_vec&x=1,2,3,4",
		"f=zz_test_loss&t=2&px=0.5&py=-1&xmin=-1e6&xmax=1e06", "f=celu&alpha=0", "a=%zz&&=&f=%72elu",
		"f=zz_test_act&a=NaN&n=1e999&w=Inf,-Inf",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		s, probs := view.Parse(q)
		if e := stateError(s); e != "" {
			t.Fatalf("Parse(%q): %s", q, e)
		}
		if len(probs) > view.MaxFields+2+len(s.F.Params) {
			t.Fatalf("Parse(%q): %d problems", q, len(probs))
		}
		q2 := s.Query()
		s2, probs2 := view.Parse(q2)
		if len(probs2) > 0 || !sameState(s, s2) {
			t.Fatalf("Parse(%q) = %q does not round-trip: %+v", q, q2, probs2)
		}
	})
}

// A class-index target ranges over the classes of the class weights (len(weight), or
// DefaultClasses for None): a link cannot pick class 9 of 3, and removing a class clamps t.
func TestClassTargetFollowsClassCount(t *testing.T) {
	f, ok := core.Lookup("cross_entropy")
	if !ok {
		t.Skip("no cross_entropy")
	}
	s, probs := view.Parse("f=cross_entropy&t=9")
	if s.T != 0 || len(probs) != 1 || probs[0].Msg != "target 9 is out of bounds for 3 classes (t must be from 0 to 2)" {
		t.Errorf("t=9 with 3 classes: T %v, problems %+v", s.T, probs)
	}
	// t before weight in the URL: the class count is that of the final weight.
	s, probs = view.Parse("f=cross_entropy&t=4&weight=1,1,1,1,1")
	if s.T != 4 || len(probs) != 0 {
		t.Errorf("t=4 with 5 classes: T %v, problems %+v", s.T, probs)
	}
	if got := s.TMax(); got != 4 {
		t.Errorf("TMax = %v, want 4", got)
	}
	if err := s.Set("weight", "1,1"); err != nil || !s.ClampT() || s.T != 1 {
		t.Errorf("weight 1,1 then ClampT: %v, T %v", err, s.T)
	}
	if view.Classes(f, f.Defaults()) != view.DefaultClasses {
		t.Errorf("Classes(defaults) = %d", view.Classes(f, f.Defaults()))
	}
}

// The x range's minimum width is reported as such, with the number.
func TestXRangeMinWidthMessage(t *testing.T) {
	s := view.Default(nil)
	err := s.SetXRange(0, 1e-300)
	if err == nil || !strings.Contains(err.Error(), "the x range must be at least 1e-09 wide") {
		t.Errorf("0..1e-300: %v", err)
	}
	if err := s.SetXRange(0, 1e-9); err != nil {
		t.Errorf("0..1e-9: %v", err)
	}
	if err := view.CheckXBound("xmin", math.Inf(1)); err == nil {
		t.Errorf("CheckXBound(+Inf) accepted")
	}
}

// SwitchFunc carries over what the user set and what suits the new function, and nothing else:
// ELU alpha=2 and a typed x range reach CELU; relu's own default y range does not reach sigmoid
// (whose fixed range starts at its own [0, 1]); an activation's x range does not reach a loss.
func TestSwitchFuncKeepsWhatWasSet(t *testing.T) {
	elu, _ := lookup("elu")
	celu, _ := lookup("celu")
	relu, _ := lookup("relu")
	sigmoid, _ := lookup("sigmoid")
	mse, _ := lookup("mse_loss")
	s, _ := view.Parse("f=elu&alpha=2&xmin=-2&xmax=3")
	kept := s.SwitchFunc(celu)
	if s.F != celu || s.P.Num[celu.ParamIndex("alpha")] != 2 || s.XMin != -2 || s.XMax != 3 {
		t.Errorf("elu -> celu: %v %v [%v, %v]", s.F.ID, s.P.Num, s.XMin, s.XMax)
	}
	if strings.Join(kept, ",") != "alpha,xmin,xmax" {
		t.Errorf("kept %v", kept)
	}
	_ = elu
	s = view.Default(relu)
	s.SwitchFunc(sigmoid)
	if q := s.Query(); q != "f=sigmoid" {
		t.Errorf("relu's defaults carried to sigmoid: %q", q)
	}
	s, _ = view.Parse("f=sigmoid&xmin=-9&yf=fixed&yfmin=-1")
	s.SwitchFunc(mse)
	if q := s.Query(); q != "f=mse_loss" {
		t.Errorf("an activation's view carried to a loss: %q", q)
	}
}
