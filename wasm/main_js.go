//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/nnplay/nnplay/core"
	"github.com/nnplay/nnplay/core/view"
)

func main() {
	nn := js.Global().Get("__nnplay")
	if nn.IsUndefined() || nn.Get("glue").IsUndefined() {
		js.Global().Get("console").Call("error", "nnplay: the wasm must be started by the page's app script (window.__nnplay.glue is missing)")
		return
	}
	glue := nn.Get("glue")
	b := newBrowser(glue)
	app := NewApp(b, js.Global().Get("location").Get("search").String())
	b.app = app
	b.buildPicker()
	api := exportAPI(app)
	nn.Set("go", api)
	glue.Call("goReady", api)
	app.Start()
	select {} // keep the program alive: it runs in its callbacks
}

// result wraps a value or an error for the JavaScript wrapper, which throws {error}.
func result(v any, err error) any {
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	return v
}

// exportAPI returns the object behind window.nnplay (see web/src/main.js).
func exportAPI(app *App) js.Value {
	o := js.Global().Get("Object").New()
	fn := func(name string, f func(args []js.Value) any) {
		o.Set(name, js.FuncOf(func(this js.Value, args []js.Value) (out any) {
			defer func() {
				if r := recover(); r != nil {
					msg := "internal error"
					if e, ok := r.(error); ok {
						msg += ": " + e.Error()
					} else if s, ok := r.(string); ok {
						msg += ": " + s
					}
					out = map[string]any{"error": "nnplay: " + msg}
				}
			}()
			return toJS(f(args))
		}))
	}
	arg := func(args []js.Value, i int) js.Value {
		if i < len(args) {
			return args[i]
		}
		return js.Undefined()
	}
	fn("functions", func([]js.Value) any { return Functions() })
	fn("state", func([]js.Value) any { return StateMap(&app.S) })
	fn("view", func([]js.Value) any { return ViewMap(&app.S) })
	fn("views", func([]js.Value) any { return ViewsInfo(&app.S) })
	fn("setState", func(args []js.Value) any {
		v := fromJS(arg(args, 0))
		m, ok := v.(map[string]any)
		if !ok {
			return map[string]any{"error": "setState takes an object such as {f: 'elu', alpha: 2}, got " + core.Describe(v)}
		}
		seq, err := app.ApplyState(m)
		return result(map[string]any{"seq": seq}, err)
	})
	fn("reset", func([]js.Value) any { return map[string]any{"seq": app.Reset()} })
	fn("evaluate", func(args []js.Value) any {
		id := arg(args, 0)
		if id.Type() != js.TypeString {
			return map[string]any{"error": "evaluate takes a function id first, such as 'gelu'"}
		}
		return result(core.Evaluate(id.String(), fromJS(arg(args, 1)), fromJS(arg(args, 2))))
	})
	// what a renderer's drag sets: two number keys at once, or one element of a list key
	fn("drag", func(args []js.Value) any {
		app.Drag(arg(args, 0).String(), arg(args, 1).Float(), arg(args, 2).String(), arg(args, 3).Float())
		return nil
	})
	// the labs' calls (view.Lab.Calls): nnplay.<name>(args) on every page of the labs' program
	calls := []any{}
	for _, l := range view.Labs() {
		for _, c := range l.Calls {
			call := c.Run
			fn("lab_"+c.Name, func(args []js.Value) any { return result(call(fromJS(arg(args, 0)))) })
			calls = append(calls, c.Name)
		}
	}
	o.Set("labCalls", toJS(calls))
	fn("setListValue", func(args []js.Value) any {
		app.SetListValue(arg(args, 0).String(), arg(args, 1).Int(), arg(args, 2).Float())
		return nil
	})
	return o
}
