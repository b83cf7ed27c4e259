// Command applier runs server-side apply through client-go's typed apply configurations, with JSON
// on the wire (the protobuf default is the writer's business), and checks Skiff answers as
// kube-apiserver does: an Apply creates a Deployment, a second field manager changing replicas
// gets a 409 Conflict whose causes name the field, Force takes the field over, and the
// managedFields Skiff writes are ones client-go's ExtractDeployment reads back per manager.
// test/e2e/client-go-apply.test.ts runs it against the local server.
//
//	applier -kubeconfig FILE -namespace NS
//
// Each step prints one line ("ok <step>") once the server's answer checks out; the first failure
// prints the step and the error to stderr and exits 1.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	appsapply "k8s.io/client-go/applyconfigurations/apps/v1"
	coreapply "k8s.io/client-go/applyconfigurations/core/v1"
	metaapply "k8s.io/client-go/applyconfigurations/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

func fail(step string, format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAILED %s: %s\n", step, fmt.Sprintf(format, args...))
	os.Exit(1)
}

func ok(step string) { fmt.Println("ok", step) }

func deployment(namespace string, replicas int32) *appsapply.DeploymentApplyConfiguration {
	labels := map[string]string{"app": "applied"}
	return appsapply.Deployment("applied", namespace).
		WithSpec(appsapply.DeploymentSpec().
			WithReplicas(replicas).
			WithSelector(metaapply.LabelSelector().WithMatchLabels(labels)).
			WithTemplate(coreapply.PodTemplateSpec().
				WithLabels(labels).
				WithSpec(coreapply.PodSpec().WithContainers(
					coreapply.Container().WithName("main").WithImage("busybox:1.36").
						WithPorts(coreapply.ContainerPort().WithContainerPort(8080))))))
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the server")
	namespace := flag.String("namespace", "default", "namespace to work in")
	flag.Parse()

	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fail("config", "%v", err)
	}
	config.ContentType = "application/json"
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		fail("config", "%v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	_, err = client.CoreV1().Namespaces().Create(ctx,
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: *namespace}}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		fail("create namespace", "%v", err)
	}
	ok("create namespace")

	deploys := client.AppsV1().Deployments(*namespace)
	created, err := deploys.Apply(ctx, deployment(*namespace, 2), metav1.ApplyOptions{FieldManager: "team-a"})
	if err != nil {
		fail("apply creates", "%v", err)
	}
	if created.Spec.Replicas == nil || *created.Spec.Replicas != 2 || created.UID == "" {
		fail("apply creates", "unexpected object: %+v", created)
	}
	ok("apply creates")

	_, err = deploys.Apply(ctx, appsapply.Deployment("applied", *namespace).
		WithSpec(appsapply.DeploymentSpec().WithReplicas(5)), metav1.ApplyOptions{FieldManager: "team-b"})
	if !apierrors.IsConflict(err) {
		fail("conflict", "want a 409 Conflict, got %v", err)
	}
	status, isStatus := err.(apierrors.APIStatus)
	if !isStatus || status.Status().Details == nil || len(status.Status().Details.Causes) != 1 {
		fail("conflict", "want one cause, got %+v", err)
	}
	cause := status.Status().Details.Causes[0]
	if cause.Type != metav1.CauseTypeFieldManagerConflict || cause.Field != ".spec.replicas" ||
		cause.Message != `conflict with "team-a"` {
		fail("conflict", "unexpected cause %+v", cause)
	}
	ok("conflict")

	forced, err := deploys.Apply(ctx, appsapply.Deployment("applied", *namespace).
		WithSpec(appsapply.DeploymentSpec().WithReplicas(5)), metav1.ApplyOptions{FieldManager: "team-b", Force: true})
	if err != nil || forced.Spec.Replicas == nil || *forced.Spec.Replicas != 5 {
		fail("force", "err %v, object %+v", err, forced)
	}
	ok("force")

	// What each manager owns, as client-go reads managedFields with the Deployment's own schema.
	mine, err := appsapply.ExtractDeployment(forced, "team-b")
	if err != nil || mine.Spec == nil || mine.Spec.Replicas == nil || *mine.Spec.Replicas != 5 || mine.Spec.Template != nil {
		fail("extract", "team-b should own exactly spec.replicas: err %v, %+v", err, mine)
	}
	theirs, err := appsapply.ExtractDeployment(forced, "team-a")
	if err != nil || theirs.Spec == nil || theirs.Spec.Replicas != nil || theirs.Spec.Template == nil ||
		len(theirs.Spec.Template.Spec.Containers) != 1 || len(theirs.Spec.Template.Spec.Containers[0].Ports) != 1 {
		fail("extract", "team-a should own the template and no longer replicas: err %v, %+v", err, theirs)
	}
	ok("extract")

	if err := deploys.Delete(ctx, "applied", metav1.DeleteOptions{}); err != nil {
		fail("delete", "%v", err)
	}
	ok("delete")
}
