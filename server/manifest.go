package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The manifest lets a host that keeps the bundle's bytes elsewhere (Cloudflare
// Workers static assets) serve it with this package's handler: it lists every
// file the handler could read, one line each,
//
//	<hex sha256> <size> <path>
//
// sorted by path. WriteManifest makes it from the bundle at build time and
// ManifestFS turns it back into an fs.FS whose bytes come from a callback.

// WriteManifest writes the manifest of every regular, non-dot file of fsys.
func WriteManifest(w io.Writer, fsys fs.FS) error {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(names)
	bw := bufio.NewWriter(w)
	for _, name := range names {
		if strings.ContainsAny(name, "\n\r") {
			return fmt.Errorf("manifest: file name %q has a line break", name)
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(bw, "%s %d %s\n", HashBytes(data), len(data), name)
	}
	return bw.Flush()
}

// ManifestFS returns a read-only fs.FS holding the files a manifest lists.
// Stat and ReadDir answer from the manifest; opening a file calls open(name)
// for its bytes. The result implements
// ContentHasher, so New streams its files instead of caching them.
//
// If the io.ReadCloser that open returns implements io.WriterTo, the opened
// file's WriteTo delegates to it (on Workers this hands the body stream
// straight to the runtime).
func ManifestFS(manifest string, open func(name string) (io.ReadCloser, error)) (fs.FS, error) {
	m := &manifestFS{open: open, files: map[string]manifestEntry{}, dirs: map[string][]string{".": nil}}
	for i, line := range strings.Split(manifest, "\n") {
		if line == "" {
			continue
		}
		hash, rest, ok1 := strings.Cut(line, " ")
		sizeText, name, ok2 := strings.Cut(rest, " ")
		size, err := strconv.ParseInt(sizeText, 10, 64)
		if !ok1 || !ok2 || err != nil || size < 0 || len(hash) != 64 || !fs.ValidPath(name) || name == "." {
			return nil, fmt.Errorf("manifest line %d: malformed", i+1)
		}
		if _, dup := m.files[name]; dup {
			return nil, fmt.Errorf("manifest line %d: duplicate %q", i+1, name)
		}
		if _, isDir := m.dirs[name]; isDir {
			return nil, fmt.Errorf("manifest line %d: %q is also a directory", i+1, name)
		}
		m.files[name] = manifestEntry{hash: hash, size: size}
		// Register the parent directories.
		child := name
		for {
			dir := path.Dir(child)
			if _, isFile := m.files[dir]; isFile {
				return nil, fmt.Errorf("manifest line %d: %q is also a file", i+1, dir)
			}
			_, known := m.dirs[dir]
			m.dirs[dir] = append(m.dirs[dir], path.Base(child))
			if known || dir == "." {
				break
			}
			child = dir
		}
	}
	for d := range m.dirs {
		sort.Strings(m.dirs[d])
	}
	return m, nil
}

type manifestEntry struct {
	hash string
	size int64
}

type manifestFS struct {
	open  func(string) (io.ReadCloser, error)
	files map[string]manifestEntry
	dirs  map[string][]string // directory -> sorted child names
}

var (
	_ fs.StatFS     = (*manifestFS)(nil)
	_ fs.ReadDirFS  = (*manifestFS)(nil)
	_ ContentHasher = (*manifestFS)(nil)
)

func (m *manifestFS) ContentHash(name string) (string, error) {
	e, ok := m.files[name]
	if !ok {
		return "", &fs.PathError{Op: "hash", Path: name, Err: fs.ErrNotExist}
	}
	return e.hash, nil
}

func (m *manifestFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	if e, ok := m.files[name]; ok {
		return manifestInfo{name: path.Base(name), size: e.size}, nil
	}
	if _, ok := m.dirs[name]; ok {
		return manifestInfo{name: path.Base(name), dir: true}, nil
	}
	return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}

func (m *manifestFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	children, ok := m.dirs[name]
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	out := make([]fs.DirEntry, 0, len(children))
	for _, c := range children {
		info, err := m.Stat(path.Join(name, c))
		if err != nil {
			return nil, err
		}
		out = append(out, fs.FileInfoToDirEntry(info))
	}
	return out, nil
}

func (m *manifestFS) Open(name string) (fs.File, error) {
	info, err := m.Stat(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.Unwrap(err)}
	}
	if info.IsDir() {
		entries, _ := m.ReadDir(name)
		return &manifestDir{info: info, entries: entries}, nil
	}
	f := &manifestFile{info: info, name: name, open: m.open}
	if err := f.load(); err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return f, nil
}

type manifestInfo struct {
	name string
	size int64
	dir  bool
}

func (i manifestInfo) Name() string { return i.name }
func (i manifestInfo) Size() int64  { return i.size }
func (i manifestInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i manifestInfo) ModTime() time.Time { return time.Time{} }
func (i manifestInfo) IsDir() bool        { return i.dir }
func (i manifestInfo) Sys() any           { return nil }

type manifestFile struct {
	info fs.FileInfo
	name string
	open func(string) (io.ReadCloser, error)
	body io.ReadCloser
	err  error
}

func (f *manifestFile) Stat() (fs.FileInfo, error) { return f.info, nil }

func (f *manifestFile) load() error {
	if f.body == nil && f.err == nil {
		f.body, f.err = f.open(f.name)
		if f.err == nil && f.body == nil {
			f.err = errors.New("manifest: open returned no body")
		}
	}
	return f.err
}

func (f *manifestFile) Read(p []byte) (int, error) {
	if err := f.load(); err != nil {
		return 0, err
	}
	return f.body.Read(p)
}

// WriteTo lets io.Copy use the body's own WriteTo, if it has one.
func (f *manifestFile) WriteTo(w io.Writer) (int64, error) {
	if err := f.load(); err != nil {
		return 0, err
	}
	if wt, ok := f.body.(io.WriterTo); ok {
		return wt.WriteTo(w)
	}
	return io.Copy(w, struct{ io.Reader }{f.body})
}

func (f *manifestFile) Close() error {
	if f.body != nil {
		return f.body.Close()
	}
	return nil
}

type manifestDir struct {
	info    fs.FileInfo
	entries []fs.DirEntry
	off     int
}

func (d *manifestDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *manifestDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.Name(), Err: fs.ErrInvalid}
}
func (d *manifestDir) Close() error { return nil }

func (d *manifestDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	if n > len(rest) {
		n = len(rest)
	}
	d.off += n
	return rest[:n], nil
}
