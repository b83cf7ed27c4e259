// Command informer runs a client-go SharedInformer on the ConfigMaps of one namespace and prints
// one JSON line per event it hands to its handlers, with the time it received it, so that
// test/e2e/watch-clients.test.ts can check that an informer sees every change, in order, and soon.
//
//	informer -kubeconfig FILE -namespace NS [-v=6]
//
// It prints {"type":"SYNCED"} once the informer's cache has synced (its initial list is done and its
// watch is being opened), and exits when its standard input closes, so it never outlives the test.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

// event is one printed line. Seq is the ConfigMap's data["seq"], the writer's own counter.
type event struct {
	Type             string `json:"type"`
	Name             string `json:"name,omitempty"`
	ResourceVersion  string `json:"resourceVersion,omitempty"`
	Seq              string `json:"seq,omitempty"`
	InInitialList    bool   `json:"inInitialList,omitempty"`
	Tombstone        bool   `json:"tombstone,omitempty"`
	ReceivedUnixNano int64  `json:"receivedUnixNano"`
}

// printer writes whole lines, unbuffered, so the test reads each event as soon as it is handled.
type printer struct {
	mu  sync.Mutex
	out *json.Encoder
}

func (p *printer) print(e event) {
	e.ReceivedUnixNano = time.Now().UnixNano()
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.out.Encode(e); err != nil {
		fmt.Fprintln(os.Stderr, "cannot write an event:", err)
		os.Exit(1)
	}
}

func (p *printer) printConfigMap(kind string, obj interface{}, inInitialList bool) {
	tombstone := false
	if final, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		// The informer missed the delete and learnt it from a relist: the test counts it as a miss.
		obj, tombstone = final.Obj, true
	}
	configMap, ok := obj.(*corev1.ConfigMap)
	if !ok {
		fmt.Fprintf(os.Stderr, "not a ConfigMap: %T\n", obj)
		os.Exit(1)
	}
	p.print(event{
		Type:            kind,
		Name:            configMap.Name,
		ResourceVersion: configMap.ResourceVersion,
		Seq:             configMap.Data["seq"],
		InInitialList:   inInitialList,
		Tombstone:       tombstone,
	})
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "the kubeconfig file")
	namespace := flag.String("namespace", "", "the namespace whose ConfigMaps to watch")
	// klog's flags: -v=6 logs each request client-go sends, and its answer, to stderr.
	klog.InitFlags(nil)
	flag.Parse()
	if *kubeconfig == "" || *namespace == "" {
		fmt.Fprintln(os.Stderr, "usage: informer -kubeconfig FILE -namespace NS [-v=6]")
		os.Exit(2)
	}

	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot load the kubeconfig:", err)
		os.Exit(1)
	}
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot make a client:", err)
		os.Exit(1)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// Standard input closes when the test ends this process or dies itself.
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()

	out := &printer{out: json.NewEncoder(os.Stdout)}
	// No resync: every update the handlers see comes from the watch.
	factory := informers.NewSharedInformerFactoryWithOptions(client, 0, informers.WithNamespace(*namespace))
	informer := factory.Core().V1().ConfigMaps().Informer()
	_, err = informer.AddEventHandler(cache.ResourceEventHandlerDetailedFuncs{
		AddFunc:    func(obj interface{}, inInitialList bool) { out.printConfigMap("ADDED", obj, inInitialList) },
		UpdateFunc: func(_, obj interface{}) { out.printConfigMap("MODIFIED", obj, false) },
		DeleteFunc: func(obj interface{}) { out.printConfigMap("DELETED", obj, false) },
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot add the event handler:", err)
		os.Exit(1)
	}
	factory.Start(ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), informer.HasSynced) {
		fmt.Fprintln(os.Stderr, "the informer's cache did not sync")
		os.Exit(1)
	}
	out.print(event{Type: "SYNCED"})
	<-ctx.Done()
	factory.Shutdown()
}
