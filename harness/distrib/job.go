package distrib

import (
	"errors"
	"fmt"
	"path"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"
)

// JobSpec describes a distributed run.
type JobSpec struct {
	Name      string // Job name, a DNS-1123 subdomain
	Namespace string // "" for the default namespace
	Image     string // runner image (see deploy/runner.Dockerfile)
	Shards    int    // pods, each with its own JOB_COMPLETION_INDEX
	// Binary is the compiled test binary inside the image, such as
	// "/scaletest/bin/load.test".
	Binary string
	// Args are passed to the binary, such as
	// ["-test.run=^TestDistributedLoad$", "-test.v"].
	Args []string
	// ResultsClaim names a PersistentVolumeClaim mounted at ResultsPath;
	// empty mounts an emptyDir, whose files are gone with the pod.
	ResultsClaim string
	// ResultsPath is where results go inside the pod; each shard writes
	// to ResultsPath/shard-<index>.
	ResultsPath string
	// Scale is passed as SCALETEST_SCALE ("short", "local" or "full").
	Scale string
	// CPU and Memory request per pod, in Kubernetes quantity syntax
	// ("2", "4Gi"); empty leaves them unset.
	CPU, Memory string
	// BackoffLimitPerIndex retries a failed shard this many times.
	BackoffLimitPerIndex int32
	// Env adds variables to every pod, such as SCALETEST_POSTGRES_URL
	// naming the server under test; in the order given.
	Env []corev1.EnvVar
}

// Job builds the Indexed Job for spec.
func Job(spec JobSpec) (*batchv1.Job, error) {
	if spec.ResultsPath == "" {
		spec.ResultsPath = "/results"
	}
	n := int32(spec.Shards)
	mode := batchv1.IndexedCompletion
	backoff := spec.BackoffLimitPerIndex
	// The shell expands JOB_COMPLETION_INDEX, which the Job controller sets
	// in every pod, into the shard's own results directory.
	script := fmt.Sprintf(`export SCALETEST_RESULTS=%s/shard-"$%s"; `+
		`mkdir -p "$SCALETEST_RESULTS"; exec "$0" "$@"`, spec.ResultsPath, EnvIndex)
	ctr := corev1.Container{
		Name:    "runner",
		Image:   spec.Image,
		Command: append([]string{"/bin/sh", "-c", script, spec.Binary}, spec.Args...),
		Env: []corev1.EnvVar{
			{Name: EnvShards, Value: fmt.Sprint(spec.Shards)},
			{Name: "SCALETEST_SCALE", Value: spec.Scale},
		},
		VolumeMounts: []corev1.VolumeMount{{Name: "results", MountPath: spec.ResultsPath}},
	}
	ctr.Env = append(ctr.Env, spec.Env...)
	if spec.CPU != "" || spec.Memory != "" {
		req := corev1.ResourceList{}
		for name, q := range map[corev1.ResourceName]string{
			corev1.ResourceCPU: spec.CPU, corev1.ResourceMemory: spec.Memory,
		} {
			if q == "" {
				continue
			}
			v, err := resource.ParseQuantity(q)
			if err != nil {
				return nil, fmt.Errorf("job %s: %s request %q: %w", spec.Name, name, q, err)
			}
			req[name] = v
		}
		ctr.Resources.Requests = req
	}
	vol := corev1.Volume{Name: "results"}
	if spec.ResultsClaim != "" {
		vol.PersistentVolumeClaim = &corev1.PersistentVolumeClaimVolumeSource{
			ClaimName: spec.ResultsClaim}
	} else {
		vol.EmptyDir = &corev1.EmptyDirVolumeSource{}
	}
	labels := map[string]string{"app.kubernetes.io/name": "scaletest",
		"scaletest/run": spec.Name}
	job := &batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: metav1.ObjectMeta{Name: spec.Name, Namespace: spec.Namespace, Labels: labels},
		Spec: batchv1.JobSpec{
			Completions:          &n,
			Parallelism:          &n,
			CompletionMode:       &mode,
			BackoffLimitPerIndex: &backoff,
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					RestartPolicy: corev1.RestartPolicyNever,
					Containers:    []corev1.Container{ctr},
					Volumes:       []corev1.Volume{vol},
				},
			},
		},
	}
	if err := Validate(job); err != nil {
		return nil, err
	}
	return job, nil
}

