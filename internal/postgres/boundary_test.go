package postgres

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoExportedAPIOutsideInternalNamesGorm reads every non-test Go file of
// the module outside internal/ and fails, naming the file and line, where
// an exported function, method, struct field, interface method, variable or
// type mentions a gorm package. Packages pass transactions as *Tx and the
// database as *DB (or a Conn); gorm itself stays in their store files.
func TestNoExportedAPIOutsideInternalNamesGorm(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == "internal" || strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		files++
		for _, bad := range gormInExportedAPI(t, path) {
			t.Errorf("%s:%s", rel, bad)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read only %d files from %s; is the module root right?", files, root)
	}
}

// TestTheGormBoundaryCheckBites feeds the check the shapes it must catch,
// and one it must not (gorm inside an unexported function).
func TestTheGormBoundaryCheckBites(t *testing.T) {
	t.Parallel()
	src := `package x
import (
	"context"
	orm "gorm.io/gorm"
	"gorm.io/gorm/clause"
)
func New(db *orm.DB) *Store { return nil }
func (s *Store) Tx(ctx context.Context, fn func(tx *orm.DB) error) error { return nil }
type Deps struct{ DB *orm.DB; db *orm.DB }
type Embeds struct{ *orm.DB }
type Locker interface{ Lock(c clause.Locking) }
var Shared *orm.DB
func helper(db *orm.DB) {}
type Store struct{}
`
	dir := t.TempDir()
	path := filepath.Join(dir, "x.go")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got := gormInExportedAPI(t, path)
	want := []string{"New", "Store.Tx", "Deps.DB", "Embeds.DB", "Locker.Lock", "Shared"}
	if len(got) != len(want) {
		t.Fatalf("found %q, want %d findings: %v", got, len(want), want)
	}
	for i, w := range want {
		if !strings.HasSuffix(got[i], " "+w) {
			t.Errorf("finding %d = %q, want it to name %s", i, got[i], w)
		}
	}
}

// gormInExportedAPI returns "line: name" for each exported declaration of
// the file at path whose type mentions an import from gorm.io.
func gormInExportedAPI(t *testing.T, path string) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	gormNames := map[string]bool{}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if !strings.HasPrefix(p, "gorm.io/") {
			continue
		}
		name := p[strings.LastIndex(p, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		gormNames[name] = true
	}
	if len(gormNames) == 0 {
		return nil
	}
	mentions := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && gormNames[id.Name] {
					found = true
				}
			}
			return !found
		})
		return found
	}
	var out []string
	report := func(pos token.Pos, name string) {
		out = append(out, strconv.Itoa(fset.Position(pos).Line)+": "+name)
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) == 1 {
				recv := receiverName(d.Recv.List[0].Type)
				if !ast.IsExported(recv) {
					continue
				}
				name = recv + "." + name
			}
			if ast.IsExported(d.Name.Name) && mentions(d.Type) {
				report(d.Pos(), name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if ast.IsExported(s.Name.Name) {
						exportedTypeMentions(s, mentions, report)
					}
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if ast.IsExported(n.Name) && s.Type != nil && mentions(s.Type) {
							report(n.Pos(), n.Name)
						}
					}
				}
			}
		}
	}
	return out
}

// exportedTypeMentions reports the exported fields and interface methods of
// an exported type that mention gorm, or the type itself when it is
// another kind (an alias, a func type).
func exportedTypeMentions(s *ast.TypeSpec, mentions func(ast.Node) bool, report func(token.Pos, string)) {
	var fields *ast.FieldList
	switch tt := s.Type.(type) {
	case *ast.StructType:
		fields = tt.Fields
	case *ast.InterfaceType:
		fields = tt.Methods
	default:
		if mentions(s.Type) {
			report(s.Pos(), s.Name.Name)
		}
		return
	}
	for _, field := range fields.List {
		names := field.Names
		if len(names) == 0 { // embedded: its name is its type's
			names = []*ast.Ident{{Name: receiverName(field.Type), NamePos: field.Pos()}}
		}
		for _, n := range names {
			if ast.IsExported(n.Name) && mentions(field.Type) {
				report(n.Pos(), s.Name.Name+"."+n.Name)
			}
		}
	}
}

// receiverName is the type name of a receiver or embedded field: T, *T,
// T[P], pkg.T.
func receiverName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return receiverName(x.X)
	case *ast.IndexExpr:
		return receiverName(x.X)
	case *ast.IndexListExpr:
		return receiverName(x.X)
	case *ast.SelectorExpr:
		return x.Sel.Name
	case *ast.Ident:
		return x.Name
	}
	return ""
}
