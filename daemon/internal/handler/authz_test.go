package handler_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/authz"
)

// The principals of the authorization matrix.
const (
	producerP = "User:producer" // Write on topic orders, Write on transactional id tx-p
	consumerP = "User:consumer" // Read on topic orders, Read on group g
	adminP    = "User:admin"    // super user
	strangerP = "User:stranger" // nothing
)

// fakeACLStore keeps ACLs in memory, as ZooKeeper would.
type fakeACLStore struct {
	mu   sync.Mutex
	acls map[authz.Pattern][]authz.Entry
}

func (s *fakeACLStore) UpdateACLs(_ context.Context, p authz.Pattern, edit func([]authz.Entry) []authz.Entry) ([]authz.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := edit(slices.Clone(s.acls[p]))
	s.acls[p] = next
	return next, nil
}

func allow(principal string, op kmsg.ACLOperation) authz.Entry {
	return authz.Entry{Principal: principal, Host: "*", Operation: op, Permission: kmsg.ACLPermissionTypeAllow}
}

// authzFixture is a fixture whose handler checks ACLs, with deny by
// default: topics orders and secret exist, led here.
func authzFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.topic("orders", ledHere(1)...)
	f.topic("secret", ledHere(1)...)
	f.offsetsLedHere()
	lit := kmsg.ACLResourcePatternTypeLiteral
	acls := map[authz.Pattern][]authz.Entry{
		{Type: kmsg.ACLResourceTypeTopic, Name: "orders", PatternType: lit}: {
			allow(producerP, kmsg.ACLOperationWrite), allow(consumerP, kmsg.ACLOperationRead)},
		{Type: kmsg.ACLResourceTypeGroup, Name: "g", PatternType: lit}:              {allow(consumerP, kmsg.ACLOperationRead)},
		{Type: kmsg.ACLResourceTypeTransactionalId, Name: "tx-p", PatternType: lit}: {allow(producerP, kmsg.ACLOperationWrite)},
	}
	a := authz.New(authz.Config{SuperUsers: []string{adminP}})
	a.Reset(acls)
	f.deps.Authorizer, f.deps.ACLs = a, &fakeACLStore{acls: acls}
	f.rebuildHandler()
	return f
}

// as sends a request as principal.
func (f *fixture) as(principal string, req kmsg.Request) kmsg.Response {
	f.t.Helper()
	f.principal = principal
	defer func() { f.principal = "" }()
	return f.call(req)
}

// matrixCase is one API: how to ask, how to read the code the check
// answers, and the code each principal gets (a principal left out must
// get anything but the refusal code).
type matrixCase struct {
	name    string
	req     func() kmsg.Request
	code    func(kmsg.Response) int16
	refusal int16
	denied  []string
}

