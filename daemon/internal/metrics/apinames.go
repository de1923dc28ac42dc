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

// apiNames are Kafka's names of the API keys, indexed by key.
var apiNames = func() (names [kmsg.MaxKey + 1]string) {
	for k := range names {
		n := kmsg.NameForKey(int16(k))
		if fixed, ok := kafkaSpelling[n]; ok {
			n = fixed
		}
		names[k] = n
	}
	return names
}()
