//go:build js && wasm

package main

import (
	"syscall/js"
	"unsafe"
)

// fromJS converts a JavaScript value to float64, string, bool, nil, []any (arrays and typed
// arrays) or map[string]any (plain objects), walking at most 32 levels deep. Functions and
// symbols become nil.
func fromJS(v js.Value) any { return fromJSDepth(v, 0) }

var (
	jsArray       = js.Global().Get("Array")
	jsArrayBuffer = js.Global().Get("ArrayBuffer")
	jsObject      = js.Global().Get("Object")
)

func fromJSDepth(v js.Value, depth int) any {
	switch v.Type() {
	case js.TypeNumber:
		return v.Float()
	case js.TypeString:
		return v.String()
	case js.TypeBoolean:
		return v.Bool()
	case js.TypeObject:
		if depth > 32 {
			return nil
		}
		if jsArray.Call("isArray", v).Bool() || jsArrayBuffer.Call("isView", v).Bool() {
			n := v.Length()
			out := make([]any, n)
			for i := range n {
				out[i] = fromJSDepth(v.Index(i), depth+1)
			}
			return out
		}
		keys := jsObject.Call("keys", v)
		n := keys.Length()
		out := make(map[string]any, n)
		for i := range n {
			k := keys.Index(i).String()
			out[k] = fromJSDepth(v.Get(k), depth+1)
		}
		return out
	}
	return nil
}

// toJS converts the values fromJS produces (and []float64, int) to JavaScript.
func toJS(v any) any {
	switch x := v.(type) {
	case map[string]any:
		o := jsObject.New()
		for k, e := range x {
			o.Set(k, toJS(e))
		}
		return o
	case []any:
		a := jsArray.New(len(x))
		for i, e := range x {
			a.SetIndex(i, toJS(e))
		}
		return a
	case []float64:
		a := jsArray.New(len(x))
		for i, e := range x {
			a.SetIndex(i, e)
		}
		return a
	}
	return v
}

// f64Buf is a reused Float64Array over a Uint8Array: put copies a []float64 into it with one
// js.CopyBytesToJS call (no call per element).
type f64Buf struct {
	u8, f64 js.Value
	n       int
}

var (
	jsUint8Array   = js.Global().Get("Uint8Array")
	jsFloat64Array = js.Global().Get("Float64Array")
)

func (b *f64Buf) put(v []float64) js.Value {
	if b.u8.IsUndefined() || b.n != len(v) {
		b.u8 = jsUint8Array.New(len(v) * 8)
		b.f64 = jsFloat64Array.New(b.u8.Get("buffer"), 0, len(v))
		b.n = len(v)
	}
	if len(v) > 0 {
		js.CopyBytesToJS(b.u8, unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), len(v)*8))
	}
	return b.f64
}

// u8Buf is a reused Uint8ClampedArray (for ImageData).
type u8Buf struct {
	a js.Value
	n int
}

func (b *u8Buf) put(v []byte) js.Value {
	if b.a.IsUndefined() || b.n != len(v) {
		b.a = js.Global().Get("Uint8ClampedArray").New(len(v))
		b.n = len(v)
	}
	if len(v) > 0 {
		js.CopyBytesToJS(b.a, v)
	}
	return b.a
}