func TestAuthorizationMatrix(t *testing.T) {
	taf, gaf, caf, tiaf := kerr.TopicAuthorizationFailed.Code, kerr.GroupAuthorizationFailed.Code,
		kerr.ClusterAuthorizationFailed.Code, kerr.TransactionalIDAuthorizationFailed.Code
	all := []string{producerP, consumerP, adminP, strangerP}
	cases := []matrixCase{
		{"Produce", func() kmsg.Request { return produceReq(1, "orders", 0, batch(1, "v")) },
			produceCode, taf, []string{consumerP, strangerP}},
		{"Produce transactional id", func() kmsg.Request {
			r := produceReq(1, "orders", 0, batch(1, "v"))
			r.TransactionID = kmsg.StringPtr("tx-other")
			return r
		}, produceCode, tiaf, []string{producerP, consumerP, strangerP}},
		{"Fetch", func() kmsg.Request { return fetchReq(0, 0, 1<<20, fetchPart{topic: "orders", epoch: -1}) },
			func(r kmsg.Response) int16 { return r.(*kmsg.FetchResponse).Topics[0].Partitions[0].ErrorCode },
			taf, []string{producerP, strangerP}},
		{"ListOffsets", listOffsetsOrders, func(r kmsg.Response) int16 {
			return r.(*kmsg.ListOffsetsResponse).Topics[0].Partitions[0].ErrorCode
		}, taf, []string{strangerP}},
		{"Metadata by name", func() kmsg.Request { return metadataReq(12, "secret") },
			func(r kmsg.Response) int16 { return r.(*kmsg.MetadataResponse).Topics[0].ErrorCode },
			taf, []string{producerP, consumerP, strangerP}},
		{"Metadata auto-create", func() kmsg.Request { return metadataReq(12, "newtopic") },
			func(r kmsg.Response) int16 { return r.(*kmsg.MetadataResponse).Topics[0].ErrorCode },
			taf, []string{producerP, consumerP, strangerP}},
		{"OffsetCommit", offsetCommitOrders, func(r kmsg.Response) int16 {
			return r.(*kmsg.OffsetCommitResponse).Topics[0].Partitions[0].ErrorCode
		}, gaf, []string{producerP, strangerP}},
		{"OffsetFetch", func() kmsg.Request {
			r := kmsg.NewPtrOffsetFetchRequest()
			r.Version, r.Group = 5, "g"
			return r
		}, func(r kmsg.Response) int16 { return r.(*kmsg.OffsetFetchResponse).ErrorCode }, gaf, []string{producerP, strangerP}},
		{"FindCoordinator group", func() kmsg.Request {
			r := kmsg.NewPtrFindCoordinatorRequest()
			r.Version, r.CoordinatorKey = 3, "g"
			return r
		}, func(r kmsg.Response) int16 { return r.(*kmsg.FindCoordinatorResponse).ErrorCode }, gaf, []string{producerP, strangerP}},
		{"Heartbeat", func() kmsg.Request {
			r := kmsg.NewPtrHeartbeatRequest()
			r.Version, r.Group = 4, "g"
			return r
		}, func(r kmsg.Response) int16 { return r.(*kmsg.HeartbeatResponse).ErrorCode }, gaf, []string{producerP, strangerP}},
		{"CreateTopics", func() kmsg.Request {
			rt := kmsg.NewCreateTopicsRequestTopic()
			rt.Topic, rt.NumPartitions, rt.ReplicationFactor = "fresh", 1, 1
			r := createTopicsReq(7, rt)
			r.TimeoutMillis = 0 // answer without waiting for the controller
			return r
		}, func(r kmsg.Response) int16 { return r.(*kmsg.CreateTopicsResponse).Topics[0].ErrorCode },
			taf, []string{producerP, consumerP, strangerP}},
		{"DeleteTopics", func() kmsg.Request {
			r := kmsg.NewPtrDeleteTopicsRequest()
			r.Version, r.TopicNames = 3, []string{"orders"}
			r.TimeoutMillis = 0 // the fake admin records the deletion only
			return r
		}, func(r kmsg.Response) int16 { return r.(*kmsg.DeleteTopicsResponse).Topics[0].ErrorCode },
			taf, []string{producerP, consumerP, strangerP}},
		{"DescribeConfigs topic", func() kmsg.Request { return describeConfigsReq(4, kmsg.ConfigResourceTypeTopic, "orders") },
			describeConfigsCode, taf, []string{producerP, consumerP, strangerP}},
		{"DescribeConfigs broker", func() kmsg.Request { return describeConfigsReq(4, kmsg.ConfigResourceTypeBroker, "1") },
			describeConfigsCode, caf, []string{producerP, consumerP, strangerP}},
		{"InitProducerId idempotent", func() kmsg.Request {
			r := kmsg.NewPtrInitProducerIDRequest()
			r.Version, r.ProducerID, r.ProducerEpoch = 4, -1, -1
			return r
		}, func(r kmsg.Response) int16 { return r.(*kmsg.InitProducerIDResponse).ErrorCode }, caf, []string{consumerP, strangerP}},
		{"EndTxn", func() kmsg.Request {
			r := kmsg.NewPtrEndTxnRequest()
			r.Version, r.TransactionalID = 3, "tx-p"
			return r
		}, func(r kmsg.Response) int16 { return r.(*kmsg.EndTxnResponse).ErrorCode }, tiaf, []string{consumerP, strangerP}},
		{"UpdateMetadata", func() kmsg.Request {
			r := kmsg.NewPtrUpdateMetadataRequest()
			r.Version, r.ControllerEpoch = 7, 0
			return r
		}, func(r kmsg.Response) int16 { return r.(*kmsg.UpdateMetadataResponse).ErrorCode }, caf, []string{producerP, consumerP, strangerP}},
		{"DescribeUserScramCredentials", func() kmsg.Request {
			r := kmsg.NewPtrDescribeUserSCRAMCredentialsRequest()
			return r
		}, func(r kmsg.Response) int16 { return r.(*kmsg.DescribeUserSCRAMCredentialsResponse).ErrorCode },
			caf, []string{producerP, consumerP, strangerP}},
		{"DescribeAcls", func() kmsg.Request {
			r := kmsg.NewPtrDescribeACLsRequest()
			r.Version, r.ResourceType, r.ResourcePatternType = 3, kmsg.ACLResourceTypeAny, kmsg.ACLResourcePatternTypeAny
			r.Operation, r.PermissionType = kmsg.ACLOperationAny, kmsg.ACLPermissionTypeAny
			return r
		}, func(r kmsg.Response) int16 { return r.(*kmsg.DescribeACLsResponse).ErrorCode }, caf, []string{producerP, consumerP, strangerP}},
	}
	f := authzFixture(t)
	for _, tc := range cases {
		for _, p := range all {
			t.Run(tc.name+"/"+p, func(t *testing.T) {
				f.t = t
				got := tc.code(f.as(p, tc.req()))
				if want := slices.Contains(tc.denied, p); want != (got == tc.refusal) {
					t.Fatalf("code %d; refused (%d) expected: %v", got, tc.refusal, want)
				}
			})
		}
	}
}

