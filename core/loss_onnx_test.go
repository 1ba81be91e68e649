package core

// ONNX backend test vectors for SoftmaxCrossEntropyLoss (= cross_entropy) and
// NegativeLogLikelihoodLoss (= nll_loss) from testdata/onnx/vectors.json.gz, extracted from
// onnx/onnx's node tests (see testdata/onnx/README.md; onnxVectorsJSON reads it). The expected
// outputs were computed by ONNX's NumPy reference in float32, so values are compared with a
// float32-sized tolerance. Every case is checked, including the (N, C, d1, ..., dk) forms,
// weights, negative and out-of-range ignore_index, all reductions, and the *_log_prob cases'
// second output against log_softmax.

import (
	"encoding/json"
	"math"
	"slices"
	"testing"
)

type lossONNXTensor struct {
	Name  string `json:"name"`
	Dtype string `json:"dtype"`
	Shape []int  `json:"shape"`
	Data  []any  `json:"data"`
}

type lossONNXCase struct {
	Case       string           `json:"case"`
	Op         string           `json:"op"`
	Attributes map[string]any   `json:"attributes"`
	NodeInputs []string         `json:"node_inputs"`
	Inputs     []lossONNXTensor `json:"inputs"`
	Outputs    []lossONNXTensor `json:"outputs"`
}

// floats converts the JSON data (numbers, or "NaN"/"Infinity"/"-Infinity") to float64.
func (o lossONNXTensor) lossFloats(t *testing.T) []float64 {
	v := make([]float64, len(o.Data))
	for i, d := range o.Data {
		switch x := d.(type) {
		case float64:
			v[i] = x
		case string:
			switch x {
			case "NaN":
				v[i] = math.NaN()
			case "Infinity":
				v[i] = math.Inf(1)
			case "-Infinity":
				v[i] = math.Inf(-1)
			default:
				t.Fatalf("bad number %q", x)
			}
		}
	}
	return v
}

// TestONNXClassLosses runs every SoftmaxCrossEntropyLoss and NegativeLogLikelihoodLoss case.
func TestONNXClassLosses(t *testing.T) {
	raw := onnxVectorsJSON(t)
	var cases []lossONNXCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	checked, logProbs, values := 0, 0, 0
	for _, c := range cases {
		var id string
		switch c.Op {
		case "SoftmaxCrossEntropyLoss":
			id = "cross_entropy"
		case "NegativeLogLikelihoodLoss":
			id = "nll_loss"
		default:
			continue
		}
		f := mustLoss(t, id)
		kv := []any{"reduction", "mean"}
		if r, ok := c.Attributes["reduction"].(string); ok {
			kv[1] = r
		}
		if ii, ok := c.Attributes["ignore_index"].(float64); ok {
			kv = append(kv, "ignore_index", ii)
		}
		// inputs by position: scores/input, labels/target, optional weights
		var x, y Tensor
		for i, in := range c.Inputs {
			tt := Tensor{Shape: in.Shape, Data: in.lossFloats(t)}
			switch i {
			case 0:
				x = tt
			case 1:
				y = tt
			case 2:
				kv = append(kv, "weight", tt.Data)
			}
		}
		p := lossParams(t, f, kv...)
		res, err := f.Loss(p, map[string]Tensor{"input": x, "target": y})
		if err != nil {
			t.Errorf("%s: %v", c.Case, err)
			continue
		}
		want := c.Outputs[0]
		if !slices.Equal(res.Loss.Shape, want.Shape) {
			t.Errorf("%s: loss shape %v, want %v", c.Case, res.Loss.Shape, want.Shape)
			continue
		}
		for i, w := range want.lossFloats(t) {
			values++
			if !closeRel(res.Loss.Data[i], w, 2e-6, 2e-6) {
				t.Errorf("%s: loss[%d] = %v, want %v", c.Case, i, res.Loss.Data[i], w)
				break
			}
		}
		if len(c.Outputs) > 1 { // log_prob = log_softmax(x, dim=1)
			lp := LogSoftmaxClasses(x)
			for i, w := range c.Outputs[1].lossFloats(t) {
				values++
				if !closeRel(lp.Data[i], w, 2e-6, 2e-6) {
					t.Errorf("%s: log_prob[%d] = %v, want %v", c.Case, i, lp.Data[i], w)
					break
				}
			}
			logProbs++
		}
		checked++
	}
	t.Logf("ONNX: %d SoftmaxCrossEntropyLoss/NegativeLogLikelihoodLoss cases checked (%d with log_prob), %d values, 0 skipped",
		checked, logProbs, values)
	if checked == 0 {
		t.Fatal("no ONNX class-loss case found")
	}
}
