// Command health-check runs the RedisCache health check for Argo CD (deploy/argocd) the way Argo CD
// runs it, with gopher-lua, and compares its answer with kstatus (sigs.k8s.io/cli-utils), what Flux,
// kpt and Helm's watcher use. Test tooling only; see README.md.
//
//	health-check test <customization dir> <argocd-cm.yaml>
//	    every case of <dir>/health_test.yaml (Argo CD's own format), with Argo CD's restricted
//	    libraries and with all of them; kstatus must agree on each; the argocd-cm snippet must hold
//	    health.lua exactly.
//	health-check live <health.lua> <object.json|yaml>...
//	    live objects (dumped by an end-to-end test): prints one line per object,
//	    "<file> <Argo CD status> <kstatus status> <message>"; fails when the two disagree.
//	health-check argocd-cm <health.lua>
//	    prints the argocd-cm snippet that carries health.lua.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/yaml"
)

// The argocd-cm key Argo CD reads a health check for group elasticache.operators.dev, kind RedisCache from.
const configMapKey = "resource.customizations.health.elasticache.operators.dev_RedisCache"

func main() {
	if len(os.Args) < 3 {
		fail("usage: health-check test <dir> <argocd-cm.yaml> | live <health.lua> <file>... | argocd-cm <health.lua>")
	}
	var err error
	switch os.Args[1] {
	case "test":
		if len(os.Args) != 4 {
			fail("usage: health-check test <customization dir> <argocd-cm.yaml>")
		}
		err = testCases(os.Args[2], os.Args[3])
	case "live":
		err = live(os.Args[2], os.Args[3:])
	case "argocd-cm":
		var script []byte
		if script, err = os.ReadFile(os.Args[2]); err == nil {
			fmt.Print(configMap(string(script)))
		}
	default:
		fail("unknown command " + os.Args[1])
	}
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "health-check: "+msg)
	os.Exit(1)
}

// ---------------------------------------------------------------- Argo CD's Lua

// Health is what a health.lua returns.
type Health struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// runLua evaluates script on obj as Argo CD does: a fresh state, the object as the global `obj`
// (maps as tables, lists as 1-based tables, numbers as Lua numbers), the script's returned table read
// back. With openLibs false it has only what Argo CD gives a script from argocd-cm (base, table,
// package and an os with time and date only, no string library); with true, every gopher-lua library
// as well (what Argo CD gives its built-in scripts and upstream's tests).
func runLua(script string, obj map[string]any, openLibs bool) (Health, error) {
	L := lua.NewState(lua.Options{SkipOpenLibs: !openLibs})
	defer L.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}} {
		L.Push(L.NewFunction(lib.open))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	if !openLibs {
		L.SetGlobal(lua.OsLibName, safeOs(L))
	}
	L.SetGlobal("obj", toLua(L, obj))
	if err := L.DoString(script); err != nil {
		return Health{}, err
	}
	ret, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		return Health{}, fmt.Errorf("the script returned %s, not a table", L.Get(-1).Type())
	}
	h := Health{Status: lua.LVAsString(ret.RawGetString("status")), Message: lua.LVAsString(ret.RawGetString("message"))}
	switch h.Status {
	case "Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown":
		return h, nil
	}
	return Health{}, fmt.Errorf("the script returned status %q, which Argo CD does not know", h.Status)
}

// safeOs is the part of os a script from argocd-cm may use: the time and the date, nothing that
// reads files, runs commands or exits.
func safeOs(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	t.RawSetString("time", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LNumber(time.Now().Unix()))
		return 1
	}))
	t.RawSetString("date", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString(time.Now().UTC().Format(time.RFC3339)))
		return 1
	}))
	return t
}

func toLua(L *lua.LState, v any) lua.LValue {
	switch x := v.(type) {
	case nil:
		return lua.LNil
	case bool:
		return lua.LBool(x)
	case string:
		return lua.LString(x)
	case int64:
		return lua.LNumber(x)
	case int:
		return lua.LNumber(x)
	case float64:
		return lua.LNumber(x)
	case []any:
		t := L.CreateTable(len(x), 0)
		for _, item := range x {
			t.Append(toLua(L, item))
		}
		return t
	case map[string]any:
		t := L.CreateTable(0, len(x))
		for k, item := range x {
			t.RawSetString(k, toLua(L, item))
		}
		return t
	}
	panic(fmt.Sprintf("unexpected value %T in the object", v))
}

// argoHealth is what Argo CD shows: gitops-engine answers "Progressing, Pending deletion" for an
// object with a deletionTimestamp before it looks for a script; otherwise the script's answer,
// which must be the same with the restricted and the full libraries.
func argoHealth(script string, u *unstructured.Unstructured) (Health, error) {
	restricted, err := runLua(script, u.Object, false)
	if err != nil {
		return Health{}, fmt.Errorf("with Argo CD's restricted libraries: %w", err)
	}
	full, err := runLua(script, u.Object, true)
	if err != nil {
		return Health{}, fmt.Errorf("with all libraries: %w", err)
	}
	if restricted != full {
		return Health{}, fmt.Errorf("restricted libraries give %v, all libraries %v", restricted, full)
	}
	return restricted, nil
}

// ---------------------------------------------------------------- kstatus

// agrees says whether kstatus's answer means what Argo CD's does. Argo CD has no Terminating:
// gitops-engine shows a deleting object as Progressing.
func agrees(argo string, k status.Status) bool {
	switch argo {
	case "Healthy":
		return k == status.CurrentStatus
	case "Progressing":
		return k == status.InProgressStatus || k == status.TerminatingStatus
	case "Degraded":
		return k == status.FailedStatus
	}
	return false
}