func produceCode(r kmsg.Response) int16 {
	return r.(*kmsg.ProduceResponse).Topics[0].Partitions[0].ErrorCode
}

func describeConfigsCode(r kmsg.Response) int16 {
	return r.(*kmsg.DescribeConfigsResponse).Resources[0].ErrorCode
}

func listOffsetsOrders() kmsg.Request {
	r := kmsg.NewPtrListOffsetsRequest()
	r.Version, r.ReplicaID = 7, -1
	rt := kmsg.NewListOffsetsRequestTopic()
	rt.Topic = "orders"
	rp := kmsg.NewListOffsetsRequestTopicPartition()
	rp.Timestamp = -1
	rt.Partitions = append(rt.Partitions, rp)
	r.Topics = append(r.Topics, rt)
	return r
}

func offsetCommitOrders() kmsg.Request {
	r := kmsg.NewPtrOffsetCommitRequest()
	r.Version, r.Group, r.Generation = 8, "g", -1
	rt := kmsg.NewOffsetCommitRequestTopic()
	rt.Topic = "orders"
	rp := kmsg.NewOffsetCommitRequestTopicPartition()
	rp.Offset = 0
	rt.Partitions = append(rt.Partitions, rp)
	r.Topics = append(r.Topics, rt)
	return r
}

// TestRefusedProduceWritesNothing: a refused produce leaves the log as it
// was.
func TestRefusedProduceWritesNothing(t *testing.T) {
	f := authzFixture(t)
	if got := produceCode(f.as(consumerP, produceReq(1, "orders", 0, batch(1, "x")))); got != kerr.TopicAuthorizationFailed.Code {
		t.Fatalf("consumer produce: code %d", got)
	}
	resp := f.as(adminP, listOffsetsOrders()).(*kmsg.ListOffsetsResponse)
	if end := resp.Topics[0].Partitions[0].Offset; end != 0 {
		t.Fatalf("log end offset %d after a refused produce, want 0", end)
	}
}

// TestMetadataHidesTopics: a listing shows only the topics the principal
// may Describe.
func TestMetadataHidesTopics(t *testing.T) {
	tests := []struct {
		principal string
		want      []string
	}{
		{producerP, []string{"orders"}},
		{consumerP, []string{"orders"}},
		{strangerP, nil},
		{adminP, []string{"__consumer_offsets", "orders", "secret"}},
	}
	f := authzFixture(t)
	for _, tc := range tests {
		req := metadataReq(12)
		req.Topics = nil // every topic
		resp := f.as(tc.principal, req).(*kmsg.MetadataResponse)
		var got []string
		for _, rt := range resp.Topics {
			got = append(got, *rt.Topic)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s sees %v, want %v", tc.principal, got, tc.want)
		}
	}
}

// TestTopicAuthorizedOperations: Metadata reports the principal's own
// operations on a topic.
func TestTopicAuthorizedOperations(t *testing.T) {
	f := authzFixture(t)
	req := metadataReq(12, "orders")
	req.IncludeTopicAuthorizedOperations = true
	resp := f.as(consumerP, req).(*kmsg.MetadataResponse)
	want := int32(1<<kmsg.ACLOperationRead | 1<<kmsg.ACLOperationDescribe)
	if got := resp.Topics[0].AuthorizedOperations; got != want {
		t.Fatalf("operations %b, want %b", got, want)
	}
}

