//go:build js && wasm

// Command wasmbench is the wasm side of the in-browser comparison in make bench
// (web/bench/run.mjs): the same core/view bulk path the page runs per frame, compiled with the
// same toolchain and flags as build/nnplay.wasm, loaded into the same page next to it. It
// exposes globalThis.__nnbench:
//
//	curves(id, n, reps, copy)  fills view.Curves (n points, the function's default state) reps
//	                           times; copy = true also copies X, Y, DY, FD to reused
//	                           Float64Arrays with one js.CopyBytesToJS each, as the page does.
//	                           Returns {y, dy} (the last frame's Float64Arrays) for a check.
//	surface(id, nx, ny, reps)  fills view.Grid.Surface reps times and copies RGBA and Z.
//	range(id)                  the default x range [xmin, xmax] that curves uses.
//
// The caller times the call with performance.now(): one JS->Go call per reps frames.
package main

import (
	"syscall/js"
	"unsafe"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

type f64Buf struct{ u8, f64 js.Value }

func (b *f64Buf) put(v []float64) js.Value {
	if b.u8.IsUndefined() || b.f64.Get("length").Int() != len(v) {
		b.u8 = js.Global().Get("Uint8Array").New(len(v) * 8)
		b.f64 = js.Global().Get("Float64Array").New(b.u8.Get("buffer"), 0, len(v))
	}
	js.CopyBytesToJS(b.u8, unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), len(v)*8))
	return b.f64
}

func main() {
	var bx, by, bdy, bfd, bz f64Buf
	var rgba js.Value
	curves := map[int]*view.Curves{}
	grids := map[[2]int]*view.Grid{}
	o := js.Global().Get("Object").New()
	o.Set("curves", js.FuncOf(func(_ js.Value, a []js.Value) any {
		f, ok := core.Lookup(a[0].String())
		if !ok {
			return js.Null()
		}
		n, reps, cp := a[1].Int(), a[2].Int(), a[3].Truthy()
		c := curves[n]
		if c == nil {
			c = view.NewCurves(n)
			curves[n] = c
		}
		s := view.Default(f)
		for range reps {
			if f.Kind == core.Loss {
				c.LossCurve(f, s.P, s.T, s.XMin, s.XMax)
			} else {
				c.Activation(f, s.P, s.XMin, s.XMax)
			}
			if cp {
				bx.put(c.X)
				by.put(c.Y)
				bdy.put(c.DY)
				bfd.put(c.FD)
			}
		}
		r := js.Global().Get("Object").New()
		r.Set("y", by.put(c.Y))
		r.Set("dy", bdy.put(c.DY))
		r.Set("fd", bfd.put(c.FD))
		return r
	}))
	o.Set("surface", js.FuncOf(func(_ js.Value, a []js.Value) any {
		f, ok := core.Lookup(a[0].String())
		if !ok || f.Surface == nil {
			return js.Null()
		}
		nx, ny, reps := a[1].Int(), a[2].Int(), a[3].Int()
		g := grids[[2]int{nx, ny}]
		if g == nil {
			g = view.NewGrid(nx, ny)
			grids[[2]int{nx, ny}] = g
		}
		s := view.Default(f)
		for range reps {
			g.Surface(f, s.P, s.T)
			if rgba.IsUndefined() || rgba.Get("length").Int() != len(g.RGBA) {
				rgba = js.Global().Get("Uint8ClampedArray").New(len(g.RGBA))
			}
			js.CopyBytesToJS(rgba, g.RGBA)
			bz.put(g.Z)
		}
		return nil
	}))
	o.Set("range", js.FuncOf(func(_ js.Value, a []js.Value) any {
		f, ok := core.Lookup(a[0].String())
		if !ok {
			return js.Null()
		}
		s := view.Default(f)
		return []any{s.XMin, s.XMax}
	}))
	js.Global().Set("__nnbench", o)
	if cb := js.Global().Get("__nnbenchReady"); cb.Type() == js.TypeFunction {
		cb.Invoke()
	}
	select {}
}
