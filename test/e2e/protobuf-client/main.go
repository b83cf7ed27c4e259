// Command protobuf-client drives Skiff's API with client-go speaking protobuf
// (application/vnd.kubernetes.protobuf bodies and answers), as client-go's typed clients do by
// default, so that test/e2e/protobuf-clients.test.ts can check the whole wire format against
// kube's own Go types: it creates, reads, updates, watches and deletes a ConfigMap and a
// Deployment, and reads a missing object (a Status error in protobuf). It prints "ok <step>"
// per step and exits non-zero with the reason at the first failure.
//
//	protobuf-client -server http://127.0.0.1:PORT -namespace NS
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"reflect"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

func main() {
	server := flag.String("server", "", "the API's URL")
	namespace := flag.String("namespace", "default", "where objects are made")
	flag.Parse()
	config := &rest.Config{
		Host: *server,
		ContentConfig: rest.ContentConfig{
			ContentType:        "application/vnd.kubernetes.protobuf",
			AcceptContentTypes: "application/vnd.kubernetes.protobuf",
		},
		Timeout: 30 * time.Second,
	}
	client, err := kubernetes.NewForConfig(config)
	check("client", err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	configMaps(ctx, client.CoreV1().ConfigMaps(*namespace))
	deployments(ctx, client.AppsV1().Deployments(*namespace))
}

func configMaps(ctx context.Context, api interface {
	Create(context.Context, *corev1.ConfigMap, metav1.CreateOptions) (*corev1.ConfigMap, error)
	Get(context.Context, string, metav1.GetOptions) (*corev1.ConfigMap, error)
	Update(context.Context, *corev1.ConfigMap, metav1.UpdateOptions) (*corev1.ConfigMap, error)
	Delete(context.Context, string, metav1.DeleteOptions) error
	Watch(context.Context, metav1.ListOptions) (watch.Interface, error)
	List(context.Context, metav1.ListOptions) (*corev1.ConfigMapList, error)
}) {
	watcher, err := api.Watch(ctx, metav1.ListOptions{FieldSelector: "metadata.name=pb-config"})
	check("watch configmaps", err)
	defer watcher.Stop()

	created, err := api.Create(ctx, &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "pb-config", Labels: map[string]string{"app": "pb"}},
		Data:       map[string]string{"greeting": "hello"},
		BinaryData: map[string][]byte{"blob": {0, 1, 2, 255}},
	}, metav1.CreateOptions{})
	check("create configmap", err)
	expect("created configmap", created.Data["greeting"] == "hello" && created.UID != "" &&
		!created.CreationTimestamp.IsZero() && reflect.DeepEqual(created.BinaryData["blob"], []byte{0, 1, 2, 255}), created)
	fmt.Println("ok create configmap")

	event := nextEvent(watcher, "configmap ADDED")
	added, isConfigMap := event.Object.(*corev1.ConfigMap)
	expect("watch ADDED", event.Type == watch.Added && isConfigMap && added.Name == "pb-config", event)
	fmt.Println("ok watch configmap")

	read, err := api.Get(ctx, "pb-config", metav1.GetOptions{})
	check("get configmap", err)
	read.Data["greeting"] = "bonjour"
	updated, err := api.Update(ctx, read, metav1.UpdateOptions{})
	check("update configmap", err)
	expect("updated configmap", updated.Data["greeting"] == "bonjour" && updated.ResourceVersion != read.ResourceVersion, updated)
	fmt.Println("ok update configmap")

	list, err := api.List(ctx, metav1.ListOptions{LabelSelector: "app=pb"})
	check("list configmaps", err)
	expect("listed configmap", len(list.Items) == 1 && list.Items[0].Name == "pb-config" && list.ResourceVersion != "", list)
	fmt.Println("ok list configmaps")

	stale := metav1.Preconditions{ResourceVersion: &read.ResourceVersion}
	err = api.Delete(ctx, "pb-config", metav1.DeleteOptions{Preconditions: &stale})
	expect("stale delete is a conflict", apierrors.IsConflict(err), err)
	background := metav1.DeletePropagationBackground
	check("delete configmap", api.Delete(ctx, "pb-config", metav1.DeleteOptions{PropagationPolicy: &background}))
	_, err = api.Get(ctx, "pb-config", metav1.GetOptions{})
	expect("deleted configmap is not found", apierrors.IsNotFound(err), err)
	status, isStatus := err.(apierrors.APIStatus)
	expect("a Status error", isStatus && status.Status().Code == 404 && status.Status().Details != nil && status.Status().Details.Name == "pb-config", err)
	fmt.Println("ok delete configmap")
}

func deployments(ctx context.Context, api interface {
	Create(context.Context, *appsv1.Deployment, metav1.CreateOptions) (*appsv1.Deployment, error)
	Get(context.Context, string, metav1.GetOptions) (*appsv1.Deployment, error)
	Update(context.Context, *appsv1.Deployment, metav1.UpdateOptions) (*appsv1.Deployment, error)
	Delete(context.Context, string, metav1.DeleteOptions) error
}) {
	replicas := int32(2)
	maxSurge := intstr.FromString("50%")
	labels := map[string]string{"app": "pb-web"}
	created, err := api.Create(ctx, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "pb-web"},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Strategy: appsv1.DeploymentStrategy{
				Type:          appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &maxSurge},
			},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name:  "web",
					Image: "nginx",
					Ports: []corev1.ContainerPort{{ContainerPort: 80}},
					Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
						corev1.ResourceCPU: resource.MustParse("250m"), corev1.ResourceMemory: resource.MustParse("64Mi"),
					}},
				}}},
			},
		},
	}, metav1.CreateOptions{})
	check("create deployment", err)
	request := created.Spec.Template.Spec.Containers[0].Resources.Requests
	expect("created deployment", *created.Spec.Replicas == 2 && created.Spec.Strategy.RollingUpdate.MaxSurge.StrVal == "50%" &&
		request.Cpu().MilliValue() == 250 && created.Spec.Template.Spec.Containers[0].Ports[0].ContainerPort == 80, created)
	fmt.Println("ok create deployment")

	zero := int32(0)
	created.Spec.Replicas = &zero
	updated, err := api.Update(ctx, created, metav1.UpdateOptions{})
	check("update deployment", err)
	read, err := api.Get(ctx, "pb-web", metav1.GetOptions{})
	check("get deployment", err)
	expect("scaled to zero", updated.Spec.Replicas != nil && *updated.Spec.Replicas == 0 && *read.Spec.Replicas == 0, read)
	fmt.Println("ok update deployment")

	check("delete deployment", api.Delete(ctx, "pb-web", metav1.DeleteOptions{}))
	fmt.Println("ok delete deployment")
}

func nextEvent(watcher watch.Interface, what string) watch.Event {
	select {
	case event, open := <-watcher.ResultChan():
		expect(what+": the watch is open", open, nil)
		return event
	case <-time.After(20 * time.Second):
		fail(what + ": no event within 20 s")
	}
	return watch.Event{}
}

func check(step string, err error) {
	if err != nil {
		fail(fmt.Sprintf("%s: %v", step, err))
	}
}

func expect(step string, ok bool, got interface{}) {
	if !ok {
		fail(fmt.Sprintf("%s: unexpected %+v", step, got))
	}
}

func fail(message string) {
	fmt.Println("FAIL", message)
	os.Exit(1)
}
