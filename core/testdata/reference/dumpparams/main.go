// Command dumpparams writes the registry's parameter descriptions (PyTorch name, type, default,
// slider range, choices) and the loss inputs as JSON on standard output. gen.py reads the file
// to pick the parameter settings of the reference (defaults and the edges of each slider range).
//
//	go run ./core/testdata/reference/dumpparams > core/testdata/reference/params.json
//
// It lives under testdata so that ./... never builds it and core never imports encoding/json.
package main

import (
	"encoding/json"
	"os"

	"github.com/nnplay/nnplay/core"
)

type param struct {
	Name       string    `json:"name"`
	Type       string    `json:"type"`
	Default    float64   `json:"default"`
	DefaultVec []float64 `json:"default_vec,omitempty"`
	Choices    []string  `json:"choices,omitempty"`
	Min        float64   `json:"min"`
	Max        float64   `json:"max"`
	MinLen     int       `json:"min_len,omitempty"`
	MaxLen     int       `json:"max_len,omitempty"`
}

type input struct {
	Name           string `json:"name"`
	Differentiable bool   `json:"differentiable"`
	Doc            string `json:"doc"`
}

type fn struct {
	ID     string  `json:"id"`
	Kind   string  `json:"kind"`
	Params []param `json:"params"`
	Inputs []input `json:"inputs,omitempty"`
}

func main() {
	var out []fn
	for _, f := range core.All() {
		g := fn{ID: f.ID, Kind: string(f.Kind), Params: []param{}}
		for _, p := range f.Params {
			g.Params = append(g.Params, param{Name: p.Name, Type: string(p.Type), Default: p.Default,
				DefaultVec: p.DefaultVec, Choices: p.Choices, Min: p.Min, Max: p.Max, MinLen: p.MinLen, MaxLen: p.MaxLen})
		}
		for _, in := range f.Inputs {
			g.Inputs = append(g.Inputs, input{in.Name, in.Differentiable, in.Doc})
		}
		out = append(out, g)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		os.Exit(1)
	}
}
