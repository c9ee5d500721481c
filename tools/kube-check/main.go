// kube-check answers, for the tests, what real Kubernetes code says about our output:
//
//	kube-check pss   reads one Pod per line (JSON) and prints, per line, the verdict of the Pod
//	                 Security Standards "restricted" level v1.28, evaluated by
//	                 k8s.io/pod-security-admission (the code PodSecurity admission runs):
//	                 {"allowed":true,...} or {"allowed":false,"forbidden":["reason: detail",...],
//	                 "checks":["privileged",...]} (the IDs of the failing checks).
//	kube-check yaml  reads one JSON string per line (a YAML document) and prints, per line, what
//	                 kubectl makes of it (sigs.k8s.io/yaml YAMLToJSON, a YAML 1.1 reader):
//	                 {"json":<value>} or {"error":"..."}.
//	kube-check quantity  reads one JSON string per line and prints what resource.ParseQuantity
//	                 (k8s.io/apimachinery, what the API server runs) makes of it: the exact decimal
//	                 value {"value":"1152921504606846976"} or {"error":"..."}.
//
// One request per line, one answer per line, so a test keeps one process for thousands of cases.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) != 2 || (os.Args[1] != "pss" && os.Args[1] != "yaml" && os.Args[1] != "quantity") {
		fmt.Fprintln(os.Stderr, "usage: kube-check pss|yaml|quantity  (requests on stdin, one JSON value per line)")
		os.Exit(2)
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	answer := yamlAnswer
	switch os.Args[1] {
	case "pss":
		answer = pssAnswer()
	case "quantity":
		answer = quantityAnswer
	}
	for in.Scan() {
		reply, err := json.Marshal(answer(in.Bytes()))
		if err != nil {
			reply, _ = json.Marshal(map[string]string{"error": err.Error()})
		}
		out.Write(reply)
		out.WriteByte('\n')
		out.Flush()
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "kube-check:", err)
		os.Exit(1)
	}
}

func pssAnswer() func([]byte) any {
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks())
	if err != nil {
		panic(err)
	}
	version := api.MajorMinorVersion(1, 28)
	level := api.LevelVersion{Level: api.LevelRestricted, Version: version}
	// Each check's revision for v1.28 (the last whose minimum version is not newer), and the
	// baseline checks that restricted ones replace, so failures can be named by check ID.
	type versioned struct {
		id    policy.CheckID
		check policy.CheckPodFn
	}
	var checks []versioned
	overridden := map[policy.CheckID]bool{}
	for _, c := range policy.DefaultChecks() {
		var chosen *policy.VersionedCheck
		for i := range c.Versions {
			if !version.Older(c.Versions[i].MinimumVersion) {
				chosen = &c.Versions[i]
			}
		}
		if chosen == nil {
			continue
		}
		checks = append(checks, versioned{c.ID, chosen.CheckPod})
		for _, o := range chosen.OverrideCheckIDs {
			overridden[o] = true
		}
	}
	return func(line []byte) any {
		var pod corev1.Pod
		if err := json.Unmarshal(line, &pod); err != nil {
			return map[string]string{"error": err.Error()}
		}
		forbidden := []string{}
		for _, r := range evaluator.EvaluatePod(level, &pod.ObjectMeta, &pod.Spec) {
			if !r.Allowed {
				forbidden = append(forbidden, r.ForbiddenReason+": "+r.ForbiddenDetail)
			}
		}
		failed := []string{}
		for _, c := range checks {
			if !overridden[c.id] && !c.check(&pod.ObjectMeta, &pod.Spec).Allowed {
				failed = append(failed, string(c.id))
			}
		}
		sort.Strings(failed)
		return map[string]any{"allowed": len(forbidden) == 0, "forbidden": forbidden, "checks": failed}
	}
}

func yamlAnswer(line []byte) any {
	var doc string
	if err := json.Unmarshal(line, &doc); err != nil {
		return map[string]string{"error": err.Error()}
	}
	converted, err := yaml.YAMLToJSON([]byte(doc))
	if err != nil {
		return map[string]string{"error": err.Error()}
	}
	return map[string]json.RawMessage{"json": converted}
}

func quantityAnswer(line []byte) any {
	var text string
	if err := json.Unmarshal(line, &text); err != nil {
		return map[string]string{"error": err.Error()}
	}
	q, err := resource.ParseQuantity(text)
	if err != nil {
		return map[string]string{"error": err.Error()}
	}
	return map[string]string{"value": q.AsDec().String()}
}