// Validate checks job with the rules the API server applies to the fields
// Job sets: names, indexed completion, parallelism, restart policy,
// containers and volumes. It reports every problem at once.
func Validate(job *batchv1.Job) error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{field}, args...)...))
	}
	if job.APIVersion != "batch/v1" || job.Kind != "Job" {
		bad("apiVersion/kind", "want batch/v1 Job, got %s %s", job.APIVersion, job.Kind)
	}
	for _, m := range validation.IsDNS1123Subdomain(job.Name) {
		bad("metadata.name", "%s", m)
	}
	if ns := job.Namespace; ns != "" {
		for _, m := range validation.IsDNS1123Label(ns) {
			bad("metadata.namespace", "%s", m)
		}
	}
	s := job.Spec
	if s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion {
		bad("spec.completionMode", "must be Indexed")
	}
	switch {
	case s.Completions == nil:
		bad("spec.completions", "required for Indexed completion")
	case *s.Completions < 1 || *s.Completions > 100_000:
		bad("spec.completions", "must be from 1 to 100000, got %d", *s.Completions)
	}
	if s.Parallelism == nil || *s.Parallelism < 1 {
		bad("spec.parallelism", "must be at least 1")
	} else if s.Completions != nil && *s.Parallelism > *s.Completions {
		bad("spec.parallelism", "must not exceed completions")
	}
	if s.BackoffLimitPerIndex != nil && *s.BackoffLimitPerIndex < 0 {
		bad("spec.backoffLimitPerIndex", "must be at least 0")
	}
	pod := s.Template.Spec
	if pod.RestartPolicy != corev1.RestartPolicyNever &&
		pod.RestartPolicy != corev1.RestartPolicyOnFailure {
		bad("spec.template.spec.restartPolicy", "must be Never or OnFailure for a Job")
	}
	if s.BackoffLimitPerIndex != nil && pod.RestartPolicy != corev1.RestartPolicyNever {
		bad("spec.template.spec.restartPolicy", "must be Never with backoffLimitPerIndex")
	}
	if len(pod.Containers) == 0 {
		bad("spec.template.spec.containers", "must hold at least one container")
	}
	vols := map[string]bool{}
	for i, v := range pod.Volumes {
		for _, m := range validation.IsDNS1123Label(v.Name) {
			bad(fmt.Sprintf("spec.template.spec.volumes[%d].name", i), "%s", m)
		}
		vols[v.Name] = true
	}
	for i, c := range pod.Containers {
		f := fmt.Sprintf("spec.template.spec.containers[%d]", i)
		for _, m := range validation.IsDNS1123Label(c.Name) {
			bad(f+".name", "%s", m)
		}
		if strings.TrimSpace(c.Image) == "" {
			bad(f+".image", "required")
		}
		for j, m := range c.VolumeMounts {
			if !vols[m.Name] {
				bad(fmt.Sprintf("%s.volumeMounts[%d].name", f, j), "no volume %q", m.Name)
			}
			if !path.IsAbs(m.MountPath) {
				bad(fmt.Sprintf("%s.volumeMounts[%d].mountPath", f, j), "must be absolute")
			}
		}
		for j, e := range c.Env {
			for _, m := range validation.IsEnvVarName(e.Name) {
				bad(fmt.Sprintf("%s.env[%d].name", f, j), "%s", m)
			}
		}
	}
	return errors.Join(errs...)
}

// YAML renders job as a manifest for kubectl apply.
func YAML(job *batchv1.Job) ([]byte, error) {
	out, err := yaml.Marshal(job)
	if err != nil {
		return nil, fmt.Errorf("render job %s: %w", job.Name, err)
	}
	return out, nil
}
