package core

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The ONNX backend node tests (testdata/onnx/vectors.json.gz: the cases core checks, extracted
// from onnx/onnx at commit 6be0677f; testdata/onnx/README.md says how, and which ONNX operator is
// which PyTorch function). The expected outputs were computed by ONNX's NumPy reference code in
// float32 (float16/bfloat16 for the *_float16/*_bfloat16 cases), so they are compared with a
// tolerance of that size.

// onnxVectorsPath is the vectors file: $NNPLAY_ONNX_VECTORS (for example the full shared copy),
// or the extract committed in testdata/onnx.
func onnxVectorsPath() string {
	if p := os.Getenv("NNPLAY_ONNX_VECTORS"); p != "" {
		return p
	}
	return filepath.Join("testdata", "onnx", "vectors.json.gz")
}

// onnxVectorsJSON returns the JSON text of the vectors file, gunzipped when its name ends in
// .gz. A missing or unreadable file fails the test: the vectors are part of the repository.
func onnxVectorsJSON(t *testing.T) []byte {
	t.Helper()
	path := onnxVectorsPath()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("ONNX vectors: %v", err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("ONNX vectors %s: %v", path, err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			t.Fatalf("ONNX vectors %s: %v", path, err)
		}
	}
	return b
}

type onnxTensor struct {
	Name  string `json:"name"`
	Dtype string `json:"dtype"`
	Shape []int  `json:"shape"`
	Data  []any  `json:"data"`
}

type onnxCase struct {
	Case       string         `json:"case"`
	Op         string         `json:"op"`
	Opset      map[string]int `json:"opset"`
	Attributes map[string]any `json:"attributes"`
	NodeInputs []string       `json:"node_inputs"`
	Inputs     []onnxTensor   `json:"inputs"`
	Outputs    []onnxTensor   `json:"outputs"`
}

// floats converts a data list (numbers, or "NaN", "Infinity", "-Infinity") to float64.
func (t onnxTensor) floats() []float64 {
	out := make([]float64, len(t.Data))
	for i, v := range t.Data {
		switch v := v.(type) {
		case float64:
			out[i] = v
		case string:
			switch v {
			case "NaN":
				out[i] = math.NaN()
			case "Infinity":
				out[i] = math.Inf(1)
			case "-Infinity":
				out[i] = math.Inf(-1)
			}
		}
	}
	return out
}

func (c onnxCase) attr(name string, def float64) float64 {
	if v, ok := c.Attributes[name].(float64); ok {
		return v
	}
	return def
}

// input returns the graph input feeding node input slot i, or false if the slot is empty.
func (c onnxCase) input(i int) (onnxTensor, bool) {
	if i >= len(c.NodeInputs) || c.NodeInputs[i] == "" {
		return onnxTensor{}, false
	}
	for _, t := range c.Inputs {
		if t.Name == c.NodeInputs[i] {
			return t, true
		}
	}
	return onnxTensor{}, false
}

// actONNXTol returns the relative tolerance for a dtype: a few float32 ulps (the README's ~1e-6),
// two float16 ulps, two bfloat16 ulps.
func actONNXTol(dtype string) float64 {
	switch dtype {
	case "float16":
		return 2e-3
	case "bfloat16":
		return 1.6e-2
	}
	return 1e-6
}

func actLoadONNX(t *testing.T) []onnxCase {
	t.Helper()
	var cases []onnxCase
	if err := json.Unmarshal(onnxVectorsJSON(t), &cases); err != nil {
		t.Fatalf("%s: %v", onnxVectorsPath(), err)
	}
	if len(cases) == 0 {
		t.Fatalf("%s: no ONNX case", onnxVectorsPath())
	}
	return cases
}

// actONNXScalarOf returns the registered activation id and its parameters for an elementwise ONNX case,
// or ok = false (with the reason) when the case is not one of nnplay's activations in PyTorch's
// parameterisation.
func actONNXScalarOf(c onnxCase) (id string, params []float64, ok bool, why string) {
	switch c.Op {
	case "Relu":
		return "relu", nil, true, ""
	case "Sigmoid":
		return "sigmoid", nil, true, ""
	case "Tanh":
		return "tanh", nil, true, ""
	case "Softsign":
		return "softsign", nil, true, ""
	case "Mish":
		return "mish", nil, true, ""
	case "HardSwish":
		return "hardswish", nil, true, ""
	case "Softplus": // ONNX has no beta/threshold: nn.Softplus() with |x| <= 3, far below 20
		return "softplus", []float64{1, 20}, true, ""
	case "Elu":
		return "elu", []float64{c.attr("alpha", 1)}, true, ""
	case "Celu":
		return "celu", []float64{c.attr("alpha", 1)}, true, ""
	case "LeakyRelu":
		return "leaky_relu", []float64{c.attr("alpha", 0.01)}, true, ""
	case "Selu":
		if len(c.Attributes) == 0 {
			return "selu", nil, true, ""
		}
		return "", nil, false, "alpha/gamma differ from nn.SELU's constants"
	case "Gelu":
		if c.Attributes["approximate"] == "tanh" {
			return "gelu", []float64{geluTanh}, true, ""
		}
		return "gelu", []float64{geluNone}, true, ""
	case "ThresholdedRelu": // x if x > alpha else 0 = nn.Threshold(alpha, 0)
		return "threshold", []float64{c.attr("alpha", 1), 0}, true, ""
	case "Swish": // x·σ(alpha·x); alpha = 1 is nn.SiLU
		if c.attr("alpha", 1) == 1 {
			return "silu", nil, true, ""
		}
		return "", nil, false, "alpha != 1 is not nn.SiLU"
	case "Shrink":
		l, b := c.attr("lambd", 0.5), c.attr("bias", 0)
		switch b {
		case 0:
			return "hardshrink", []float64{l}, true, ""
		case l:
			return "softshrink", []float64{l}, true, ""
		}
		return "", nil, false, "bias is neither 0 nor lambd"
	case "HardSigmoid":
		// ONNX's max(0, min(1, alpha·x + beta)) is nn.Hardsigmoid only for alpha = 1/6, beta = 1/2;
		// no case uses those (the README: 0.5/0.6 and the Keras-style default 0.2/0.5).
		return "", nil, false, "alpha, beta are not nn.Hardsigmoid's 1/6, 1/2"
	}
	return "", nil, false, "operator is not an nnplay activation"
}

func TestONNXVectors(t *testing.T) {
	cases := actLoadONNX(t)
	checked, elements := 0, 0
	skipped := map[string]string{}
	for _, c := range cases {
		var got, want []float64
		switch c.Op {
		case "SoftmaxCrossEntropyLoss", "NegativeLogLikelihoodLoss":
			continue // TestONNXClassLosses
		case "PRelu":
			x, _ := c.input(0)
			slope, _ := c.input(1)
			xs, ss := x.floats(), slope.floats()
			idx := actBroadcastIndex(x.Shape, slope.Shape)
			got = make([]float64, len(xs))
			for i, v := range xs {
				got[i], _ = PReLU(v, ss[idx[i]])
			}
		case "Clip":
			// Clip with min <= max is nn.Hardtanh(min, max) (an omitted bound is ±inf).
			x, _ := c.input(0)
			lo, hi := math.Inf(-1), math.Inf(1)
			if m, ok := c.input(1); ok {
				lo = m.floats()[0]
			}
			if m, ok := c.input(2); ok {
				hi = m.floats()[0]
			}
			f, _ := Lookup("hardtanh")
			p := f.Defaults()
			p.Num[0], p.Num[1] = lo, hi
			if lo > hi {
				// test_clip_min_greater_than_max: torch.clamp gives max everywhere, but
				// F.hardtanh rejects min_val > max_val.
				if err := f.Check(p); err == nil || err.Error() != "min_val cannot be greater than max_val" {
					t.Errorf("%s: hardtanh(min_val=%v, max_val=%v) error = %v", c.Case, lo, hi, err)
				}
				skipped[c.Case] = "min > max: F.hardtanh raises (checked)"
				continue
			}
			got = make([]float64, len(x.Data))
			for i, v := range x.floats() {
				got[i], _ = f.Scalar(p, v)
			}
		case "Softmax", "LogSoftmax":
			if c.Opset["ai.onnx"] < 13 {
				skipped[c.Case] = "opset < 13 coerces to 2-D"
				continue
			}
			x, _ := c.input(0)
			fn := Softmax
			if c.Op == "LogSoftmax" {
				fn = LogSoftmax
			}
			got = actAlongAxis(x.floats(), x.Shape, int(c.attr("axis", -1)), fn)
		default:
			id, params, ok, why := actONNXScalarOf(c)
			if !ok {
				skipped[c.Case] = why
				continue
			}
			f, found := Lookup(id)
			if !found {
				t.Fatalf("%s: %s is not registered", c.Case, id)
			}
			p := f.Defaults()
			copy(p.Num, params)
			if err := f.Check(p); err != nil {
				t.Fatalf("%s: %s%v: %v", c.Case, id, params, err)
			}
			x, _ := c.input(0)
			got = make([]float64, len(x.Data))
			for i, v := range x.floats() {
				got[i], _ = f.Scalar(p, v)
			}
		}
		want = c.Outputs[0].floats()
		tol := actONNXTol(c.Outputs[0].Dtype)
		absTol := tol * 1e-3
		switch c.Op {
		case "Elu", "Celu", "Selu":
			// NumPy's float32 exp(x) - 1 cancels for small |x|: its absolute error is about
			// alpha·2⁻²³ (nnplay uses expm1, which is exact to an ulp).
			absTol = 4 * tol * math.Max(1, c.attr("alpha", 1)*c.attr("gamma", 1.0507009873554805))
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d outputs, want %d", c.Case, len(got), len(want))
			continue
		}
		bad := 0
		for i := range want {
			if !actCloseRelAbs(got[i], want[i], tol, absTol) {
				if bad < 3 {
					t.Errorf("%s[%d]: got %v, want %v (tol %g)", c.Case, i, got[i], want[i], tol)
				}
				bad++
			}
		}
		checked++
		elements += len(want)
	}
	t.Logf("ONNX: %d cases (%d values) checked, %d skipped", checked, elements, len(skipped))
	for k, v := range skipped {
		t.Logf("  skipped %s: %s", k, v)
	}
	if checked == 0 {
		t.Fatal("no ONNX case checked")
	}
}

// actCloseRelAbs reports whether got is within rel·|want| + abs of want (NaN matches NaN, and
// infinities must be equal).
func actCloseRelAbs(got, want, rel, abs float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return got == want
	}
	return math.Abs(got-want) <= rel*math.Abs(want)+abs
}

