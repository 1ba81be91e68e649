//go:build !wasm

package core

import "math"

// prodErr returns a*b - p exactly for p = fl(a*b) (the error of a product), with one fused
// multiply-add. Under GOARCH=wasm, which has no fused multiply-add, proderr_wasm.go computes the
// same value by Dekker's product.
func prodErr(a, b, p float64) float64 { return math.FMA(a, b, -p) }

// divRem returns a - q*b rounded once, for q = fl(a/b): the remainder of a division.
func divRem(a, b, q float64) float64 { return math.FMA(-q, b, a) }
