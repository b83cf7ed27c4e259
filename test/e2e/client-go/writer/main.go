// Command writer creates, updates, applies (server-side Apply with typed apply configurations) and
// deletes a ConfigMap and a Deployment through client-go's typed clientset, with the rest.Config a
// kubeconfig gives and nothing changed: for built-in kinds client-go then sends and asks for
// protobuf (application/vnd.kubernetes.protobuf), as controllers and operators do by default.
// test/e2e/client-go.test.ts runs it against the local server.
//
//	writer -kubeconfig FILE -namespace NS [-v=6]
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

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	appsapply "k8s.io/client-go/applyconfigurations/apps/v1"
	coreapply "k8s.io/client-go/applyconfigurations/core/v1"
	metaapply "k8s.io/client-go/applyconfigurations/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

const fieldManager = "skiff-client-go-test"

func fail(step string, err error) {
	fmt.Fprintf(os.Stderr, "FAILED %s: %v\n", step, err)
	os.Exit(1)
}

func check(step string, err error) {
	if err != nil {
		fail(step, err)
	}
	fmt.Println("ok", step)
}

func expect(step string, ok bool, format string, args ...interface{}) {
	if !ok {
		fail(step, fmt.Errorf(format, args...))
	}
}

func configMaps(ctx context.Context, client kubernetes.Interface, namespace string) {
	maps := client.CoreV1().ConfigMaps(namespace)
	created, err := maps.Create(ctx, &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "settings", Labels: map[string]string{"app": "writer"}},
		Data:       map[string]string{"color": "blue"},
	}, metav1.CreateOptions{})
	if err == nil {
		expect("create configmap", created.UID != "" && created.ResourceVersion != "" && created.Data["color"] == "blue",
			"the created ConfigMap lacks a uid, a resourceVersion or its data: %+v", created)
	}
	check("create configmap", err)

	created.Data["color"] = "green"
	updated, err := maps.Update(ctx, created, metav1.UpdateOptions{})
	if err == nil {
		expect("update configmap", updated.Data["color"] == "green" && updated.ResourceVersion != created.ResourceVersion,
			"the update was not stored: %+v", updated)
	}
	check("update configmap", err)

	got, err := maps.Get(ctx, "settings", metav1.GetOptions{})
	if err == nil {
		expect("get configmap", got.Data["color"] == "green", "get returned %+v", got.Data)
	}
	check("get configmap", err)

	applied, err := maps.Apply(ctx,
		coreapply.ConfigMap("settings", namespace).WithData(map[string]string{"size": "large"}),
		metav1.ApplyOptions{FieldManager: fieldManager, Force: true})
	if err == nil {
		expect("apply configmap", applied.Data["size"] == "large", "the applied field is missing: %+v", applied.Data)
		owned := false
		for _, entry := range applied.ManagedFields {
			owned = owned || (entry.Manager == fieldManager && entry.Operation == metav1.ManagedFieldsOperationApply)
		}
		expect("apply configmap", owned, "no managedFields entry of %s with operation Apply: %+v", fieldManager, applied.ManagedFields)
	}
	check("apply configmap", err)

	list, err := maps.List(ctx, metav1.ListOptions{LabelSelector: "app=writer"})
	if err == nil {
		expect("list configmaps", len(list.Items) == 1 && list.Items[0].Name == "settings", "listed %d items", len(list.Items))
	}
	check("list configmaps", err)

	check("delete configmap", maps.Delete(ctx, "settings", metav1.DeleteOptions{}))
	_, err = maps.Get(ctx, "settings", metav1.GetOptions{})
	expect("get deleted configmap", apierrors.IsNotFound(err), "want NotFound after the delete, got %v", err)
	fmt.Println("ok get deleted configmap")
}

func deployments(ctx context.Context, client kubernetes.Interface, namespace string) {
	deploys := client.AppsV1().Deployments(namespace)
	labels := map[string]string{"app": "writer"}
	replicas := int32(1)
	created, err := deploys.Create(ctx, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "writer"},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name: "main", Image: "busybox", Command: []string{"sleep", "3600"},
				}}},
			},
		},
	}, metav1.CreateOptions{})
	if err == nil {
		// Defaults come back through protobuf too: the strategy and the container's pull policy.
		expect("create deployment", created.Spec.Strategy.Type == appsv1.RollingUpdateDeploymentStrategyType &&
			created.Spec.Template.Spec.Containers[0].ImagePullPolicy == corev1.PullAlways,
			"the created Deployment lacks kube's defaults: strategy %q, imagePullPolicy %q",
			created.Spec.Strategy.Type, created.Spec.Template.Spec.Containers[0].ImagePullPolicy)
	}
	check("create deployment", err)

	two := int32(2)
	created.Spec.Replicas = &two
	updated, err := deploys.Update(ctx, created, metav1.UpdateOptions{})
	if err == nil {
		expect("update deployment", updated.Spec.Replicas != nil && *updated.Spec.Replicas == 2, "replicas not updated: %v", updated.Spec.Replicas)
	}
	check("update deployment", err)

	applied, err := deploys.Apply(ctx,
		appsapply.Deployment("writer", namespace).
			WithLabels(map[string]string{"tier": "backend"}).
			WithSpec(appsapply.DeploymentSpec().
				WithReplicas(3).
				WithSelector(metaapply.LabelSelector().WithMatchLabels(labels)).
				WithTemplate(coreapply.PodTemplateSpec().
					WithLabels(labels).
					WithSpec(coreapply.PodSpec().WithContainers(
						coreapply.Container().WithName("main").WithImage("busybox:1.36").WithCommand("sleep", "3600"))))),
		metav1.ApplyOptions{FieldManager: fieldManager, Force: true})
	if err == nil {
		expect("apply deployment",
			*applied.Spec.Replicas == 3 && applied.Labels["tier"] == "backend" &&
				applied.Spec.Template.Spec.Containers[0].Image == "busybox:1.36",
			"the applied fields are missing: replicas %v, labels %v, image %q",
			*applied.Spec.Replicas, applied.Labels, applied.Spec.Template.Spec.Containers[0].Image)
	}
	check("apply deployment", err)

	background := metav1.DeletePropagationBackground
	check("delete deployment", deploys.Delete(ctx, "writer", metav1.DeleteOptions{PropagationPolicy: &background}))
	_, err = deploys.Get(ctx, "writer", metav1.GetOptions{})
	expect("get deleted deployment", apierrors.IsNotFound(err), "want NotFound after the delete, got %v", err)
	fmt.Println("ok get deleted deployment")
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "the kubeconfig file")
	namespace := flag.String("namespace", "", "the namespace to write in (created here)")
	klog.InitFlags(nil)
	flag.Parse()
	if *kubeconfig == "" || *namespace == "" {
		fmt.Fprintln(os.Stderr, "usage: writer -kubeconfig FILE -namespace NS [-v=6]")
		os.Exit(2)
	}
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fail("load the kubeconfig", err)
	}
	// Nothing set on config: no ContentType, no AcceptContentTypes. NewForConfig picks protobuf
	// for the built-in kinds, as every client built this way does.
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		fail("make a client", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	_, err = client.CoreV1().Namespaces().Create(ctx,
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: *namespace}}, metav1.CreateOptions{})
	check("create namespace", err)
	configMaps(ctx, client, *namespace)
	deployments(ctx, client, *namespace)
}
