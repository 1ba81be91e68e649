//go:build !wasm

package core

import "math"

// exp is math.Exp (see exp_wasm.go).
func exp(x float64) float64 { return math.Exp(x) }
