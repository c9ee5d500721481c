// Command rego-eval evaluates a Rego query with OPA's own engine (the `rego` package of
// github.com/open-policy-agent/opa, the library Gatekeeper embeds), taking the subset of
// `opa eval` arguments the tests use:
//
//	rego-eval eval --format json [--fail] --data a.rego [--data b.rego ...] [--input in.json] QUERY
//
// and printing the same JSON document `opa eval --format json` prints. It exists because building
// the whole `opa` command (server, plugins, telemetry) from source takes several times longer than
// building its evaluator, and the Go module proxy is the only way this project can get OPA.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/open-policy-agent/opa/rego"
)

type args struct {
	data  []string
	input string
	query string
	fail  bool
}

func parse(argv []string) (args, error) {
	var a args
	if len(argv) == 0 || argv[0] != "eval" {
		return a, fmt.Errorf("usage: rego-eval eval --format json [--fail] --data FILE... [--input FILE] QUERY")
	}
	for i := 1; i < len(argv); i++ {
		switch argv[i] {
		case "--data", "-d", "--input", "-i", "--format", "-f":
			if i+1 >= len(argv) {
				return a, fmt.Errorf("%s needs a value", argv[i])
			}
			v := argv[i+1]
			i++
			switch argv[i-1] {
			case "--data", "-d":
				a.data = append(a.data, v)
			case "--input", "-i":
				a.input = v
			default:
				if v != "json" {
					return a, fmt.Errorf("only --format json is supported, got %q", v)
				}
			}
		case "--fail":
			a.fail = true
		default:
			if a.query != "" {
				return a, fmt.Errorf("unexpected argument %q", argv[i])
			}
			a.query = argv[i]
		}
	}
	if a.query == "" {
		return a, fmt.Errorf("no query given")
	}
	return a, nil
}

func run() error {
	a, err := parse(os.Args[1:])
	if err != nil {
		return err
	}
	opts := []func(*rego.Rego){rego.Query(a.query), rego.Load(a.data, nil)}
	if a.input != "" {
		raw, err := os.ReadFile(a.input)
		if err != nil {
			return err
		}
		var input interface{}
		if err := json.Unmarshal(raw, &input); err != nil {
			return fmt.Errorf("%s: %w", a.input, err)
		}
		opts = append(opts, rego.Input(input))
	}
	rs, err := rego.New(opts...).Eval(context.Background())
	if err != nil {
		return err
	}
	if a.fail && len(rs) == 0 {
		return fmt.Errorf("query %q is undefined", a.query)
	}
	type expression struct {
		Value interface{} `json:"value"`
		Text  string      `json:"text"`
	}
	type result struct {
		Expressions []expression `json:"expressions"`
	}
	out := struct {
		Result []result `json:"result,omitempty"`
	}{}
	for _, r := range rs {
		var res result
		for _, e := range r.Expressions {
			res.Expressions = append(res.Expressions, expression{Value: e.Value, Text: e.Text})
		}
		out.Result = append(out.Result, res)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "rego-eval:", err)
		os.Exit(1)
	}
}