// TestACLAPIs: an admin creates, describes and deletes ACLs; the new ACL
// takes effect at once; bad input is INVALID_REQUEST.
func TestACLAPIs(t *testing.T) {
	f := authzFixture(t)
	create := kmsg.NewPtrCreateACLsRequest()
	create.Version = 3
	c := kmsg.NewCreateACLsRequestCreation()
	c.ResourceType, c.ResourceName, c.ResourcePatternType = kmsg.ACLResourceTypeTopic, "sec", kmsg.ACLResourcePatternTypePrefixed
	c.Principal, c.Host, c.Operation, c.PermissionType = strangerP, "*", kmsg.ACLOperationDescribe, kmsg.ACLPermissionTypeAllow
	bad := c
	bad.Operation = kmsg.ACLOperationIdempotentWrite // not a topic operation
	create.Creations = []kmsg.CreateACLsRequestCreation{c, bad}
	if got := f.as(producerP, create).(*kmsg.CreateACLsResponse).Results[0].ErrorCode; got != kerr.ClusterAuthorizationFailed.Code {
		t.Fatalf("producer CreateAcls: code %d", got)
	}
	res := f.as(adminP, create).(*kmsg.CreateACLsResponse).Results
	if res[0].ErrorCode != 0 || res[1].ErrorCode != kerr.InvalidRequest.Code {
		t.Fatalf("admin CreateAcls: codes %d, %d", res[0].ErrorCode, res[1].ErrorCode)
	}
	if got := f.as(strangerP, metadataReq(12, "secret")).(*kmsg.MetadataResponse).Topics[0].ErrorCode; got != 0 {
		t.Fatalf("stranger Metadata after the prefixed ACL: code %d", got)
	}

	del := kmsg.NewPtrDeleteACLsRequest()
	del.Version = 3
	df := kmsg.NewDeleteACLsRequestFilter()
	df.ResourceType, df.ResourcePatternType = kmsg.ACLResourceTypeAny, kmsg.ACLResourcePatternTypeMatch
	df.ResourceName, df.Principal = kmsg.StringPtr("secret"), kmsg.StringPtr(strangerP)
	df.Operation, df.PermissionType = kmsg.ACLOperationAny, kmsg.ACLPermissionTypeAny
	badFilter := df
	badFilter.Operation = kmsg.ACLOperationUnknown
	del.Filters = []kmsg.DeleteACLsRequestFilter{df, badFilter}
	results := f.as(adminP, del).(*kmsg.DeleteACLsResponse).Results
	if results[0].ErrorCode != 0 || len(results[0].MatchingACLs) != 1 || results[0].MatchingACLs[0].ResourceName != "sec" {
		t.Fatalf("DeleteAcls: %+v", results[0])
	}
	if results[1].ErrorCode != kerr.InvalidRequest.Code {
		t.Fatalf("DeleteAcls bad filter: code %d", results[1].ErrorCode)
	}
	if got := f.as(strangerP, metadataReq(12, "secret")).(*kmsg.MetadataResponse).Topics[0].ErrorCode; got != kerr.TopicAuthorizationFailed.Code {
		t.Fatalf("stranger Metadata after the delete: code %d", got)
	}

	describe := kmsg.NewPtrDescribeACLsRequest()
	describe.Version, describe.ResourceType, describe.ResourcePatternType = 3, kmsg.ACLResourceTypeTopic, kmsg.ACLResourcePatternTypeLiteral
	describe.Operation, describe.PermissionType = kmsg.ACLOperationAny, kmsg.ACLPermissionTypeAny
	dresp := f.as(adminP, describe).(*kmsg.DescribeACLsResponse)
	if dresp.ErrorCode != 0 || len(dresp.Resources) != 1 || dresp.Resources[0].ResourceName != "orders" || len(dresp.Resources[0].ACLs) != 2 {
		t.Fatalf("DescribeAcls: %+v", dresp)
	}
	describe.Operation = kmsg.ACLOperationUnknown
	if got := f.as(adminP, describe).(*kmsg.DescribeACLsResponse).ErrorCode; got != kerr.InvalidRequest.Code {
		t.Fatalf("DescribeAcls bad filter: code %d", got)
	}
}
