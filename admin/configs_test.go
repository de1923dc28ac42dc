package admin

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
)

func TestApplyChanges(t *testing.T) {
	start := map[string]string{"cleanup.policy": "delete", "retention.ms": "100", "x.list": "a,b"}
	got, err := applyChanges(start, []ConfigChange{
		{Name: "retention.ms", Op: OpDelete},
		{Name: "cleanup.policy", Op: OpSet, Value: "compact"},
		{Name: "x.list", Op: OpAppend, Value: "b,c"},
		{Name: "y.list", Op: OpAppend, Value: "z"},
		{Name: "x.list", Op: OpSubtract, Value: "a"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"cleanup.policy": "compact", "x.list": "b,c", "y.list": "z"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if _, err := applyChanges(map[string]string{}, []ConfigChange{{Name: "a", Op: 9}}); err == nil {
		t.Fatal("want an error for an unknown op")
	}
}

func TestDynamicValuesPicksTheResourceLevel(t *testing.T) {
	v := func(s string) *string { return &s }
	entries := []ConfigEntry{
		{Name: "a", Value: v("1"), Source: SourceDynamicTopic},
		{Name: "b", Value: v("2"), Source: SourceDefault},
		{Name: "c", Value: nil, Source: SourceDynamicTopic},
	}
	got := dynamicValues(entries, Resource{Type: TopicResource, Name: "t"}.dynamicSource())
	if !reflect.DeepEqual(got, map[string]string{"a": "1"}) {
		t.Fatalf("got %v", got)
	}
}

func TestIsUnsupportedAPI(t *testing.T) {
	if !isUnsupportedAPI(fmt.Errorf("x: %w", kerr.UnsupportedVersion)) ||
		!isUnsupportedAPI(errors.New("broker is too old; the broker has already indicated it will not know how to handle the request")) {
		t.Fatal("unsupported errors not recognised")
	}
	if isUnsupportedAPI(nil) || isUnsupportedAPI(kerr.InvalidConfig) {
		t.Fatal("false positive")
	}
}

func TestResourceAndSourceNames(t *testing.T) {
	if got := (Resource{Type: BrokerResource}).String(); got != "broker default" {
		t.Errorf("got %q", got)
	}
	if got := SourceDynamicDefaultBroker.String(); got != "DYNAMIC_DEFAULT_BROKER_CONFIG" {
		t.Errorf("got %q", got)
	}
}
