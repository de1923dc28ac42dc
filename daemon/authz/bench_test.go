package authz

import (
	"fmt"
	"testing"
)

// benchAuthorizer holds 10,000 ACLs: 9,000 literal topic ACLs over 3,000
// topics, 900 prefixed ones and 100 group ACLs.
func benchAuthorizer() *Authorizer {
	acls := map[Pattern][]Entry{}
	for i := range 3000 {
		p := Pattern{topic, fmt.Sprintf("topic-%d", i), literal}
		acls[p] = []Entry{
			entry(fmt.Sprintf("User:producer-%d", i), "*", write, allow),
			entry(fmt.Sprintf("User:consumer-%d", i), "*", read, allow),
			entry("User:blocked", "*", all, deny),
		}
	}
	for i := range 900 {
		acls[Pattern{topic, fmt.Sprintf("pre-%d-", i), prefixed}] = []Entry{entry("User:p", "*", write, allow)}
	}
	for i := range 100 {
		acls[Pattern{group, fmt.Sprintf("group-%d", i), literal}] = []Entry{entry("User:c", "*", read, allow)}
	}
	a := New(Config{SuperUsers: []string{"User:admin"}})
	a.Swap(NewSnapshot(acls))
	if n := a.Snapshot().Len(); n != 10000 {
		panic(fmt.Sprintf("benchmark has %d ACLs", n))
	}
	return a
}

// BenchmarkAuthorizeProduce is the check a produce request makes: Write
// on its topic, with 10,000 ACLs cached.
func BenchmarkAuthorizeProduce(b *testing.B) {
	a := benchAuthorizer()
	b.ReportAllocs()
	for b.Loop() {
		if !a.Authorize("User:producer-1234", "10.1.2.3", write, topic, "topic-1234") {
			b.Fatal("denied")
		}
	}
}

// BenchmarkAuthorizeDenied walks every prefix length and finds nothing.
func BenchmarkAuthorizeDenied(b *testing.B) {
	a := benchAuthorizer()
	b.ReportAllocs()
	for b.Loop() {
		if a.Authorize("User:nobody", "10.1.2.3", write, topic, "pre-899-but-not-topic-1234") {
			b.Fatal("allowed")
		}
	}
}
