package metrics

import "github.com/twmb/franz-go/pkg/kmsg"

// kafkaSpelling corrects the kmsg names that Kafka spells otherwise in
// its ApiKeys (the request label of RequestMetrics).
var kafkaSpelling = map[string]string{
	"LeaderAndISR":                 "LeaderAndIsr",
	"SASLHandshake":                "SaslHandshake",
	"InitProducerID":               "InitProducerId",
	"DescribeACLs":                 "DescribeAcls",
	"CreateACLs":                   "CreateAcls",
	"DeleteACLs":                   "DeleteAcls",
	"SASLAuthenticate":             "SaslAuthenticate",
	"AlterPartitionAssignments":    "AlterPartitionReassignments",
	"DescribeUserSCRAMCredentials": "DescribeUserScramCredentials",
	"AlterUserSCRAMCredentials":    "AlterUserScramCredentials",
	"AllocateProducerIDs":          "AllocateProducerIds",
}

// Kafka times Fetch requests twice: as Fetch, and as FetchConsumer or
// FetchFollower. These are their slots after the API keys.
const (
	fetchKey           = 1
	fetchConsumerSlot  = kmsg.MaxKey + 1
	fetchFollowerSlot  = kmsg.MaxKey + 2
	requestMetricSlots = kmsg.MaxKey + 3
)

// apiNames are Kafka's names of the API keys, indexed by key, then of the
// two fetch slots.
var apiNames = func() (names [requestMetricSlots]string) {
	names[fetchConsumerSlot], names[fetchFollowerSlot] = "FetchConsumer", "FetchFollower"
	for k := range kmsg.MaxKey + 1 {
		n := kmsg.NameForKey(int16(k))
		if fixed, ok := kafkaSpelling[n]; ok {
			n = fixed
		}
		names[k] = n
	}
	return names
}()