// actBroadcastIndex returns, for each element of an array of shape xs, the flat index of the
// element of an array of shape ss broadcast to xs with NumPy's right-aligned rules.
func actBroadcastIndex(xs, ss []int) []int {
	n := 1
	for _, d := range xs {
		n *= d
	}
	idx := make([]int, n)
	for i := range idx {
		rem, j, stride := i, 0, 1
		for k := len(xs) - 1; k >= 0; k-- {
			c := rem % xs[k]
			rem /= xs[k]
			ks := k - (len(xs) - len(ss))
			if ks >= 0 {
				if ss[ks] != 1 {
					j += c * stride
				}
				stride *= ss[ks]
			}
		}
		idx[i] = j
	}
	return idx
}

// actAlongAxis applies a vector function to every 1-D slice of x (shape shape) along axis.
func actAlongAxis(x []float64, shape []int, axis int, fn func(x, y, grad []float64)) []float64 {
	if axis < 0 {
		axis += len(shape)
	}
	inner := 1
	for _, d := range shape[axis+1:] {
		inner *= d
	}
	n := shape[axis]
	outer := len(x) / (n * inner)
	out := make([]float64, len(x))
	row, y, g := make([]float64, n), make([]float64, n), make([]float64, n)
	for o := 0; o < outer; o++ {
		for in := 0; in < inner; in++ {
			for k := 0; k < n; k++ {
				row[k] = x[(o*n+k)*inner+in]
			}
			fn(row, y, g)
			for k := 0; k < n; k++ {
				out[(o*n+k)*inner+in] = y[k]
			}
		}
	}
	return out
}