func kstatus(u *unstructured.Unstructured) (*status.Result, error) {
	return status.Compute(u)
}

// ---------------------------------------------------------------- commands

// load reads a YAML or JSON object the way the API server hands it out: integers as int64
// (a plain YAML decode to float64 would make kstatus skip observedGeneration).
func load(path string) (*unstructured.Unstructured, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	u := &unstructured.Unstructured{}
	if err := u.UnmarshalJSON(js); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return u, nil
}

type healthTests struct {
	Tests []struct {
		HealthStatus Health `json:"healthStatus"`
		InputPath    string `json:"inputPath"`
	} `json:"tests"`
}

func testCases(dir, cmPath string) error {
	script, err := os.ReadFile(filepath.Join(dir, "health.lua"))
	if err != nil {
		return err
	}
	if err := librariesAreRestricted(); err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(dir, "health_test.yaml"))
	if err != nil {
		return err
	}
	var cases healthTests
	if err := yaml.UnmarshalStrict(data, &cases); err != nil {
		return fmt.Errorf("health_test.yaml: %w", err)
	}
	if len(cases.Tests) == 0 {
		return fmt.Errorf("health_test.yaml has no tests")
	}
	var problems []string
	for _, c := range cases.Tests {
		u, err := load(filepath.Join(dir, c.InputPath))
		if err != nil {
			return err
		}
		got, err := argoHealth(string(script), u)
		if err != nil {
			problems = append(problems, c.InputPath+": "+err.Error())
			continue
		}
		k, err := kstatus(u)
		if err != nil {
			return fmt.Errorf("%s: kstatus: %w", c.InputPath, err)
		}
		fmt.Printf("%-45s Argo CD %-11s kstatus %-11s %s\n", c.InputPath, got.Status, k.Status, got.Message)
		if got != c.HealthStatus {
			problems = append(problems, fmt.Sprintf("%s: Argo CD says %s %q, health_test.yaml expects %s %q",
				c.InputPath, got.Status, got.Message, c.HealthStatus.Status, c.HealthStatus.Message))
		}
		if !agrees(got.Status, k.Status) {
			problems = append(problems, fmt.Sprintf("%s: Argo CD says %s, kstatus %s (%s)", c.InputPath, got.Status, k.Status, k.Message))
		}
	}
	if err := configMapHolds(cmPath, string(script)); err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d problem(s):\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	fmt.Printf("%d cases: the same answer with Argo CD's restricted and with all libraries, as health_test.yaml expects, and kstatus agrees; %s holds health.lua\n",
		len(cases.Tests), cmPath)
	return nil
}

// librariesAreRestricted proves the restricted run is restricted: without it a script using
// string.format would pass here and fail in Argo CD.
func librariesAreRestricted() error {
	probe := `local hs = {}; hs.status = "Healthy"; hs.message = string.format("%d", 1); return hs`
	if _, err := runLua(probe, map[string]any{}, false); err == nil {
		return fmt.Errorf("the restricted libraries include string; they must not (Argo CD's argocd-cm scripts have no string library)")
	}
	if _, err := runLua(probe, map[string]any{}, true); err != nil {
		return fmt.Errorf("with all libraries, string.format fails: %w", err)
	}
	return nil
}

func live(scriptPath string, files []string) error {
	script, err := os.ReadFile(scriptPath)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no objects given")
	}
	var problems []string
	for _, f := range files {
		u, err := load(f)
		if err != nil {
			return err
		}
		got, err := argoHealth(string(script), u)
		if err != nil {
			problems = append(problems, f+": "+err.Error())
			continue
		}
		k, err := kstatus(u)
		if err != nil {
			return fmt.Errorf("%s: kstatus: %w", f, err)
		}
		fmt.Printf("%s\t%s\t%s\t%s\n", filepath.Base(f), got.Status, k.Status, got.Message)
		if !agrees(got.Status, k.Status) {
			problems = append(problems, fmt.Sprintf("%s: Argo CD says %s, kstatus %s (%s)", f, got.Status, k.Status, k.Message))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d problem(s):\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	return nil
}

// ---------------------------------------------------------------- argocd-cm

func configMap(script string) string {
	var b strings.Builder
	b.WriteString(`# Argo CD health check for RedisCache. Generated from
# resource_customizations/elasticache.operators.dev/RedisCache/health.lua by
#   make argocd-cm
# (make test fails when the two differ). Merge it into your argocd-cm:
#   kubectl -n argocd patch configmap argocd-cm --type merge --patch-file deploy/argocd/argocd-cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: argocd
  labels:
    app.kubernetes.io/name: argocd-cm
    app.kubernetes.io/part-of: argocd
data:
`)
	b.WriteString("  " + configMapKey + ": |\n")
	for _, line := range strings.Split(strings.TrimSuffix(script, "\n"), "\n") {
		if line == "" {
			b.WriteString("\n")
		} else {
			b.WriteString("    " + line + "\n")
		}
	}
	return b.String()
}

func configMapHolds(path, script string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var cm struct {
		Kind     string            `json:"kind"`
		Metadata map[string]any    `json:"metadata"`
		Data     map[string]string `json:"data"`
	}
	if err := yaml.Unmarshal(data, &cm); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if cm.Kind != "ConfigMap" || cm.Metadata["name"] != "argocd-cm" {
		return fmt.Errorf("%s is not the argocd-cm ConfigMap", path)
	}
	if cm.Data[configMapKey] != script {
		return fmt.Errorf("%s: %s is not health.lua as it is: run make argocd-cm", path, configMapKey)
	}
	if string(data) != configMap(script) {
		return fmt.Errorf("%s differs from what make argocd-cm writes: run it", path)
	}
	return nil
}
